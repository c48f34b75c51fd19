'use client'
import { Button, FieldDescription, useDocumentInfo, useField, useFormFields } from '@payloadcms/ui'
import type { UIFieldClientComponent } from 'payload'
import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'

import { postJSON } from './post-json'
import { cleared, foldSelection, type PickerFilter, stepsOf, withIDs, withMatching, type Step } from './selection-steps'
import { useJobSelection } from './useJobSelection'
import { filterPickerRows, type PickerRow, usePickerContacts } from './usePickerContacts'
import { type ServerRow, usePickerSearch } from './usePickerSearch'
import { ROW_HEIGHT, VirtualRows } from './VirtualRows'

import './RecipientPicker.scss'

const idOf = (value: unknown): number | undefined => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  const id = typeof raw === 'string' ? Number(raw) : raw
  return typeof id === 'number' && Number.isFinite(id) ? id : undefined
}

const numberFormat = new Intl.NumberFormat('en')
const count = (n: number) => numberFormat.format(n)

type Segment = { id: number; name: string }

/** The org's segments, for the picker's segment filter. */
const useOrgSegments = (org: number | undefined): Segment[] => {
  const [segments, setSegments] = useState<Segment[]>([])
  useEffect(() => {
    if (!org) return setSegments([])
    const controller = new AbortController()
    fetch(`/api/segments?where[org][equals]=${org}&limit=200&depth=0&sort=name&select[name]=true`, { credentials: 'same-origin', signal: controller.signal })
      .then((res) => (res.ok ? res.json() : { docs: [] }))
      .then((body: { docs?: Segment[] }) => setSegments(body.docs ?? []))
      .catch(() => {})
    return () => controller.abort()
  }, [org])
  return segments
}

/** The contacts of a segment (for the picker that holds every contact), or an error sentence. */
const useSegmentMembers = (segment: number | undefined, enabled: boolean): { members?: Set<number>; error?: string; loading: boolean } => {
  const [state, setState] = useState<{ members?: Set<number>; error?: string; loading: boolean }>({ loading: false })
  useEffect(() => {
    if (!enabled || segment === undefined) return setState({ loading: false })
    const controller = new AbortController()
    setState({ loading: true })
    fetch(`/api/segments/${segment}/members`, { credentials: 'same-origin', signal: controller.signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null)
        if (!res.ok) throw new Error(body?.errors?.[0]?.message ?? `The segment's contacts could not be loaded (${res.status}).`)
        setState({ members: new Set<number>(body.ids), loading: false })
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ error: error instanceof Error ? error.message : "The segment's contacts could not be loaded.", loading: false })
      })
    return () => controller.abort()
  }, [segment, enabled])
  return state
}

