import type { Payload } from 'payload'

import { ensureTaskTrigger } from '../jobs/ensure-task-trigger'

export const EXPORT_TASK = 'runContactExport'
export const EXPORT_QUEUE = 'exports'

/** A waiting trigger for this export (ensureTaskTrigger). */
export const ensureExportTrigger = ({ payload, exportID, waitUntil }: { payload: Payload; exportID: number; waitUntil?: Date }): Promise<boolean> =>
  ensureTaskTrigger({ payload, task: EXPORT_TASK, queue: EXPORT_QUEUE, key: 'exportID', id: exportID, waitUntil })
