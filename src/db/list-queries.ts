import { buildQuery } from '@payloadcms/drizzle'
import { asc, count, desc } from '@payloadcms/db-postgres/drizzle'
import type { BaseDatabaseAdapter, FindArgs, PaginatedDocs, PayloadRequest, TypeWithID } from 'payload'

/**
 * Counts and deep pages that stay fast on tables of millions of rows (contacts, recipients, events):
 *
 * - **Bounded counts.** A list's total is counted exactly up to COUNT_CAP matching rows (reading at most
 *   that many index entries). Beyond it, PostgreSQL's own estimate for the same query stands in, rounded
 *   to two significant figures; the admin shows it as "about N" (ListCountNote). An exact count of ten
 *   million rows costs a second or more on every page view, and lists never need it.
 * - **Ids first.** For the large collections a page is found as ids only (an index-only scan on the
 *   sort's covering index), then Payload reads those rows as usual. Without it, Payload's one query
 *   reads every skipped row whole (and its tags), so the last of 100,000 pages took 6.5 s.
 *
 * Both run inside the postgres adapter (`src/db/adapter.ts` installs them), below access control: the
 * `where` they receive already holds the user's tenant constraints, and nothing here widens it.
 */

export const COUNT_CAP = 10_000 // the admin's ListCountNote shows the same number (COUNT_CAP_FOR_DISPLAY)
/** Collections whose lists are read ids first. */
export const IDS_FIRST_COLLECTIONS = new Set(['contacts', 'email-recipients', 'webhook-events', 'audit-logs', 'suppressions'])

type Adapter = BaseDatabaseAdapter & {
  tables: Record<string, any>
  tableNameMap: Map<string, string>
  sessions: Record<string, { db: any }>
  drizzle: any
  pool: { query: (text: string, values?: unknown[]) => Promise<{ rows: any[] }> }
  countDistinct: (args: CountArgs) => Promise<number>
}
type CountArgs = { column?: unknown; db: any; joins: { type?: string; condition: unknown; table: unknown }[]; tableName: string; where: unknown }

/** Two significant figures: an estimate should not look exact. */
export const roundEstimate = (value: number): number => {
  if (value < 100) return Math.round(value)
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1)
  return Math.round(value / magnitude) * magnitude
}

const transactionDB = async (adapter: Adapter, req?: Partial<PayloadRequest>) =>
  (req?.transactionID ? adapter.sessions[String(await req.transactionID)]?.db : undefined) ?? adapter.drizzle

/** The rows a query matches, as a dynamic drizzle select of ids (grouped when joins could repeat them). */
const matchingIDs = (adapter: Adapter, { db, joins, tableName, where }: CountArgs) => {
  const table = adapter.tables[tableName]
  let query = db.select({ id: table.id }).from(table).$dynamic()
  if (where) query = query.where(where)
  for (const { type, condition, table: joined } of joins) query = query[type ?? 'leftJoin'](joined, condition)
  if (joins.length) query = query.groupBy(table.id)
  return query
}

/** PostgreSQL's estimate of a query's rows (EXPLAIN, no execution). */
const plannerEstimate = async (adapter: Adapter, query: { toSQL: () => { sql: string; params: unknown[] } }): Promise<number> => {
  const { sql: text, params } = query.toSQL()
  const { rows } = await adapter.pool.query(`EXPLAIN (FORMAT JSON) ${text}`, params)
  const plan = rows[0]?.['QUERY PLAN']
  const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan
  return Number(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0)
}

/** countDistinct, exact up to COUNT_CAP, estimated beyond. */
export const boundedCountDistinct = (exact: Adapter['countDistinct']) =>
  async function (this: Adapter, args: CountArgs): Promise<number> {
    if (args.column) return exact.call(this, args)
    const ids = matchingIDs(this, args)
    const capped = await args.db.select({ n: count() }).from(ids.limit(COUNT_CAP + 1).as('capped'))
    const n = Number(capped[0]?.n ?? 0)
    if (n <= COUNT_CAP) return n
    return Math.max(COUNT_CAP + 1, roundEstimate(await plannerEstimate(this, matchingIDs(this, args))))
  }

