'use client'
import { useEffect, useState } from 'react'

import type { OrgOption, Summary } from './types'

export type SummaryState =
  | { status: 'loading'; summary: null | Summary }
  | { status: 'error'; message: string; summary: null }
  | { status: 'ready'; summary: Summary }

/** The endpoint's own words for a refused request (`{ errors: [{ message }] }`), else a sentence for the status. */
const refusal = async (res: Response): Promise<string> => {
  const body = await res.json().catch(() => null)
  const message = body?.errors?.[0]?.message
  if (typeof message === 'string' && message) return message
  if (res.status === 401) return 'Your session has ended: log in again to see analytics.'
  if (res.status === 403) return 'You have no organisation whose analytics you may see.'
  if (res.status === 404) return 'No such organisation, or you may not see its analytics.'
  return `The analytics could not be loaded (HTTP ${res.status}).`
}

/**
 * Loads `apiBase + path` whenever it or `refresh` changes (Refresh on a custom range keeps the same path,
 * so the counter is what asks again); keeps the last answer on screen while the next one loads.
 */
export const useSummary = (apiBase: string, path: string, refresh = 0): SummaryState => {
  const [state, setState] = useState<SummaryState>({ status: 'loading', summary: null })
  useEffect(() => {
    const controller = new AbortController()
    setState((previous) => ({ status: 'loading', summary: previous.summary }))
    fetch(`${apiBase}${path}`, { credentials: 'include', cache: 'no-store', signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) {
          const message = await refusal(res)
          if (!controller.signal.aborted) setState({ status: 'error', message, summary: null })
          return
        }
        const summary = (await res.json()) as Summary
        if (!controller.signal.aborted) setState({ status: 'ready', summary })
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', message: `The analytics could not be loaded (${error instanceof Error ? error.message : 'network error'}).`, summary: null })
      })
    return () => controller.abort()
  }, [apiBase, path, refresh])
  return state
}

/** The organisations the user can see (Payload's access control decides), for the selector and org names. */
export const useOrgOptions = (apiBase: string): OrgOption[] => {
  const [orgs, setOrgs] = useState<OrgOption[]>([])
  useEffect(() => {
    let cancelled = false
    fetch(`${apiBase}/organizations?limit=500&depth=0&sort=name&select[name]=true`, { credentials: 'include' })
      .then((res) => (res.ok ? res.json() : { docs: [] }))
      .then((body: { docs?: { id: number; name?: string }[] }) => {
        if (!cancelled) setOrgs((body.docs ?? []).map((d) => ({ id: d.id, name: d.name || `Organisation ${d.id}` })))
      })
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
  }, [apiBase])
  return orgs
}
