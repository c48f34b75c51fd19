'use client'
import { useCallback, useEffect, useSyncExternalStore } from 'react'

import { RUNNING_JOB_STATUSES } from '@/services/sending/job-transitions'

import { COUNTER_NAMES, type Counter } from './counters'
import { progressQuery } from './queries'

export { COUNTER_NAMES, type Counter }
export type JobProgress = { status: string; completedAt?: null | string } & Record<Counter, number>

/** The statuses in which a job's numbers can still move, so the page keeps asking. */
/** The statuses in which a job still changes by itself: polled while in one of them. */
export const LIVE_STATUSES: readonly string[] = RUNNING_JOB_STATUSES
// Once a second: the worker flushes counters every second, so each read shows a move and the page never
// stands still for 2 s while messages go out (a read itself takes a few milliseconds).
export const POLL_MS = 1000

type Entry = { progress: JobProgress | null; listeners: Set<() => void>; timer: null | ReturnType<typeof setTimeout>; inFlight: boolean }

// One poller per job, however many components on the page show it (progress, recipients, actions).
const entries = new Map<string, Entry>()

const entryOf = (id: string): Entry => {
  let entry = entries.get(id)
  if (!entry) {
    entry = { progress: null, listeners: new Set(), timer: null, inFlight: false }
    entries.set(id, entry)
  }
  return entry
}

const publish = (entry: Entry, progress: JobProgress) => {
  entry.progress = progress
  for (const listener of entry.listeners) listener()
}

const isVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden'

const schedule = (id: string) => {
  const entry = entryOf(id)
  if (entry.timer) clearTimeout(entry.timer)
  entry.timer = null
  if (!entry.listeners.size || !isVisible()) return
  if (entry.progress && !LIVE_STATUSES.includes(entry.progress.status)) return
  entry.timer = setTimeout(() => void fetchProgress(id), POLL_MS)
}

/** Reads the job's status and counters (the same REST read as everywhere: Payload checks access). */
export const fetchProgress = async (id: string): Promise<void> => {
  const entry = entryOf(id)
  if (entry.inFlight) return
  entry.inFlight = true
  try {
    const res = await fetch(`/api${progressQuery(id)}`, { credentials: 'include', cache: 'no-store' })
    if (res.ok) {
      const doc = await res.json()
      const progress = { status: String(doc.status ?? 'draft'), completedAt: doc.completedAt ?? null } as JobProgress
      for (const name of COUNTER_NAMES) progress[name] = Number(doc[name] ?? 0)
      publish(entry, progress)
    }
  } catch {
    // A dropped request is retried on the next tick.
  } finally {
    entry.inFlight = false
    schedule(id)
  }
}

/** After an action: show the server's answer at once, then read again (polling resumes if the job runs). */
export const setProgressStatus = (id: string, status: string) => {
  const entry = entryOf(id)
  if (entry.progress) publish(entry, { ...entry.progress, status })
  void fetchProgress(id)
}

/**
 * Live status and counters of one job, polled every second while it can still change and the tab is
 * visible; `initial` (the form's values) shows until the first answer.
 */
export const useJobProgress = (id: number | string | undefined, initial: JobProgress | null): JobProgress | null => {
  const key = id === undefined || id === null ? '' : String(id)
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!key) return () => {}
      const entry = entryOf(key)
      entry.listeners.add(listener)
      if (entry.listeners.size === 1) void fetchProgress(key)
      return () => {
        entry.listeners.delete(listener)
        if (!entry.listeners.size && entry.timer) {
          clearTimeout(entry.timer)
          entry.timer = null
        }
      }
    },
    [key],
  )
  const snapshot = useCallback(() => (key ? entryOf(key).progress : null), [key])
  const progress = useSyncExternalStore(subscribe, snapshot, () => null)

  useEffect(() => {
    if (!key) return
    const onVisibility = () => (isVisible() ? void fetchProgress(key) : schedule(key))
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [key])

  return progress ?? initial
}
