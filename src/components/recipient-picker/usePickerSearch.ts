'use client'
import { useCallback, useEffect, useRef, useState } from 'react'

import { postJSON } from './post-json'
import type { PickerFilter, Step } from './selection-steps'
import type { PickerRow } from './usePickerContacts'

export type ServerRow = PickerRow & { chosen: boolean }
type WireRow = [id: number, name: string, email: string, suppressedBecause: string | null, chosen: 0 | 1]
type Answer = { rows: WireRow[]; matching: number; matchingCapped: boolean }

export type PickerSearch = {
  rows: ServerRow[]
  matching: number
  capped: boolean
  loading: boolean
  error: string | null
  /** All rows of the filter are here. */
  complete: boolean
  loadMore: () => void
  /** Marks loaded rows chosen or not at once (a click), before the server knows. */
  markChosen: (ids: readonly number[], chosen: boolean) => void
}

const PAGE = 100
const NO_TAGS: readonly number[] = []

const toRows = (rows: WireRow[]): ServerRow[] =>
  rows.map(([id, name, email, suppressedBecause, chosen]) => ({ id, name, email, suppressedBecause, key: '', tags: NO_TAGS, chosen: chosen === 1 }))

/**
 * The picker's rows from the server (`POST /api/contacts/picker/search`), for orgs with more contacts
 * than the browser should hold: the first page of the filter, more as the list scrolls, each row marked
 * as the selection would be with the unsaved `steps` applied. Fetched again when the filter or
 * `refreshKey` changes (a "select all matching", a save); clicks update the loaded rows in place.
 */
export const usePickerSearch = ({
  enabled,
  org,
  job,
  filter,
  steps,
  refreshKey,
}: {
  enabled: boolean
  org: number | undefined
  job: number | string | undefined
  filter: PickerFilter
  steps: readonly Step[]
  refreshKey: unknown
}): PickerSearch => {
  const [rows, setRows] = useState<ServerRow[]>([])
  const [matching, setMatching] = useState(0)
  const [capped, setCapped] = useState(false)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [exhausted, setExhausted] = useState(false)
  const stepsRef = useRef(steps)
  stepsRef.current = steps
  const request = useRef<AbortController | null>(null)
  const filterKey = JSON.stringify(filter)

  const load = useCallback(
    (offset: number) => {
      if (!enabled || !org) return
      request.current?.abort()
      const controller = new AbortController()
      request.current = controller
      setLoading(true)
      postJSON<Answer>('/api/contacts/picker/search', { org, job: job || undefined, filter: JSON.parse(filterKey), change: stepsRef.current, offset, limit: PAGE }, controller.signal)
        .then((answer) => {
          const page = toRows(answer.rows)
          setRows((previous) => (offset === 0 ? page : [...previous, ...page]))
          setMatching(answer.matching)
          setCapped(answer.matchingCapped)
          setExhausted(page.length < PAGE)
          setError(null)
          setLoading(false)
        })
        .catch((failure: unknown) => {
          if (controller.signal.aborted) return
          setError(failure instanceof Error ? failure.message : 'The contacts could not be loaded.')
          setLoading(false)
        })
    },
    [enabled, org, job, filterKey],
  )

  // A new filter waits for typing to pause; the first load and a refresh go at once.
  const firstLoad = useRef(true)
  useEffect(() => {
    if (!enabled || !org) return
    const delay = firstLoad.current ? 0 : 200
    firstLoad.current = false
    const timer = setTimeout(() => load(0), delay)
    return () => clearTimeout(timer)
  }, [enabled, org, load, refreshKey])
  useEffect(() => () => request.current?.abort(), [])

  const complete = exhausted
  const loadMore = useCallback(() => {
    if (!loading && !complete && !error) load(rows.length)
  }, [complete, error, load, loading, rows.length])
  const markChosen = useCallback((ids: readonly number[], chosen: boolean) => {
    const changed = new Set(ids)
    setRows((previous) => previous.map((row) => (changed.has(row.id) && row.chosen !== chosen ? { ...row, chosen } : row)))
  }, [])
  return { rows, matching, capped, loading, error, complete, loadMore, markChosen }
}
