/**
 * The database's refusal of a value that came from the request (a number out of range, text where a
 * number belongs, a NUL character, a record still referred to…) as the 4xx and sentence the client
 * should get, instead of a 500. Anything else is not classified (a real fault: logged and a 500).
 */
export type ClassifiedError = { status: 400 | 409; message: string; code: string }

const SQLSTATE = /^[0-9A-Z]{5}$/

/** The SQLSTATE of a PostgreSQL error, looking through the wrappers (drizzle, Payload) around it. */
export const sqlStateOf = (error: unknown): null | string => {
  let current: unknown = error
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && SQLSTATE.test(code)) return code
    // Errors wrap their origin as `cause` (drizzle, Payload) or `originalError` (GraphQL).
    current = (current as { cause?: unknown }).cause ?? (current as { originalError?: unknown }).originalError
  }
  return null
}

const BY_STATE: Record<string, Omit<ClassifiedError, 'code'>> = {
  '22P02': { status: 400, message: 'A value has the wrong form for its field (for example text where a number or an id belongs).' },
  '22003': { status: 400, message: 'A number is out of range.' },
  '22021': { status: 400, message: 'Text may not contain NUL characters or invalid UTF-8.' },
  '22P05': { status: 400, message: 'Text may not contain NUL characters (\\u0000).' },
  '22007': { status: 400, message: 'A date or time is not valid.' },
  '22008': { status: 400, message: 'A date or time is out of range.' },
  '2201W': { status: 400, message: '"limit" must be a positive whole number.' },
  '2201X': { status: 400, message: '"page" must be a positive whole number.' },
  '22001': { status: 400, message: 'A value is too long for its field.' },
  '22023': { status: 400, message: 'A value cannot be used here.' },
  '22025': { status: 400, message: 'A search pattern ends with an unfinished escape (\\).' },
  '2200B': { status: 400, message: 'A search pattern has an invalid escape character.' },
  '42883': { status: 400, message: 'That filter cannot be used on this field.' },
  '42804': { status: 400, message: 'A value has the wrong type for its field.' },
  '23503': { status: 409, message: 'Other records still refer to this one (or the one it names does not exist): remove or move them first.' },
  '23505': { status: 409, message: 'A record with the same values already exists.' },
  '23502': { status: 400, message: 'A required value is missing.' },
  '23514': { status: 400, message: 'A value breaks a rule of its field.' },
}

export const classifyDatabaseError = (error: unknown): ClassifiedError | null => {
  const state = sqlStateOf(error)
  if (!state) return null
  const known = BY_STATE[state]
  if (known) return { ...known, code: state }
  // Any other data exception (class 22) is a value the request sent.
  if (state.startsWith('22')) return { status: 400, message: 'A value in the request cannot be stored or compared.', code: state }
  return null
}
