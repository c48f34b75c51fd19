'use client'
import React, { memo, useLayoutEffect, useRef, useState } from 'react'

import type { PickerRow } from './usePickerContacts'

export const ROW_HEIGHT = 36
const VISIBLE_ROWS = 10
const OVERSCAN = 6

const REASON_LABEL: Record<string, string> = {
  bounce: 'bounced',
  dropped: 'dropped',
  spamreport: 'spam report',
  unsubscribe: 'unsubscribed',
  keyword: 'opted out',
  manual: 'blocked',
}
export const reasonLabel = (reason: string) => REASON_LABEL[reason] ?? reason

type Props<Row extends PickerRow> = {
  rows: Row[]
  isChosen: (row: Row) => boolean
  toggle: (row: Row) => void
  readOnly: boolean
  emptyText: string
  /** Scrolls back to the top when it changes (a new filter). */
  resetKey: string
  /** Called when the last rows come into view (to load more). */
  onNearEnd?: () => void
  /** A line under the last row (e.g. "Loading more…"). */
  footer?: string | null
}

/**
 * A fixed-height scroll container that renders only the rows in view (plus a few above and below)
 * inside a spacer as tall as all rows: the DOM holds ~25 rows whether there are 10 or 50,000.
 */
export const VirtualRows = <Row extends PickerRow>({ rows, isChosen, toggle, readOnly, emptyText, resetKey, onNearEnd, footer }: Props<Row>) => {
  const container = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const height = ROW_HEIGHT * VISIBLE_ROWS

  useLayoutEffect(() => {
    // Instantly: the list's smooth scrolling is for the reader, not for a new filter.
    container.current?.scrollTo({ top: 0, behavior: 'instant' })
    setScrollTop(0)
  }, [resetKey])

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN)
  const visible = rows.slice(first, last)
  const nearEnd = rows.length > 0 && last >= rows.length - OVERSCAN
  useLayoutEffect(() => {
    if (nearEnd) onNearEnd?.()
  }, [nearEnd, onNearEnd, rows.length])

  return (
    <div
      aria-label="Recipients"
      className="recipient-picker__list"
      data-testid="recipient-picker-list"
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      ref={container}
      role="group"
      style={{ height }}
    >
      {rows.length === 0 ? (
        <p className="recipient-picker__empty">{emptyText}</p>
      ) : (
        <div className="recipient-picker__spacer" style={{ height: (rows.length + (footer ? 1 : 0)) * ROW_HEIGHT }}>
          {visible.map((row, i) => (
            <RowView isSelected={isChosen(row)} key={row.id} readOnly={readOnly} row={row} toggle={toggle as (row: PickerRow) => void} top={(first + i) * ROW_HEIGHT} />
          ))}
          {footer && (
            <p className="recipient-picker__footer" style={{ transform: `translateY(${rows.length * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}>
              {footer}
            </p>
          )}
        </div>
      )}
    </div>
  )
}

type RowProps = { row: PickerRow; top: number; isSelected: boolean; readOnly: boolean; toggle: (row: PickerRow) => void }

const RowView = memo(function RowView({ row, top, isSelected, readOnly, toggle }: RowProps) {
  const suppressed = row.suppressedBecause
  // A suppressed contact chosen earlier can still be removed, never added.
  const disabled = readOnly || (Boolean(suppressed) && !isSelected)
  return (
    <label
      className={`recipient-picker__row${isSelected ? ' recipient-picker__row--selected' : ''}${suppressed ? ' recipient-picker__row--suppressed' : ''}`}
      data-contact-id={row.id}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      title={suppressed ? `Suppressed (${reasonLabel(suppressed)}): this address receives nothing.` : undefined}
    >
      <input checked={isSelected} disabled={disabled} onChange={() => toggle(row)} type="checkbox" />
      <span className="recipient-picker__name">{row.name || <em>No name</em>}</span>
      <span className="recipient-picker__email">{row.email}</span>
      {suppressed && <span className="recipient-picker__badge">{reasonLabel(suppressed)}</span>}
    </label>
  )
})