/** find, for IDS_FIRST_COLLECTIONS: the page's ids first, then the documents. */
export const idsFirstFind = (original: BaseDatabaseAdapter['find']) =>
  async function <T = TypeWithID>(this: Adapter, args: FindArgs): Promise<PaginatedDocs<T>> {
    const { collection, limit, locale, page = 1, pagination, req, sort: sortArg, where: whereArg } = args
    if (!IDS_FIRST_COLLECTIONS.has(collection) || !limit || pagination === false) return original.call(this, args) as Promise<PaginatedDocs<T>>
    const config = this.payload.collections[collection]!.config
    const tableName = this.tableNameMap.get(collection.replace(/-/g, '_'))!
    const sort = sortArg ?? config.defaultSort
    const { joins, orderBy, where } = buildQuery({ adapter: this as never, fields: config.flattenedFields, locale, sort: sort as never, tableName, where: whereArg ?? {} })
    const table = this.tables[tableName]
    const joinedTables = new Set<unknown>(joins.map((join) => join.table))
    // Sorting by a value of a joined one-to-many table (e.g. by tags) stays with Payload's own grouping query.
    if (orderBy?.some(({ column }) => joinedTables.has((column as unknown as { table: unknown }).table))) return original.call(this, args) as Promise<PaginatedDocs<T>>
    const db = await transactionDB(this, req)
    // The requested sort, then the id in the same direction (Payload adds createdAt as a second key, which
    // no index of a large table can follow together with the first). Ties fall in id order.
    const primary = orderBy?.[0]
    const direction = primary?.order === asc ? asc : desc
    const sortColumns: Record<string, unknown> = { id: table.id }
    if (primary) sortColumns._sort = primary.column
    const totalDocs = await this.countDistinct({ db, joins: joins as CountArgs['joins'], tableName, where })
    // Deep in a list whose total is estimated (over COUNT_CAP), the page is read from the other end: an
    // offset of millions costs a scan of millions of index entries, the same page from the end a few.
    const fromEnd = totalDocs > COUNT_CAP && (page - 1) * limit > totalDocs / 2
    const flip = (fn: typeof asc) => (fromEnd ? (fn === asc ? desc : asc) : fn)
    let query = (joins.length ? db.selectDistinct(sortColumns) : db.select(sortColumns)).from(table).$dynamic()
    if (where) query = query.where(where)
    for (const { type, condition, table: joined } of joins) query = query[(type as string) ?? 'leftJoin'](joined, condition)
    const order = [...(primary ? [flip(direction)(primary.column)] : []), flip(direction)(table.id)]
    const offset = fromEnd ? Math.max(0, totalDocs - page * limit) : (page - 1) * limit
    const rows: { id: number | string }[] = await query.orderBy(...order).offset(offset).limit(limit)
    if (fromEnd) rows.reverse()
    const ids = rows.map((row) => row.id)
    const found = ids.length
      ? ((await original.call(this, { ...args, where: { id: { in: ids } }, page: 1, limit: ids.length, pagination: false })) as PaginatedDocs<T>).docs
      : []
    const position = new Map(ids.map((id, index) => [String(id), index]))
    const docs = [...found].sort((a, b) => position.get(String((a as TypeWithID).id))! - position.get(String((b as TypeWithID).id))!)
    const totalPages = Math.max(1, Math.ceil(totalDocs / limit))
    return {
      docs,
      totalDocs,
      limit,
      page,
      totalPages,
      pagingCounter: (page - 1) * limit + 1,
      hasPrevPage: page > 1,
      hasNextPage: page < totalPages,
      prevPage: page > 1 ? page - 1 : null,
      nextPage: page < totalPages ? page + 1 : null,
    }
  }
