import type { TaskConfig } from 'payload'

import { envNumber } from '@/services/config/server-env'
import { ensureImportTrigger, IMPORT_TASK } from '@/services/imports/ensure-import-trigger'
import { runContactImport } from '@/services/imports/run-contact-import'

/**
 * A trigger for one contact import: works on it for up to IMPORT_RUN_SECONDS (default 300), then hands
 * over to a follow-up trigger if rows remain. Running it twice, or on two workers at once, is harmless:
 * the import's lease lets one work and the other return.
 */
export const runContactImportTask: TaskConfig<{ input: { importID: number }; output: { state: string; rows: number } }> = {
  slug: IMPORT_TASK,
  retries: 0,
  inputSchema: [{ name: 'importID', type: 'number', required: true }],
  outputSchema: [
    { name: 'state', type: 'text', required: true },
    { name: 'rows', type: 'number', required: true },
  ],
  handler: async ({ input, req }) => {
    const report = await runContactImport({ payload: req.payload, importID: input.importID, deadlineMs: Date.now() + envNumber('IMPORT_RUN_SECONDS', 300, { min: 1 }) * 1000 })
    if (report.state === 'paused') await ensureImportTrigger({ payload: req.payload, importID: input.importID })
    if (report.state === 'retry') await ensureImportTrigger({ payload: req.payload, importID: input.importID, waitUntil: new Date(Date.now() + 15_000) })
    return { output: report }
  },
}
