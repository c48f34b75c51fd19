import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { AppError } from '../errors/app-error'

/** What still belongs to an organisation, by the words a person reads. */
const OWNED = [
  { table: 'users_orgs', column: 'org_id', one: 'member', many: 'members' },
  { table: 'contacts', column: 'org_id', one: 'contact', many: 'contacts' },
  { table: 'email_templates', column: 'org_id', one: 'email template', many: 'email templates' },
  { table: 'email_jobs', column: 'org_id', one: 'email job', many: 'email jobs' },
  { table: 'media', column: 'org_id', one: 'attachment', many: 'attachments' },
  { table: 'suppressions', column: 'org_id', one: 'suppression', many: 'suppressions' },
  { table: 'bookings', column: 'org_id', one: 'booking', many: 'bookings' },
  { table: 'kb_articles', column: 'org_id', one: 'knowledge-base article', many: 'knowledge-base articles' },
] as const

const list = (parts: string[]) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`)

/**
 * An organisation is deleted only once nothing belongs to it any more: its rows would otherwise lose
 * their organisation (and its suppressions would turn into global ones). Refused with a 409 that says
 * what is left; nothing is deleted.
 */
export const refuseOrgDeleteWithData = async (payload: Payload, orgID: number | string, name: string): Promise<void> => {
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<Record<string, number>>(
      `SELECT ${OWNED.map((o, i) => `(SELECT count(*)::int FROM ${o.table} WHERE ${o.column} = $1) AS c${i}`).join(', ')}`,
      [Number(orgID)],
    )
    const counts = rows[0] ?? {}
    const left = OWNED.map((o, i) => ({ o, n: Number(counts[`c${i}`] ?? 0) }))
      .filter(({ n }) => n > 0)
      .map(({ o, n }) => `${n.toLocaleString('en')} ${n === 1 ? o.one : o.many}`)
    if (left.length) throw new AppError('CONFLICT', `"${name}" still has ${list(left)}: delete or move them first. Nothing was deleted.`)
  } finally {
    client.release()
  }
}
