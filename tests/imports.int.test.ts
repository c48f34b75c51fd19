import { existsSync, readdirSync } from 'node:fs'

import { parse } from 'csv-parse/sync'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { emailAdapter } from '@/integrations/email/payload-email-adapter'
import { importsDir } from '@/services/imports/import-files'
import { runContactImport } from '@/services/imports/run-contact-import'

import { type ApiClient, anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'
import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'

/**
 * CSV import through REST as the admin does it: upload (streamed), preview with detected encoding and
 * delimiter, start with a mapping, the import task in batches (Payload's queue, our lease), problems
 * downloaded as CSV; every fixture the issue names: BOM, `;`, quoted newline, Latin-1, bad rows,
 * duplicates, create-only versus upsert, suppression mode, stop and resume.
 */
let payload: Payload
let org: number
let admin: ApiClient
let adminEmail: string
let sink: SmtpSink
let restoreEmail: () => void

const query = async <T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> =>
  (await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: T[] }> } }).pool.query(sql, values)).rows

const newOrg = async () => {
  const slug = unique('import-org')
  return (await payload.create({ collection: 'organizations', data: { name: slug, slug, postalAddress: '3 Import Row' } })).id
}

beforeAll(async () => {
  payload = await getTestPayload()
  org = await newOrg()
  const user = await makeUser(payload, [{ org, roles: ['admin'] }])
  adminEmail = user.email
  admin = await loginAs(user.email, 'fixture-password')
  sink = await startSmtpSink()
  const adapter = await emailAdapter({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_FROM_ADDRESS: 'imports@outpost.test' })
  const email = adapter!({ payload })
  const saved = { email: payload.email, sendEmail: payload.sendEmail }
  payload.email = email
  payload.sendEmail = (message) => email.sendEmail(message)
  restoreEmail = () => Object.assign(payload, saved)
})
afterAll(async () => {
  restoreEmail()
  await sink.close()
})

const upload = (client: ApiClient, bytes: string | Uint8Array, name = 'contacts.csv', target = org) =>
  client.rest('POST', `/imports/upload?org=${target}&name=${encodeURIComponent(name)}`, { raw: { type: 'text/csv', body: bytes } })

const uploaded = async (bytes: string | Uint8Array, name?: string, client = admin, target = org) => {
  const res = await upload(client, bytes, name, target)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.doc.id as number
}

/** Runs the import's Payload jobs (the worker's path) until it is final or stopped. */
const runToEnd = async (id: number) => {
  for (let i = 0; i < 200; i++) {
    await payload.jobs.run({ queue: 'imports', limit: 5 })
    const doc = await payload.findByID({ collection: 'imports', id, depth: 0 })
    if (['completed', 'completed_with_errors', 'failed', 'stopped'].includes(doc.status)) return doc
  }
  throw new Error(`import ${id} did not finish`)
}

const start = (id: number, settings: Record<string, unknown>, client = admin) => client.post(`/imports/${id}/start`, settings)

const importFile = async (bytes: string | Uint8Array, settings: Record<string, unknown>, client = admin, target = org) => {
  const id = await uploaded(bytes, undefined, client, target)
  const preview = await client.get(`/imports/${id}/preview`)
  expect(preview.status, JSON.stringify(preview.body)).toBe(200)
  const started = await start(id, { mapping: preview.body.suggested, mode: 'create', ...settings }, client)
  expect(started.status, JSON.stringify(started.body)).toBe(200)
  return { id, preview: preview.body, doc: await runToEnd(id) }
}

const contactOf = async (email: string, target = org) => {
  const [row] = await query<{ id: number; email: string; first_name: string | null; last_name: string | null; phone: string | null; tags: string[] | null }>(
    `SELECT c.id, c.email, c.first_name, c.last_name, c.phone, (SELECT array_agg(t.text ORDER BY t."order") FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags') AS tags
       FROM contacts c WHERE c.org_id = $1 AND c.email = $2`,
    [target, email],
  )
  return row
}

