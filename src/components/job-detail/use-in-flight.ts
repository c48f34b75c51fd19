'use client'
import { useEffect, useState, useSyncExternalStore } from 'react'

type Entry = { count: null | number; listeners: Set<() => void>; timer: null | ReturnType<typeof setTimeout>; key: string }
const entries = new Map<string, Entry>()

const poll = async (id: string, entry: Entry, key: string) => {
  let count: null | number = null
  try {
    const res = await fetch(`/api/email-recipients?where[job][equals]=${encodeURIComponent(id)}&where[status][equals]=sending&where[handedOffAt][exists]=true&limit=1&depth=0&select[id]=true`, { credentials: 'include' })
    if (res.ok) count = ((await res.json()) as { totalDocs: number }).totalDocs
  } catch {
    count = null
  }
  if (entry.key !== key) return
  entry.count = count
  for (const listener of entry.listeners) listener()
  if (count && entry.listeners.size) entry.timer = setTimeout(() => void poll(id, entry, key), 1000)
}

/**
 * How many of a paused or cancelled job's messages are still on the wire (recipients `sending` with
 * `handedOffAt`: handed to the provider by a worker that has not heard back yet; a claimed message not
 * handed off yet will not be, and goes back to pending), polled every second until none are left;
 * null otherwise. One poller per job for every component that shows it, so the page can say "Pausing…
 * 3 messages in flight" until it is true that nothing more goes out.
 */
export const useInFlight = (id: number | string | undefined, status: string): null | number => {
  const settling = Boolean(id) && (status === 'paused' || status === 'cancelled')
  const key = `${id}:${status}`
  const [entry] = useState<Entry>(() => {
    const existing = entries.get(String(id))
    if (existing) return existing
    const created: Entry = { count: null, listeners: new Set(), timer: null, key: '' }
    entries.set(String(id), created)
    return created
  })
  useEffect(() => {
    if (!settling) {
      // Resumed: a later pause polls afresh.
      if (entry.timer) clearTimeout(entry.timer)
      entry.key = ''
      return
    }
    if (entry.key === key) return
    if (entry.timer) clearTimeout(entry.timer)
    entry.key = key
    entry.count = null
    void poll(String(id), entry, key)
  }, [settling, key, id, entry])
  const count = useSyncExternalStore(
    (listener) => {
      entry.listeners.add(listener)
      return () => entry.listeners.delete(listener)
    },
    () => entry.count,
    () => null,
  )
  return settling ? count : null
}

/** The status as the job page says it: "Pausing…" or "Cancelling…" while messages are still in flight. */
export const settlingLabel = (status: string, inFlight: null | number, label: string): string =>
  inFlight ? (status === 'paused' ? 'Pausing…' : 'Cancelling…') : label
