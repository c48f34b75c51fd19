/** The largest id PostgreSQL's serial (int4) columns hold. */
export const MAX_STORED_ID = 2_147_483_647

/**
 * A document id as the database stores it: digits only, 1 to 2,147,483,647, nothing around them.
 * Anything else ("69abc", "1;DROP", "1e309", " 1", 9999999999999) names no document.
 */
export const parseStoredID = (value: unknown): null | number => {
  const raw = typeof value === 'number' ? String(value) : value
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) return null
  const id = Number(raw)
  return id <= MAX_STORED_ID ? id : null
}