const problemsOf = async (id: number, client = admin) => {
  const res = await client.get(`/imports/${id}/problems`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/csv')
  expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".*-not-imported\.csv"/)
  return parse(String(res.body), { bom: true, columns: true }) as Record<string, string>[]
}

describe('reading files', () => {
  it('UTF-8 with a byte order mark, commas, a quoted newline, a tags column and tags for every row', async () => {
    const csv = '\uFEFFEmail,First Name,Last Name,Mobile,Tags\r\n' + 'Ann@Example.com ,Ann,"Smith\nJr.",07700 900123,donor;vip\r\n' + 'bob@example.com,Bob,Jones,+1 415 555 2671,\r\n'
    const { id, preview, doc } = await importFile(csv, { defaultCountry: 'gb', tags: ['spring-fair'] })
    expect(preview.format).toEqual({ encoding: 'utf-8', bomBytes: 3, delimiter: 'comma', encodingDetected: true, delimiterDetected: true })
    expect(preview.headers).toEqual(['Email', 'First Name', 'Last Name', 'Mobile', 'Tags'])
    expect(preview.suggested).toEqual(['email', 'firstName', 'lastName', 'phone', 'tags'])
    expect(preview.rows[0]).toEqual(['Ann@Example.com ', 'Ann', 'Smith\nJr.', '07700 900123', 'donor;vip'])
    expect(doc.status).toBe('completed')
    expect(doc.progress).toEqual(expect.objectContaining({ rowsRead: 2, created: 2, updated: 0, skipped: 0, failed: 0 }))
    // Trimmed and lower-cased; the phone in E.164 (national numbers read in the default country).
    expect(await contactOf('ann@example.com')).toEqual(expect.objectContaining({ first_name: 'Ann', last_name: 'Smith\nJr.', phone: '+447700900123', tags: ['donor', 'vip', 'spring-fair'] }))
    expect(await contactOf('bob@example.com')).toEqual(expect.objectContaining({ phone: '+14155552671', tags: ['spring-fair'] }))
    expect(await problemsOf(id)).toEqual([])
  })

  it('semicolons and tabs are detected, and a delimiter can be chosen instead', async () => {
    const id = await uploaded('email;name\nsemi1@example.com;Semi One\nsemi2@example.com;Semi Two\n')
    expect((await admin.get(`/imports/${id}/preview`)).body.format.delimiter).toBe('semicolon')
    const tabbed = await uploaded('email\tname\ttags\ntab@example.com\tTab\ta,b\n', 'tabbed.tsv')
    expect((await admin.get(`/imports/${tabbed}/preview`)).body).toEqual(expect.objectContaining({ format: expect.objectContaining({ delimiter: 'tab' }), rows: [['tab@example.com', 'Tab', 'a,b']] }))
    const forced = await admin.get(`/imports/${id}/preview?delimiter=comma`)
    expect(forced.body.headers).toEqual(['email;name'])
    expect((await admin.get(`/imports/${id}/preview?delimiter=colon`)).body.errors[0].message).toBe('`delimiter` must be one of: auto, comma, semicolon, tab, pipe.')
  })

  it('a Latin-1 (Windows-1252) file is detected and converted; declared as UTF-8 its rows with accents are refused, not garbled', async () => {
    // Windows-1252 bytes: é ü ç in their Latin-1 places, and the euro sign at 0x80 (Latin-1 has none).
    const bytes = Buffer.concat([
      Buffer.from('email;first name;last name\njose@example.com;José;Müller\nfrancois@example.com;François;Çelik ', 'latin1'),
      Buffer.from([0x80]),
      Buffer.from('\nplain@example.com;Plain;Ascii\n', 'latin1'),
    ])
    const { preview, doc } = await importFile(bytes, {})
    expect(preview.format.encoding).toBe('windows-1252')
    expect(doc.status).toBe('completed')
    expect((await contactOf('jose@example.com'))?.first_name).toBe('José')
    expect((await contactOf('francois@example.com'))?.last_name).toBe('Çelik €')

    const wrong = await uploaded(bytes)
    const preview2 = await admin.get(`/imports/${wrong}/preview?encoding=utf-8`)
    expect(preview2.body.format).toEqual(expect.objectContaining({ encoding: 'utf-8', encodingDetected: false }))
    expect((await start(wrong, { mode: 'upsert_email', mapping: ['email', 'firstName', 'lastName'], encoding: 'utf-8' })).status).toBe(200)
    const done = await runToEnd(wrong)
    expect(done.status).toBe('completed_with_errors')
    expect(done.progress).toEqual(expect.objectContaining({ rowsRead: 3, updated: 1, failed: 2 }))
    const problems = await problemsOf(wrong)
    expect(problems.map((p) => [p.line, p.outcome])).toEqual([
      ['2', 'failed'],
      ['3', 'failed'],
    ])
    expect(problems[0]!.error).toMatch(/not UTF-8/)
    expect((await contactOf('jose@example.com'))?.first_name).toBe('José')
  })

  it('refuses what is not a CSV file, with a sentence, and keeps nothing', async () => {
    const before = readdirSync(importsDir()).length
    const count = async () => (await query<{ n: number }>('SELECT count(*)::int AS n FROM imports WHERE org_id = $1', [org]))[0]!.n
    const imports = await count()
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1])
    const cases: [string | Uint8Array, string, number, RegExp][] = [
      [png, 'photo.csv', 400, /not a text file/],
      ['', 'empty.csv', 400, /The file is empty/],
      ['a,b\n', 'sheet.xlsx', 415, /not a CSV file/],
      ['a,b\n', '', 400, /Say the file name/],
    ]
    for (const [bytes, name, status, message] of cases) {
      const res = await upload(admin, bytes, name)
      expect(res.status, name).toBe(status)
      expect(res.body.errors[0].message).toMatch(message)
    }
    const form = await admin.rest('POST', `/imports/upload?org=${org}&name=x.csv`, { raw: { type: 'multipart/form-data; boundary=x', body: '--x--' } })
    expect(form.status).toBe(415)
    // Direct creation is not how imports are made; they are never edited as documents.
    const direct = await admin.post('/imports', { org, fileName: 'x.csv' })
    expect(direct.status).toBe(400)
    expect(direct.body.errors[0].message).toMatch(/Upload the CSV file/)
    expect(await count()).toBe(imports)
    expect(readdirSync(importsDir()).length).toBe(before)
  })

  it('refuses a file over IMPORT_MAX_MB while streaming it, and leaves no partial file', async () => {
    const before = readdirSync(importsDir()).length
    process.env.IMPORT_MAX_MB = '1'
    try {
      const res = await upload(admin, `email\n${'big@example.com\n'.repeat(80_000)}`)
      expect(res.status).toBe(413)
      expect(res.body.errors[0].message).toBe('The file is larger than 1 MB, the most an import takes.')
    } finally {
      delete process.env.IMPORT_MAX_MB
    }
    expect(readdirSync(importsDir()).length).toBe(before)
  })
})

