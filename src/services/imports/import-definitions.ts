/**
 * The words of a contact import, shared by the server and the admin: its statuses (and which are
 * active or final), its modes, the fields a column can fill, the delimiters and encodings offered.
 */
export const IMPORT_STATUSES = ['uploaded', 'queued', 'running', 'stopping', 'stopped', 'completed', 'completed_with_errors', 'failed'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]
/** At most one import per org is in one of these (a unique index says so). */
export const ACTIVE_IMPORT_STATUSES: readonly ImportStatus[] = ['queued', 'running', 'stopping']
export const FINAL_IMPORT_STATUSES: readonly ImportStatus[] = ['completed', 'completed_with_errors', 'failed']

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  uploaded: 'Uploaded: map the columns',
  queued: 'Waiting to start',
  running: 'Importing',
  stopping: 'Stopping after this batch',
  stopped: 'Stopped (can resume)',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
}

export const IMPORT_MODES = ['create', 'upsert_email', 'upsert_phone', 'suppress'] as const
export type ImportMode = (typeof IMPORT_MODES)[number]
export const IMPORT_MODE_LABELS: Record<ImportMode, string> = {
  create: 'Create new contacts only (existing addresses are skipped)',
  upsert_email: 'Create or update, matching on email',
  upsert_phone: 'Create or update, matching on phone',
  suppress: 'Add to the suppression list',
}

export const IMPORT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'tags'] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = { email: 'Email', firstName: 'First name', lastName: 'Last name', phone: 'Phone', tags: 'Tags' }

export const IMPORT_DELIMITERS = { auto: 'Detect', comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const
export type ImportDelimiter = keyof typeof IMPORT_DELIMITERS
export const DELIMITER_LABELS: Record<ImportDelimiter, string> = { auto: 'Detect', comma: 'Comma (,)', semicolon: 'Semicolon (;)', tab: 'Tab', pipe: 'Pipe (|)' }

/** Encodings a file may be declared in (TextDecoder labels); `auto` detects (BOM, UTF-8, else a guess). */
export const IMPORT_ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'iso-8859-2', 'windows-1250', 'windows-1251', 'koi8-r', 'shift_jis', 'euc-jp', 'gb18030', 'big5', 'euc-kr'] as const
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number]
export const ENCODING_LABELS: Record<ImportEncoding, string> = {
  auto: 'Detect',
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252 (Western European, Excel)',
  'iso-8859-1': 'ISO-8859-1 (Latin-1)',
  'iso-8859-15': 'ISO-8859-15 (Latin-9)',
  'iso-8859-2': 'ISO-8859-2 (Central European)',
  'windows-1250': 'Windows-1250 (Central European)',
  'windows-1251': 'Windows-1251 (Cyrillic)',
  'koi8-r': 'KOI8-R (Cyrillic)',
  shift_jis: 'Shift_JIS (Japanese)',
  'euc-jp': 'EUC-JP (Japanese)',
  gb18030: 'GB18030 (Chinese)',
  big5: 'Big5 (Traditional Chinese)',
  'euc-kr': 'EUC-KR (Korean)',
}
