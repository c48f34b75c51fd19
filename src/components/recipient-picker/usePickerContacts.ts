'use client'
import { useEffect, useState } from 'react'
import { preload } from 'react-dom'

export type PickerRow = { id: number; name: string; email: string; suppressedBecause: string | null; key: string }

export type PickerState =
  | { kind: 'no-org' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; rows: PickerRow[] }

type WireContact = [id: number, name: string, email: string, suppressedBecause: string | null]

/** Wire rows to picker rows, each with its lower-cased search key computed once. */
export const toPickerRows = (contacts: WireContact[]): PickerRow[] =>
  contacts.map(([id, name, email, suppressedBecause]) => ({ id, name, email, suppressedBecause, key: `${name}\n${email}`.toLowerCase() }))

/** The rows whose name or address contains the query (case-insensitive); all rows for an empty query. */
export const filterPickerRows = (rows: PickerRow[], query: string): PickerRow[] => {
  const needle = query.trim().toLowerCase()
  if (!needle) return rows
  const out: PickerRow[] = []
  for (let i = 0; i < rows.length; i++) if (rows[i]!.key.includes(needle)) out.push(rows[i]!)
  return out
}

const pickerURL = (org: number) => `/api/contacts/picker?org=${org}`

/**
 * All contacts of `org`, fetched once per org (`GET /api/contacts/picker?org=`). The request is
 * preloaded from the server-rendered HTML, so it runs while the admin's scripts load and hydrate.
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
        setState({ kind: 'loaded', rows: toPickerRows(body.contacts) })
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        setState({ kind: 'error', message: error instanceof Error ? error.message : 'The contacts could not be loaded.' })
      })
    return () => controller.abort()
  }, [org])
  return state
}
