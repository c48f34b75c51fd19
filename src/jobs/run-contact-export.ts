import type { TaskConfig } from 'payload'

import { EXPORT_TASK } from '@/services/exports/ensure-export-trigger'
import { runContactExport } from '@/services/exports/run-contact-export'

/** A trigger for one export: writes its file. Running it twice is harmless (the export's lease decides). */
export const runContactExportTask: TaskConfig<{ input: { exportID: number }; output: { state: string } }> = {
  slug: EXPORT_TASK,
  retries: 0,
  inputSchema: [{ name: 'exportID', type: 'number', required: true }],
  outputSchema: [{ name: 'state', type: 'text', required: true }],
  handler: async ({ input, req }) => ({ output: { state: await runContactExport({ payload: req.payload, exportID: input.exportID }) } }),
}
