'use client'
import { useEffect, useState } from 'react'
import { preload } from 'react-dom'

export type PickerRow = { id: number; name: string; email: string; suppressedBecause: string | null; key: string; tags: readonly number[] }

export type PickerState =
  | { kind: 'no-org' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  /** Every contact of the org is here (at most 50,000): the picker filters them in the browser. */
  | { kind: 'loaded'; rows: PickerRow[]; tags: string[] }
  /** Too many to load: the picker searches on the server (usePickerSearch); the same look. */
  | { kind: 'server'; total: number; tags: string[] }

type WireContact = [id: number, name: string, email: string, suppressedBecause: string | null, tags?: number[]]
type WireBody = { mode: 'local'; tags: string[]; contacts: WireContact[] } | { mode: 'server'; total: number; tags: string[] }

const NO_TAGS: readonly number[] = []

/** Wire rows to picker rows, each with its lower-cased search key computed once. */
export const toPickerRows = (contacts: WireContact[]): PickerRow[] =>
  contacts.map(([id, name, email, suppressedBecause, tags]) => ({ id, name, email, suppressedBecause, key: `${name}\n${email}`.toLowerCase(), tags: tags?.length ? tags : NO_TAGS }))

/**
 * The rows matching a filter: every word of `query` in the name or address (case-insensitive), the tag
 * with index `tag`, and membership of `members` (a segment's contacts); all rows when nothing is set.
 */
export const filterPickerRows = (rows: PickerRow[], query: string, tag?: number, members?: ReadonlySet<number>): PickerRow[] => {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length && tag === undefined && !members) return rows
  const out: PickerRow[] = []
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (tag !== undefined && !row.tags.includes(tag)) continue
    if (members && !members.has(row.id)) continue
    let hit = true
    for (const word of words) if (!row.key.includes(word)) hit = false
    if (hit) out.push(row)
  }
  return out
}

const pickerURL = (org: number) => `/api/contacts/picker?org=${org}`

/**
 * The picker's contacts of `org`, fetched once per org (`GET /api/contacts/picker?org=`): all of them
 * up to 50,000, else the total and the org's tags. The request is preloaded from the server-rendered
 * HTML, so it runs while the admin's scripts load and hydrate.
 */
export const usePickerContacts = (org: number | undefined): PickerState => {
  // Same URL, mode and credentials as the fetch below, or the browser would fetch twice.
  if (org) preload(pickerURL(org), { as: 'fetch', crossOrigin: 'anonymous' })
  const [state, setState] = useState<PickerState>(org ? { kind: 'loading' } : { kind: 'no-org' })
  useEffect(() => {
    if (!org) {
      setState({ kind: 'no-org' })
      return
    }
    const controller = new AbortController()
    setState({ kind: 'loading' })
    fetch(pickerURL(org), { credentials: 'same-origin', mode: 'cors', signal: controller.signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null)
        if (!res.ok) throw new Error(body?.errors?.[0]?.message ?? `The contacts could not be loaded (${res.status}).`)
        const wire = body as WireBody
        setState(wire.mode === 'server' ? { kind: 'server', total: wire.total, tags: wire.tags } : { kind: 'loaded', rows: toPickerRows(wire.contacts), tags: wire.tags })
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        setState({ kind: 'error', message: error instanceof Error ? error.message : 'The contacts could not be loaded.' })
      })
    return () => controller.abort()
  }, [org])
  return state
}
