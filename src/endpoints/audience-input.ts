import { AppError } from '@/services/errors/app-error'
import { parseStoredID } from '@/services/http/stored-id'

import { parseSelectionChange, type SelectionChange } from '@/services/audiences/selection-change'

/** `body.org`: required, an organisation id. */
export const bodyOrg = (body: Record<string, unknown>): number => {
  const org = parseStoredID(body.org)
  if (org === null) throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
  return org
}

/** `body.job`: absent (a job not created yet) or a job id. */
export const bodyJob = (body: Record<string, unknown>): number | undefined => {
  if (body.job === undefined || body.job === null || body.job === '') return undefined
  const job = parseStoredID(body.job)
  if (job === null) throw new AppError('INVALID_INPUT', '`job` must be an email job id.')
  return job
}

/** `body.change`: the unsaved selection steps (absent: none). */
export const bodyChange = (body: Record<string, unknown>): SelectionChange => (body.change === undefined || body.change === null ? [] : parseSelectionChange(body.change))

/** `body[key]`: absent or a list of segment ids. */
export const bodySegmentIDs = (body: Record<string, unknown>, key: string): number[] => {
  const value = body[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.length > 50) throw new AppError('INVALID_INPUT', `\`${key}\` must be a list of at most 50 segment ids.`)
  return value.map((item) => {
    const raw = item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : item
    const id = parseStoredID(raw)
    if (id === null) throw new AppError('INVALID_INPUT', `\`${key}\`: "${String(raw).slice(0, 40)}" is not a segment id.`)
    return id
  })
}

/** A whole number in [min, max] from `body[key]`, else `fallback` when absent; else a 400. */
export const bodyInt = (body: Record<string, unknown>, key: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number => {
  const value = body[key]
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new AppError('INVALID_INPUT', `\`${key}\` must be a whole number from ${min} to ${max}.`)
  return value
}
