import type { Payload } from 'payload'

import { ensureTaskTrigger } from '../jobs/ensure-task-trigger'

export const IMPORT_TASK = 'runContactImport'
export const IMPORT_QUEUE = 'imports'

/** A waiting trigger for this import (ensureTaskTrigger). */
export const ensureImportTrigger = ({ payload, importID, waitUntil }: { payload: Payload; importID: number; waitUntil?: Date }): Promise<boolean> =>
  ensureTaskTrigger({ payload, task: IMPORT_TASK, queue: IMPORT_QUEUE, key: 'importID', id: importID, waitUntil })
