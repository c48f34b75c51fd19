'use client'
import { useDocumentInfo, useFormFields } from '@payloadcms/ui'
import { useMemo } from 'react'

import { COUNTER_NAMES, type JobProgress, useJobProgress } from './progress-store'

/** This document's id and its live progress (the form's saved values until the first poll answers). */
export const useLiveJob = (): { id: number | string | undefined; progress: JobProgress | null } => {
  const { id } = useDocumentInfo()
  const status = useFormFields(([fields]) => fields.status?.value) as string | undefined
  const counts = useFormFields(([fields]) => COUNTER_NAMES.map((name) => Number(fields[name]?.value ?? 0)).join(','))
  const initial = useMemo<JobProgress | null>(() => {
    if (!id) return null
    const numbers = counts.split(',').map(Number)
    const progress = { status: status ?? 'draft' } as JobProgress
    COUNTER_NAMES.forEach((name, i) => (progress[name] = numbers[i] ?? 0))
    return progress
  }, [id, status, counts])
  return { id: id ?? undefined, progress: useJobProgress(id ?? undefined, initial) }
}
