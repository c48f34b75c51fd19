'use client'
import { useConfig } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

export type EngagementState<T> = { data: T | null; error: null | string; loading: boolean; reload: () => void }

/**
 * Reads `GET /api/<collection>/<id>/engagement` (Payload's access rules apply on the server); `refreshKey`
 * changing reads it again (e.g. when the job's counters move). A new read aborts the one still running.
 */
export const useEngagement = <T,>(collection: string, id: number | string | undefined, refreshKey = ''): EngagementState<T> => {
  const { config } = useConfig()
  const api = config.routes?.api ?? '/api'
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<null | string>(null)
  const [loading, setLoading] = useState(false)
  const [tick, setTick] = useState(0)

  useEffect(() => {
    if (id === undefined || id === null || id === '') return
    const controller = new AbortController()
    const { signal } = controller
    setLoading(true)
    fetch(`${api}/${collection}/${encodeURIComponent(String(id))}/engagement`, { credentials: 'include', cache: 'no-store', signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null)
        if (signal.aborted) return
        if (!res.ok) {
          setError(body?.errors?.[0]?.message ?? `Could not load engagement (${res.status}).`)
          return
        }
        // A proxy's HTML page or a cut-off answer: say so instead of loading forever.
        if (!body || typeof body !== 'object') {
          setError('Could not load engagement: the server sent an answer that is not engagement figures.')
          return
        }
        setError(null)
        setData(body as T)
      })
      .catch(() => {
        if (!signal.aborted) setError('Could not load engagement: the server did not answer.')
      })
      .finally(() => {
        if (!signal.aborted) setLoading(false)
      })
    return () => controller.abort()
  }, [api, collection, id, refreshKey, tick])

  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}
