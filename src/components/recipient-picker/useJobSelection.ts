'use client'
import { useEffect, useState } from 'react'

export type JobSelection = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'loaded'; count: number; ids: Set<number> | null }

const EMPTY: JobSelection = { kind: 'loaded', count: 0, ids: new Set() }

/**
 * The job's stored explicit selection (`GET /api/email-jobs/:id/selection`): its size, and its ids when
 * there are at most 50,000. Fetched again when `version` changes (the job was saved). A job not created
 * yet has none.
 */
export const useJobSelection = (job: number | string | undefined, version: unknown): JobSelection => {
  const [state, setState] = useState<JobSelection>(job ? { kind: 'loading' } : EMPTY)
  useEffect(() => {
    if (!job) {
      setState(EMPTY)
      return
    }
    const controller = new AbortController()
    fetch(`/api/email-jobs/${job}/selection`, { credentials: 'same-origin', signal: controller.signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null)
        if (!res.ok) throw new Error(body?.errors?.[0]?.message ?? `The job's recipients could not be loaded (${res.status}).`)
        setState({ kind: 'loaded', count: body.count, ids: body.ids ? new Set<number>(body.ids) : null })
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        setState({ kind: 'error', message: error instanceof Error ? error.message : "The job's recipients could not be loaded." })
      })
    return () => controller.abort()
  }, [job, version])
  return state
}
