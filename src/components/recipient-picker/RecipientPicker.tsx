'use client'
import { Button, FieldDescription, FieldError, FieldLabel, useField, useFormFields } from '@payloadcms/ui'
import type { RelationshipFieldClientComponent } from 'payload'
import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'

import { filterPickerRows, type PickerRow, usePickerContacts } from './usePickerContacts'
import { ROW_HEIGHT, VirtualRows } from './VirtualRows'

import './RecipientPicker.scss'

const idOf = (value: unknown): number | undefined => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  const id = typeof raw === 'string' ? Number(raw) : raw
  return typeof id === 'number' && Number.isFinite(id) ? id : undefined
}

const numberFormat = new Intl.NumberFormat('en')
const count = (n: number) => numberFormat.format(n)

/**
 * The job's recipients: all contacts of the job's org, loaded once, filtered locally by name or
 * address, in a virtualised list (fixed row height, only the visible window rendered), so 50,000
 * contacts stay quick. Suppressed contacts are marked and cannot be chosen. Read-only unless the job
 * is a draft (queued jobs are frozen).
 */
export const RecipientPicker: RelationshipFieldClientComponent = ({ field, path, readOnly: readOnlyProp }) => {
  const { value, setValue, showError } = useField<unknown[] | null>({ path })
  const org = idOf(useFormFields(([fields]) => fields.org?.value))
  const status = (useFormFields(([fields]) => fields.status?.value) as string | undefined) ?? 'draft'
  const readOnly = Boolean(readOnlyProp || field.admin?.readOnly || status !== 'draft')
  const state = usePickerContacts(org)

  // Moving a draft to another org: the previous org's contacts are not its recipients any more.
  const previousOrg = useRef(org)
  useEffect(() => {
    if (previousOrg.current !== undefined && previousOrg.current !== org && !readOnly) setValue([])
    previousOrg.current = org
  }, [org, readOnly, setValue])

  // Filtering 50,000 rows takes a few milliseconds, so it runs in the keystroke's own render: the
  // list follows each key within a frame (bench/picker.ts; with useDeferredValue it was slower).
  const [query, setQuery] = useState('')
  const rows = state.kind === 'loaded' ? state.rows : EMPTY_ROWS
  const shown = useMemo(() => filterPickerRows(rows, query), [rows, query])

  const selectedIDs = useMemo(() => (Array.isArray(value) ? value.map(idOf).filter((id): id is number => id !== undefined) : []), [value])
  const selected = useMemo(() => new Set(selectedIDs), [selectedIDs])
  // How many shown rows are chosen, and how many more "Select all shown" would add.
  const [shownSelected, selectable] = useMemo(() => {
    let chosen = 0
    let open = 0
    for (const row of shown) {
      if (selected.has(row.id)) chosen++
      else if (!row.suppressedBecause) open++
    }
    return [chosen, open]
  }, [shown, selected])

  const toggle = useCallback(
    (row: PickerRow) => {
      if (readOnly) return
      if (selected.has(row.id)) setValue(selectedIDs.filter((id) => id !== row.id))
      else if (!row.suppressedBecause) setValue([...selectedIDs, row.id])
    },
    [readOnly, selected, selectedIDs, setValue],
  )
  const selectAllShown = () => {
    const added = shown.filter((row) => !row.suppressedBecause && !selected.has(row.id)).map((row) => row.id)
    if (added.length) setValue([...selectedIDs, ...added])
  }
  const clearShown = () => {
    const removed = new Set(shown.map((row) => row.id))
    setValue(selectedIDs.filter((id) => !removed.has(id)))
  }

  // Performance marks for bench/picker.ts: the first rows on screen, and each filtered list committed.
  const firstRowsMarked = useRef(false)
  useLayoutEffect(() => {
    if (state.kind !== 'loaded') return
    if (!firstRowsMarked.current) {
      firstRowsMarked.current = true
      performance.mark('picker:first-rows', { detail: { rows: rows.length } })
    }
    performance.mark('picker:filtered', { detail: { query, shown: shown.length } })
  }, [state.kind, rows, query, shown])

  return (
    <div className={`field-type recipient-picker${readOnly ? ' recipient-picker--read-only' : ''}${showError ? ' error' : ''}`} data-testid="recipient-picker">
      <FieldLabel label={field.label} path={path} required={field.required} />
      <FieldError path={path} showError={showError} />
      <div className="recipient-picker__panel">
        <div className="recipient-picker__toolbar">
          <input
            aria-label="Filter recipients by name or email"
            className="recipient-picker__search"
            data-testid="recipient-picker-search"
            disabled={state.kind !== 'loaded'}
            onChange={(event) => setQuery(event.target.value)}
            // Enter would submit the whole job form.
            onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}
            placeholder="Filter by name or email…"
            type="search"
            value={query}
          />
          {!readOnly && (
            <div className="recipient-picker__actions">
              <Button buttonStyle="secondary" disabled={state.kind !== 'loaded' || selectable === 0} margin={false} onClick={selectAllShown} size="medium">
                Select all shown
              </Button>
              <Button buttonStyle="subtle" disabled={shownSelected === 0} margin={false} onClick={clearShown} size="medium">
                Clear
              </Button>
            </div>
          )}
        </div>
        <div className="recipient-picker__summary" aria-live="polite">
          <strong data-testid="recipient-picker-count">{count(selected.size)} selected</strong>
          {state.kind === 'loaded' && (
            <span>
              {query.trim() ? `${count(shown.length)} of ${count(rows.length)} shown` : `${count(rows.length)} contacts`}
            </span>
          )}
          {readOnly && status !== 'draft' && <span>Recipients are fixed once a job is queued.</span>}
        </div>
        {state.kind === 'loaded' ? (
          <VirtualRows
            emptyText={rows.length ? 'No recipients found.' : 'This organisation has no contacts yet.'}
            readOnly={readOnly}
            resetKey={query}
            rows={shown}
            selected={selected}
            toggle={toggle}
          />
        ) : (
          <div className="recipient-picker__list recipient-picker__list--message" style={{ height: LIST_HEIGHT }}>
            <p className={state.kind === 'error' ? 'recipient-picker__error' : undefined}>
              {state.kind === 'no-org' ? 'Choose the organisation first.' : state.kind === 'error' ? state.message : 'Loading contacts…'}
            </p>
          </div>
        )}
      </div>
      <FieldDescription description={field.admin?.description as string | undefined} path={path} />
    </div>
  )
}

const EMPTY_ROWS: PickerRow[] = []
const LIST_HEIGHT = ROW_HEIGHT * 10
