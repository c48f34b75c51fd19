import type { Readable } from 'node:stream'

import type { Payload, PayloadRequest } from 'payload'

import { dbPool } from '@/db/pool'

import { exportCSV } from '../exports/export-csv'
import { requireImport } from './require-import'

type User = NonNullable<PayloadRequest['user']>

const PAGE = 5000

/**
 * The rows of an import that were not imported, as CSV: the file's own columns, `extra cells` (those of
 * a row longer than the header), then `line` (where the row starts in the file), `outcome` (failed or
 * skipped) and `error` (why, in a sentence); streamed page by page. Cells that a
 * spreadsheet would run as a formula are escaped.
 */
export const readImportProblemsCSV = async ({ payload, user, id }: { payload: Payload; user: User | null | undefined; id: number }): Promise<{ fileName: string; stream: Readable }> => {
  const { doc } = await requireImport({ payload, user, id, action: 'contacts.read' })
  const headers = Array.isArray(doc.headers) ? (doc.headers as string[]) : []
  const pool = dbPool(payload)
  async function* rows() {
    yield [...headers, 'extra cells', 'line', 'outcome', 'error']
    let after = 0
    for (;;) {
      const { rows: page } = await pool.query<{ id: number; line: number; outcome: string; error: string; cells: string[] }>(
        'SELECT id, line, outcome, error, cells FROM import_problems WHERE import_id = $1 AND id > $2 ORDER BY id LIMIT $3',
        [id, after, PAGE],
      )
      for (const row of page) {
        const cells = Array.isArray(row.cells) ? row.cells : []
        // Cells beyond the header's columns (a row too long) share one column, so every line has as many.
        yield [...headers.map((_, i) => cells[i] ?? ''), cells.slice(headers.length).join(', '), String(row.line), row.outcome, row.error]
      }
      if (page.length < PAGE) return
      after = page[page.length - 1]!.id
    }
  }
  const stream = exportCSV(rows())
  const base = doc.fileName.replace(/\.(csv|tsv|txt)$/i, '')
  return { fileName: `${base}-not-imported.csv`, stream }
}
