/**
 * Backup and restore, as README's "Backups" says to do them: `pg_dump -Fc` of a database in use (demo
 * data, an org whose SMTP password is stored encrypted, a job sent and a job queued), `pg_restore` into a
 * fresh database, then a real worker process started on the copy with the same FERNET_KEY: every table
 * has every row, the sent job's counters still equal its rows, and the queued job is sent through the
 * org's relay, which only accepts the decrypted password. PostgreSQL server only (pg_dump/pg_restore).
 */
import { type ChildProcess, execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import pg from 'pg'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { getTestPayload } from './helpers/app'
import { makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'
import { startWorkerProcess } from './helpers/worker-process'

const run = promisify(execFile)
const isEmbedded = !process.env.TEST_DATABASE_URL
const RELAY = { user: 'relay-user', pass: `relay-secret-${process.pid}` }

/** Rows per table of the public schema. */
const tableCounts = async (client: Pick<pg.Client, 'query'>): Promise<Record<string, number>> => {
  const { rows: tables } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
  const counts: Record<string, number> = {}
  for (const { name } of tables) counts[name] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n)
  return counts
}

describe.skipIf(isEmbedded)('backup and restore', () => {
  let payload: Payload
  let sink: SmtpSink
  let worker: ChildProcess | undefined
  let restored: pg.Client | undefined
  const dumpFile = path.join(os.tmpdir(), `outpost-backup-${process.pid}.dump`)
  const sourceURL = process.env.DATABASE_URL!
  const restoredName = `outpost_restored_${process.pid}`
  const restoredURL = (() => {
    const url = new URL(sourceURL)
    url.pathname = `/${restoredName}`
    return url.toString()
  })()
  /** A connection to the server's maintenance database, to create and drop the copy. */
  const admin = () => {
    const url = new URL(sourceURL)
    url.pathname = '/postgres'
    return new pg.Client({ connectionString: url.toString() })
  }

  beforeAll(async () => {
    payload = await getTestPayload()
    sink = await startSmtpSink({ parse: false, auth: RELAY })
  })
  afterAll(async () => {
    worker?.kill('SIGKILL')
    await restored?.end().catch(() => {})
    const client = admin()
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`)
    await client.end()
    rmSync(dumpFile, { force: true })
    await closeOrgTransports()
    await sink.close()
  })

  it('pg_dump → pg_restore → the app starts on the copy with every row, counter and encrypted credential usable', async () => {
    const fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpUser: RELAY.user, smtpPassword: RELAY.pass, batchDelaySeconds: 0 })
    const pool = dbPool(payload)
    const stored = await pool.query<{ encrypted: string | null; clear: unknown }>('SELECT sending_smtp_password_encrypted AS encrypted, sending_smtp_password AS clear FROM organizations WHERE id = $1', [fixture.org])
    expect(stored.rows[0]!.encrypted).toBeTruthy()
    expect(JSON.stringify(stored.rows[0])).not.toContain(RELAY.pass)

    const sent = await queueJob(fixture, (await makeRecipients(payload, fixture.org, 5)).map((c) => c.id))
    expect(await runTriggersUntilDone(payload, sent)).toBe('completed')
    expect(sink.messages.map((message) => message.user)).toEqual(Array(5).fill(RELAY.user))
    const waiting = await queueJob(fixture, (await makeRecipients(payload, fixture.org, 7)).map((c) => c.id))

    // The backup, of the database as it is (nothing stopped).
    const source = await pool.connect()
    const before = await tableCounts(source)
    source.release()
    await run('pg_dump', ['--format=custom', `--file=${dumpFile}`, sourceURL])
    // The original goes on without that job (nothing else here should send it).
    expect((await fixture.sender.post(`/email-jobs/${waiting}/cancel`)).status).toBe(200)

    // The restore, into a fresh database.
    const client = admin()
    await client.connect()
    await client.query(`CREATE DATABASE ${restoredName}`)
    await client.end()
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${restoredURL}`, dumpFile])
    restored = new pg.Client({ connectionString: restoredURL })
    await restored.connect()
    expect(await tableCounts(restored)).toEqual(before)
    expect(Object.keys(before).length).toBeGreaterThan(20)
    const jobRow = async (id: number) => (await restored!.query('SELECT status, total::int AS total, sent::int AS sent, pending::int AS pending, failed::int AS failed FROM email_jobs WHERE id = $1', [id])).rows[0]
    expect(await jobRow(sent)).toEqual({ status: 'completed', total: 5, sent: 5, pending: 0, failed: 0 })
    expect(await jobRow(waiting)).toEqual(expect.objectContaining({ status: 'queued', total: 7, pending: 7 }))

    // A real worker on the copy, with the same FERNET_KEY: it decrypts the relay password and sends the queued job.
    const started = await startWorkerProcess({ DATABASE_URL: restoredURL, WORKER_POLL_SECONDS: '0.2' })
    worker = started.child
    await sink.waitFor(12, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${started.log().slice(-3000)}`)
    })
    expect(sink.messages.slice(5).map((message) => message.user)).toEqual(Array(7).fill(RELAY.user))
    for (let tries = 0; tries < 100 && (await jobRow(waiting)).status !== 'completed'; tries++) await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await jobRow(waiting)).toEqual({ status: 'completed', total: 7, sent: 7, pending: 0, failed: 0 })
    const rows = await restored.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_recipients WHERE job_id = $1 AND status = 'sent'`, [waiting])
    expect(rows.rows[0]!.n).toBe(7)
    worker.kill('SIGTERM')
    await new Promise((resolve) => worker!.once('exit', resolve))
    worker = undefined
  })
})