/** The selection's size with unsaved steps, counted by the server (for the picker that searches there). */
const useServerSelectionCount = (enabled: boolean, org: number | undefined, job: number | string | undefined, steps: readonly Step[], base: number | undefined) => {
  const [counted, setCounted] = useState<number | undefined>(undefined)
  const key = JSON.stringify(steps)
  useEffect(() => {
    if (!enabled || !org) return
    if (!steps.length) return setCounted(base)
    const controller = new AbortController()
    setCounted(undefined)
    const timer = setTimeout(() => {
      postJSON<{ selection: number }>('/api/email-jobs/audience-count', { org, job: job || undefined, audience: {}, change: steps }, controller.signal)
        .then((answer) => setCounted(answer.selection))
        .catch(() => {})
    }, 300)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [enabled, org, job, key, base])
  return counted
}

/**
 * The contacts a job goes to one by one (its explicit selection). Up to 50,000 contacts the picker loads
 * them all once and filters locally by name, address, tag and segment, in a virtualised list (only the
 * visible rows rendered), so each key press answers within a frame. Above, it searches on the server
 * with the same look. Changes are kept as steps in the job's `selection` field and applied on save;
 * "Select all matching" on the server picker is one step, never a list of a million ids. Suppressed
 * contacts are marked and cannot be chosen. Read-only unless the job is a draft.
 */
export const RecipientPicker: UIFieldClientComponent = ({ field }) => {
  const { value: stepsValue, setValue: setSteps } = useField<unknown>({ path: 'selection' })
  const steps = useMemo(() => stepsOf(stepsValue), [stepsValue])
  const org = idOf(useFormFields(([fields]) => fields.org?.value))
  const status = (useFormFields(([fields]) => fields.status?.value) as string | undefined) ?? 'draft'
  const queuedTotal = Number(useFormFields(([fields]) => fields.total?.value) ?? 0)
  const { id: job, savedDocumentData } = useDocumentInfo()
  const readOnly = Boolean(field.admin?.readOnly || status !== 'draft')
  const data = usePickerContacts(org)
  const base = useJobSelection(job, savedDocumentData?.updatedAt)
  const segments = useOrgSegments(org)
  const server = data.kind === 'server'

  const update = useCallback((next: Step[]) => setSteps(next.length ? next : null), [setSteps])

  // Moving a draft to another org: the previous org's contacts are not its recipients any more.
  const previousOrg = useRef(org)
  useEffect(() => {
    if (previousOrg.current !== undefined && previousOrg.current !== org && !readOnly) update(job ? cleared() : [])
    previousOrg.current = org
  }, [org, readOnly, update, job])

  // The filter. Typing filters within the keystroke's own render (a few milliseconds for 50,000 rows).
  const [query, setQuery] = useState('')
  const [tagName, setTagName] = useState('')
  const [segment, setSegment] = useState<number | undefined>(undefined)
  const tags = data.kind === 'loaded' || data.kind === 'server' ? data.tags : NO_TAGS
  const filter: PickerFilter = useMemo(() => ({ search: query.trim() || undefined, tag: tagName || undefined, segment }), [query, tagName, segment])
  const filtering = Boolean(filter.search || filter.tag || filter.segment !== undefined)

  // The picker holding every contact: rows filtered here, the selection folded here.
  const members = useSegmentMembers(segment, data.kind === 'loaded')
  const rows = data.kind === 'loaded' ? data.rows : EMPTY_ROWS
  const tagIndex = data.kind === 'loaded' && tagName ? data.tags.indexOf(tagName) : undefined
  const shown = useMemo(() => {
    if (data.kind !== 'loaded') return EMPTY_ROWS
    if (tagIndex === -1 || (segment !== undefined && !members.members)) return EMPTY_ROWS
    return filterPickerRows(rows, query, tagIndex, segment !== undefined ? members.members : undefined)
  }, [data.kind, rows, query, tagIndex, segment, members.members])
  const baseIDs = base.kind === 'loaded' ? base.ids : null
  const chosenLocally = useMemo(() => (data.kind === 'loaded' ? foldSelection(baseIDs ?? [], steps, () => []) : EMPTY_SET), [data.kind, baseIDs, steps])

  // The picker searching on the server.
  const [refreshKey, setRefreshKey] = useState(0)
  const search = usePickerSearch({ enabled: server, org, job, filter, steps, refreshKey: `${refreshKey}:${String(savedDocumentData?.updatedAt)}` })
  const serverCount = useServerSelectionCount(server, org, job, steps, base.kind === 'loaded' ? base.count : undefined)

  const isChosen = useCallback((row: PickerRow) => (server ? (row as ServerRow).chosen : chosenLocally.has(row.id)), [server, chosenLocally])
  const toggle = useCallback(
    (row: PickerRow) => {
      if (readOnly) return
      const chosen = isChosen(row)
      if (!chosen && row.suppressedBecause) return
      update(withIDs(steps, [row.id], !chosen))
      if (server) search.markChosen([row.id], !chosen)
    },
    [readOnly, isChosen, update, steps, server, search],
  )

  // How many shown rows are chosen, and how many more "Select all matching" would add (local picker).
  const [shownChosen, selectable] = useMemo(() => {
    let chosen = 0
    let open = 0
    for (const row of shown) {
      if (chosenLocally.has(row.id)) chosen++
      else if (!row.suppressedBecause) open++
    }
    return [chosen, open]
  }, [shown, chosenLocally])

  const selectAllMatching = () => {
    if (server) {
      update(withMatching(steps, filter, true))
      setRefreshKey((n) => n + 1)
    } else {
      update(withIDs(steps, shown.filter((row) => !row.suppressedBecause && !chosenLocally.has(row.id)).map((row) => row.id), true))
    }
  }
  const clearMatching = () => {
    if (server) {
      update(filtering ? withMatching(steps, filter, false) : job ? cleared() : [])
      setRefreshKey((n) => n + 1)
    } else {
      update(withIDs(steps, shown.filter((row) => chosenLocally.has(row.id)).map((row) => row.id), false))
    }
  }

  // Performance marks for bench/picker.ts: the first rows on screen, and each filtered list committed.
  const firstRowsMarked = useRef(false)
  useLayoutEffect(() => {
    if (data.kind !== 'loaded') return
    if (!firstRowsMarked.current) {
      firstRowsMarked.current = true
      performance.mark('picker:first-rows', { detail: { rows: rows.length } })
    }
    performance.mark('picker:filtered', { detail: { query, shown: shown.length } })
  }, [data.kind, rows, query, shown])

  const selectedCount = server ? serverCount : base.kind === 'loaded' && (base.ids || !steps.length) ? (base.ids ? chosenLocally.size : base.count) : undefined
  const ready = data.kind === 'loaded' || data.kind === 'server'
  const listed: PickerRow[] = server ? search.rows : shown
  const matchingCount = server ? search.matching : shown.length
  const message =
    data.kind === 'no-org'
      ? 'Choose the organisation first.'
      : data.kind === 'error'
        ? data.message
        : base.kind === 'error'
          ? base.message
          : members.error
            ? members.error
            : server && search.error
              ? search.error
              : data.kind === 'loading' || base.kind === 'loading' || members.loading || (server && search.loading && !search.rows.length)
                ? 'Loading contacts…'
                : null
  const failed = data.kind === 'error' || base.kind === 'error' || Boolean(members.error) || Boolean(server && search.error)

  return (
    <div className={`field-type recipient-picker${readOnly ? ' recipient-picker--read-only' : ''}`} data-mode={server ? 'server' : 'local'} data-testid="recipient-picker">
      <span className="field-label">Contacts chosen one by one</span>
      <div className="recipient-picker__panel">
        <div className="recipient-picker__toolbar">
          <input
            aria-label="Filter recipients by name or email"
            className="recipient-picker__search"
            data-testid="recipient-picker-search"
            disabled={!ready}
            onChange={(event) => setQuery(event.target.value)}
            // Enter would submit the whole job form.
            onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}
            placeholder="Filter by name or email…"
            type="search"
            value={query}
          />
          <select aria-label="Filter by tag" className="recipient-picker__select" data-testid="recipient-picker-tag" disabled={!ready} onChange={(event) => setTagName(event.target.value)} value={tagName}>
            <option value="">Any tag</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by segment"
            className="recipient-picker__select"
            data-testid="recipient-picker-segment"
            disabled={!ready}
            onChange={(event) => setSegment(event.target.value ? Number(event.target.value) : undefined)}
            value={segment ?? ''}
          >
            <option value="">Any segment</option>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {!readOnly && (
            <div className="recipient-picker__actions">
              <Button buttonStyle="secondary" disabled={!ready || (server ? search.matching === 0 : selectable === 0)} margin={false} onClick={selectAllMatching} size="medium">
                {filtering ? 'Select all matching' : 'Select all'}
              </Button>
              <Button buttonStyle="subtle" disabled={!ready || (server ? !selectedCount : shownChosen === 0)} margin={false} onClick={clearMatching} size="medium">
                {filtering ? 'Clear matching' : 'Clear'}
              </Button>
            </div>
          )}
        </div>
        <div className="recipient-picker__summary" aria-live="polite">
          <strong data-testid="recipient-picker-count">{selectedCount === undefined ? 'Counting…' : `${count(selectedCount)} selected`}</strong>
          {ready && (
            <span data-testid="recipient-picker-shown">
              {filtering
                ? `${count(matchingCount)}${server && search.capped ? '+' : ''} of ${count(server ? (data.kind === 'server' ? data.total : 0) : rows.length)} match`
                : `${count(server ? (data.kind === 'server' ? data.total : 0) : rows.length)} contacts`}
            </span>
          )}
          {readOnly && status !== 'draft' && (
            <span data-testid="recipient-picker-queued">
              Recipients are fixed once a job is queued: {count(queuedTotal)} {queuedTotal === 1 ? 'recipient' : 'recipients'} from the whole audience (the contacts selected here, the tags
              and segments, less anyone left out; suppressed addresses among them are excluded, not sent).
            </span>
          )}
        </div>
        {ready && !message ? (
          <VirtualRows
            emptyText={filtering ? 'No recipients found.' : 'This organisation has no contacts yet.'}
            footer={server && !search.complete ? 'Loading more…' : null}
            isChosen={isChosen}
            onNearEnd={server ? search.loadMore : undefined}
            readOnly={readOnly}
            resetKey={JSON.stringify(filter)}
            rows={listed}
            toggle={toggle}
          />
        ) : (
          <div className="recipient-picker__list recipient-picker__list--message" style={{ height: LIST_HEIGHT }}>
            <p className={failed ? 'recipient-picker__error' : undefined}>{message}</p>
          </div>
        )}
      </div>
      <FieldDescription
        description="Tick contacts one by one, or filter and use “Select all matching”. Suppressed contacts are marked and skipped. Saved with the job."
        path="audience.picker"
      />
    </div>
  )
}

const EMPTY_ROWS: PickerRow[] = []
const EMPTY_SET: ReadonlySet<number> = new Set()
const NO_TAGS: string[] = []
const LIST_HEIGHT = ROW_HEIGHT * 10