describe('rows', () => {
  it('bad rows and duplicates are kept with their line and reason, downloadable as CSV with formulas escaped', async () => {
    const csv = [
      'email,first name,phone',
      'good@example.com,Good,',
      'not-an-address,Bad,',
      'good@example.com,Again,',
      ',No Address,',
      'phone@example.com,Phone,12',
      '"quoted@example.com","Multi',
      'line",',
      'extra@example.com,Extra,,surplus',
      'not-valid,=HYPERLINK("http://evil.example"),',
      'GOOD@example.com,Case,',
      '',
      'last@example.com,Last,',
    ].join('\n')
    const { id, doc } = await importFile(csv, {})
    expect(doc.status).toBe('completed_with_errors')
    expect(doc.progress).toEqual(expect.objectContaining({ rowsRead: 10, created: 3, skipped: 2, failed: 5 }))
    expect(doc.message).toMatch(/10 rows read; 3 created, 0 updated, 2 skipped, 5 failed/)
    expect((await contactOf('quoted@example.com'))?.first_name).toBe('Multi\nline')
    const problems = await problemsOf(id)
    expect(problems.map((p) => [p.line, p.outcome, p.error])).toEqual([
      ['3', 'failed', '"not-an-address" is not a valid email address.'],
      ['4', 'skipped', 'The same address as line 2 of this file: skipped.'],
      ['5', 'failed', 'No email address: every contact needs one.'],
      ['6', 'failed', '"12" is not a phone number we can read: write it with its country code, e.g. +44 20 7946 0958, or choose a default country.'],
      ['9', 'failed', 'This row has 4 cells but the header has 3: check the delimiter and quotes.'],
      ['10', 'failed', '"not-valid" is not a valid email address.'],
      ['11', 'skipped', 'The same address as line 2 of this file: skipped.'],
    ])
    // The original cells come back under the file's own headers; a formula is shown as text.
    expect(problems[0]).toEqual(expect.objectContaining({ email: 'not-an-address', 'first name': 'Bad', 'extra cells': '' }))
    expect(problems[4]).toEqual(expect.objectContaining({ email: 'extra@example.com', phone: '', 'extra cells': 'surplus' }))
    expect(problems[5]!['first name']).toBe('\'=HYPERLINK("http://evil.example")')
  })

  it('create only skips existing contacts untouched; upsert updates them (empty cells keep what is stored) and adds tags once', async () => {
    await makeContact(payload, org, { email: 'kept@example.com', firstName: 'Kept', lastName: 'Surname', tags: ['old'] })
    const csv = 'email,first name,last name,tags\nkept@example.com,Changed,,old;new\nnew-one@example.com,New,One,\n'
    const create = await importFile(csv, { mode: 'create' })
    expect(create.doc.progress).toEqual(expect.objectContaining({ created: 1, updated: 0, skipped: 1 }))
    expect((await problemsOf(create.id))[0]!.error).toBe('Already a contact (this import creates new contacts only): skipped.')
    expect(await contactOf('kept@example.com')).toEqual(expect.objectContaining({ first_name: 'Kept', tags: ['old'] }))

    const upsert = await importFile(csv, { mode: 'upsert_email' })
    expect(upsert.doc.progress).toEqual(expect.objectContaining({ created: 0, updated: 2, skipped: 0 }))
    expect(await contactOf('kept@example.com')).toEqual(expect.objectContaining({ first_name: 'Changed', last_name: 'Surname', tags: ['old', 'new'] }))
  })

  it('upsert by phone matches the number however it was written; a new number needs an address', async () => {
    const byPhone = await newOrg()
    const user = await makeUser(payload, [{ org: byPhone, roles: ['admin'] }])
    const client = await loginAs(user.email, 'fixture-password')
    await makeContact(payload, byPhone, { email: 'ring@example.com', firstName: 'Old', phone: '+44 20 7946 0958' })
    const csv = 'phone,first name,email\n020 7946 0958,Rung,\n+44 20 7946 0999,Fresh,fresh@example.com\n+44 20 7946 0998,Nobody,\n'
    const { id, doc } = await importFile(csv, { mode: 'upsert_phone', defaultCountry: 'GB' }, client, byPhone)
    expect(doc.progress).toEqual(expect.objectContaining({ updated: 1, created: 1, failed: 1 }))
    expect(await contactOf('ring@example.com', byPhone)).toEqual(expect.objectContaining({ first_name: 'Rung', phone: '+442079460958' }))
    expect(await contactOf('fresh@example.com', byPhone)).toEqual(expect.objectContaining({ phone: '+442079460999' }))
    expect((await problemsOf(id, client)).map((p) => p.error)).toEqual(['No contact has this phone number, and a new contact needs an email address.'])
  })

  it('suppression mode adds addresses and phones to the org’s list (audited), skips those already there, and needs suppressions.manage', async () => {
    const target = await newOrg()
    const user = await makeUser(payload, [{ org: target, roles: ['admin'] }])
    const client = await loginAs(user.email, 'fixture-password')
    await payload.create({ collection: 'suppressions', data: { org: target, address: 'already@example.com', reason: 'bounce', channel: 'email', status: 'active' } })
    const csv = 'email,phone\nstop@example.com,\nalready@example.com,\n,+44 7700 900555\n'
    const { doc } = await importFile(csv, { mode: 'suppress' }, client, target)
    expect(doc.progress).toEqual(expect.objectContaining({ created: 2, skipped: 1 }))
    const rows = await query<{ address: string; channel: string; source: string; status: string }>(
      `SELECT address, channel::text, source, status::text FROM suppressions WHERE org_id = $1 ORDER BY address`,
      [target],
    )
    expect(rows).toEqual([
      { address: '+447700900555', channel: 'sms', source: 'import', status: 'active' },
      { address: 'already@example.com', channel: 'email', source: 'admin', status: 'active' },
      { address: 'stop@example.com', channel: 'email', source: 'import', status: 'active' },
    ])
    expect((await query(`SELECT 1 FROM audit_logs WHERE org_id = $1 AND action = 'suppression.create' AND summary LIKE '%from import%'`, [target])).length).toBe(2)

    const sender = await makeUser(payload, [{ org: target, roles: ['sender'] }])
    const senderClient = await loginAs(sender.email, 'fixture-password')
    const id = await uploaded(csv, undefined, senderClient, target)
    const refused = await start(id, { mode: 'suppress', mapping: ['email', 'phone'] }, senderClient)
    expect(refused.status).toBe(403)
    expect(refused.body.errors[0].message).toBe('Your role cannot manage suppressions in this organisation.')
  })
})

