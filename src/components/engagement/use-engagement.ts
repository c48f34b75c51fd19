'use client'
import { useConfig } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

export type EngagementState<T> = { data: T | null; error: null | string; loading: boolean; reload: () => void }

/**
 * Reads `GET /api/<collection>/<id>/engagement` (Payload's access rules apply on the server); `refreshKey`
 * changing reads it again (e.g. when the job's counters move).
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
    let cancelled = false
    setLoading(true)
    fetch(`${api}/${collection}/${encodeURIComponent(String(id))}/engagement`, { credentials: 'include', cache: 'no-store' })
      .then(async (res) => {
        const body = await res.json().catch(() => null)
        if (cancelled) return
        if (!res.ok) {
          setError(body?.errors?.[0]?.message ?? `Could not load engagement (${res.status}).`)
          return
        }
        setError(null)
        setData(body as T)
      })
      .catch(() => !cancelled && setError('Could not load engagement: the server did not answer.'))
      .finally(() => !cancelled && setLoading(false))
    return () => {
      cancelled = true
    }
  }, [api, collection, id, refreshKey, tick])

  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}