describe('running', () => {
  it.each([
    [{ mode: 'create', mapping: ['firstName', null] }, 'Map a column to Email: every contact needs an address.'],
    [{ mode: 'upsert_phone', mapping: ['email', null] }, 'Map a column to Phone: this import matches contacts on their phone.'],
    [{ mode: 'create', mapping: ['email', 'email'] }, 'Two columns are mapped to Email: map each field once.'],
    [{ mode: 'create', mapping: ['email'] }, 'The mapping has 1 columns; the file has 2.'],
    [{ mode: 'create', mapping: ['email', 'birthday'] }, 'mapping.1:'],
    [{ mode: 'everything', mapping: ['email', null] }, 'mode: Choose what the import does'],
    [{ mode: 'create', mapping: ['email', null], defaultCountry: 'XX' }, 'defaultCountry: Choose a country by its two-letter code'],
    [{ mode: 'create', mapping: ['email', null], tags: [' '] }, 'tags.0: A tag cannot be blank.'],
    [{ mode: 'create', mapping: ['email', null], colour: 'red' }, 'Unrecognized key'],
  ])('a bad start %j is a 400 with the reason, and nothing starts', async (settings, reason) => {
    const id = await uploaded('email,name\nx@example.com,X\n')
    const res = await start(id, settings)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toContain(reason)
    expect((await payload.findByID({ collection: 'imports', id })).status).toBe('uploaded')
  })

  it('stops after the batch it is writing and resumes from the first row not committed: every row once', async () => {
    const target = await newOrg()
    const user = await makeUser(payload, [{ org: target, roles: ['admin'] }])
    const client = await loginAs(user.email, 'fixture-password')
    const csv = `email,tags\n${Array.from({ length: 250 }, (_, i) => `row${i}@example.com,batch`).join('\n')}\n`
    const id = await uploaded(csv, undefined, client, target)
    expect((await start(id, { mode: 'create', mapping: ['email', 'tags'] }, client)).status).toBe(200)
    // A worker writes one batch of 40 and hands over (its time is up).
    expect(await runContactImport({ payload, importID: id, deadlineMs: 0, batchSize: 40 })).toEqual({ state: 'paused', rows: 40 })
    const stop = await client.post(`/imports/${id}/stop`)
    expect(stop.status).toBe(200)
    expect(stop.body.doc.status).toBe('stopping')
    // The next run sees the stop at once: the import is stopped with its 40 rows.
    expect(await runContactImport({ payload, importID: id, deadlineMs: 0, batchSize: 40 })).toEqual({ state: 'stopped', rows: 0 })
    let doc = await payload.findByID({ collection: 'imports', id })
    expect(doc.status).toBe('stopped')
    expect(doc.progress).toEqual(expect.objectContaining({ rowsRead: 40, created: 40, checkpoint: 40 }))
    expect((await client.post(`/imports/${id}/stop`)).status).toBe(409)

    expect((await client.post(`/imports/${id}/resume`)).body.doc.status).toBe('queued')
    // Two workers at once: one works, the other finds it taken.
    const [a, b] = await Promise.all([
      runContactImport({ payload, importID: id, deadlineMs: Date.now() + 60_000, batchSize: 40 }),
      runContactImport({ payload, importID: id, deadlineMs: Date.now() + 60_000, batchSize: 40 }),
    ])
    expect([a.state, b.state].sort()).toEqual(['busy', 'finished'])
    doc = await payload.findByID({ collection: 'imports', id })
    expect(doc.status).toBe('completed')
    expect(doc.progress).toEqual(expect.objectContaining({ rowsRead: 250, created: 250, skipped: 0, failed: 0, checkpoint: 250 }))
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM contacts WHERE org_id = $1', [target]))[0]!.n).toBe(250)
    expect((await query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts_texts t JOIN contacts c ON c.id = t.parent_id WHERE c.org_id = $1`, [target]))[0]!.n).toBe(250)
    const actions = (await query<{ action: string }>(`SELECT action::text FROM audit_logs WHERE target_collection = 'imports' AND target_i_d = $1 ORDER BY id`, [String(id)])).map((r) => r.action)
    expect(actions).toEqual(['import.start', 'import.stop', 'import.stop', 'import.resume', 'import.complete'])
  })

  it('a file that cannot be read on (a quote never closed) keeps the rows before it and ends failed, saying where', async () => {
    const { id, doc } = await importFile('email,name\nfirst@example.com,First\n"broken@example.com,Broken\nlost@example.com,Lost\n', {})
    expect(doc.status).toBe('failed')
    expect(doc.message).toBe('A quote opened on line 3 is never closed, so the rest of the file cannot be read. Close the quote (or double it: "") and import the rest.')
    expect(await contactOf('first@example.com')).toBeDefined()
    expect((await problemsOf(id)).map((p) => p.line)).toEqual(['3'])
  })

  it('one import per org at a time; the starter is emailed at the end', async () => {
    const target = await newOrg()
    const user = await makeUser(payload, [{ org: target, roles: ['admin'] }])
    const client = await loginAs(user.email, 'fixture-password')
    const first = await uploaded('email\none@example.com\n', 'first.csv', client, target)
    const second = await uploaded('email\ntwo@example.com\n', 'second.csv', client, target)
    expect((await start(first, { mode: 'create', mapping: ['email'] }, client)).status).toBe(200)
    const refused = await start(second, { mode: 'create', mapping: ['email'] }, client)
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].message).toBe('Another import is running in this organisation (first.csv): one runs at a time. Wait for it, or stop it.')
    expect((await client.delete(`/imports/${first}`)).status).toBe(409)
    sink.reset()
    await runToEnd(first)
    const [mail] = await sink.waitFor(1)
    expect(mail!.to).toEqual([user.email])
    expect(mail!.parsed.subject).toBe('Import completed: first.csv')
    expect(mail!.parsed.text).toContain('first.csv: 1 rows read; 1 created, 0 updated, 0 skipped, 0 failed.')
    expect(mail!.parsed.text).toContain(`/admin/collections/imports/${first}`)
    expect((await start(second, { mode: 'create', mapping: ['email'] }, client)).status).toBe(200)
    expect((await runToEnd(second)).status).toBe('completed')
    // Deleting a finished import through the API removes its stored file too.
    const files = readdirSync(importsDir()).length
    expect((await client.delete(`/imports/${first}`)).status).toBe(200)
    expect(readdirSync(importsDir()).length).toBe(files - 1)
    expect(adminEmail).not.toBe(user.email)
  })

  it('the org’s mapping is remembered for the next file with the same headers', async () => {
    const id = await uploaded('Kontakt;Rufname;Kreis\nmemo@example.com;Mémo;x\n')
    expect((await admin.get(`/imports/${id}/preview`)).body.suggested).toEqual([null, null, null])
    expect((await start(id, { mode: 'create', mapping: ['email', 'firstName', 'tags'] })).status).toBe(200)
    await runToEnd(id)
    const next = await uploaded('kontakt;RUFNAME;Kreis\nmemo2@example.com;Mémo;y\n')
    expect((await admin.get(`/imports/${next}/preview`)).body).toEqual(expect.objectContaining({ suggested: ['email', 'firstName', 'tags'], remembered: true }))
  })
})

describe('isolation', () => {
  it('another org’s members, viewers and anonymous callers cannot upload into, read, start, stop, download or delete an import', async () => {
    const id = await uploaded('email\nsecret@example.com\n')
    const outsider = await loginAs('admin@other.test')
    expect([403, 404]).toContain((await outsider.get(`/imports/${id}`)).status)
    for (const [method, path] of [
      ['GET', `/imports/${id}/preview`],
      ['POST', `/imports/${id}/start`],
      ['POST', `/imports/${id}/stop`],
      ['POST', `/imports/${id}/resume`],
      ['GET', `/imports/${id}/problems`],
    ] as const) {
      const res = await outsider.rest(method, path, method === 'POST' ? { body: { mode: 'create', mapping: ['email'] } } : {})
      expect(res.status, path).toBe(404)
      expect(res.body.errors[0].message).toBe('No such import, or you cannot see it.')
    }
    expect([403, 404]).toContain((await outsider.delete(`/imports/${id}`)).status)
    expect(await payload.findByID({ collection: 'imports', id, disableErrors: true })).not.toBeNull()
    expect([403, 404]).toContain((await upload(outsider, 'email\nx@example.com\n')).status)
    expect((await outsider.gql(`{ Import(id: ${id}) { id fileName } }`)).body.errors?.length).toBeGreaterThan(0)
    // Other tests may give the outsider's org imports of its own: none of them is this one.
    const listed = (await outsider.gql(`{ Imports(limit: 0) { docs { id } } }`)).body.data?.Imports.docs as { id: number }[]
    expect(Array.isArray(listed)).toBe(true)
    expect(listed.map((d) => d.id)).not.toContain(id)
    expect((await outsider.gql(`{ Imports(where: { id: { equals: ${id} } }) { totalDocs } }`)).body.data?.Imports.totalDocs).toBe(0)
    expect((await anonymous().get(`/imports/${id}/preview`)).status).toBe(401)
    // A viewer of the org reads it, but cannot start it or upload.
    const viewer = await loginAs((await makeUser(payload, [{ org, roles: ['viewer'] }])).email, 'fixture-password')
    expect((await viewer.get(`/imports/${id}/preview`)).status).toBe(200)
    expect((await start(id, { mode: 'create', mapping: ['email'] }, viewer)).status).toBe(403)
    expect((await upload(viewer, 'email\nx@example.com\n')).status).toBe(403)
    // The server path of the file is never part of the API.
    const read = await admin.get(`/imports/${id}`)
    expect(JSON.stringify(read.body)).not.toMatch(/storageKey|lease/)
    expect(existsSync(importsDir())).toBe(true)
  })
})
