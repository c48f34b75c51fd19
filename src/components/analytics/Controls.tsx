'use client'
import React, { useEffect, useState } from 'react'

import type { Bucket, OrgOption } from './types'
import { customRangeFromDates, dateInputValue, effectiveBucket, isDailyAllowed, isHourlyAllowed, RANGE_PRESETS, type RangeKey, type ViewState } from './view-state'

type Props = {
  state: ViewState
  /** The viewer's zone: the date inputs are its days. */
  timeZone: string
  now: Date
  /** The window the last answer covered, to start a custom range from. */
  shownFrom: null | string
  shownTo: null | string
  orgs: OrgOption[]
  showOrgSelect: boolean
  onChange: (patch: Partial<ViewState>) => void
}

/** Range, bucket and organisation. Every change goes to the URL; the dashboard reloads from it. */
export const Controls = ({ state, timeZone, now, shownFrom, shownTo, orgs, showOrgSelect, onChange }: Props) => {
  const [customOpen, setCustomOpen] = useState(state.range === 'custom')
  const [fromDay, setFromDay] = useState('')
  const [toDay, setToDay] = useState('')
  // The inputs follow the range in the URL: a custom range (a shared link) opens them, filled with it; a
  // preset chosen anywhere (here, or the empty state's "Last 90 days") closes them.
  useEffect(() => {
    setCustomOpen(state.range === 'custom')
    if (state.range !== 'custom') return
    setFromDay(dateInputValue(state.from, {}, timeZone))
    setToDay(dateInputValue(state.to, { endExclusive: true }, timeZone))
  }, [state.range, state.from, state.to, timeZone])

  const openCustom = () => {
    setFromDay(dateInputValue(state.from ?? shownFrom, {}, timeZone))
    setToDay(dateInputValue(state.to ?? shownTo ?? now.toISOString(), { endExclusive: true }, timeZone))
    setCustomOpen(true)
  }
  /** The chosen bucket if the next range offers it, else the range's default. */
  const bucketFor = (next: ViewState) =>
    (state.bucket === 'hour' && !isHourlyAllowed(next, now)) || (state.bucket === 'day' && !isDailyAllowed(next)) ? null : state.bucket
  const pickPreset = (range: RangeKey) => {
    setCustomOpen(false)
    onChange({ range, from: null, to: null, bucket: bucketFor({ ...state, range, from: null, to: null }) })
  }
  const applyCustom = (event: React.FormEvent) => {
    event.preventDefault()
    const { from, to } = customRangeFromDates(fromDay, toDay, timeZone)
    onChange({ range: 'custom', from, to, bucket: bucketFor({ ...state, range: 'custom', from, to }) })
  }
  const bucket = effectiveBucket(state, now)
  const hourly = isHourlyAllowed(state, now)
  const daily = isDailyAllowed(state)

  return (
    <div className="analytics__controls">
      <div aria-label="Time range" className="analytics__segmented" role="group">
        {RANGE_PRESETS.map((p) => (
          <button
            aria-pressed={state.range === p.key && !customOpen}
            className="analytics__segment"
            key={p.key}
            onClick={() => pickPreset(p.key)}
            type="button"
          >
            {p.label}
          </button>
        ))}
        <button aria-pressed={customOpen} className="analytics__segment" onClick={openCustom} type="button">
          Custom…
        </button>
      </div>

      <label className="analytics__field">
        {/* Named by its visible label alone (a wrapping label would add the chosen option: "Per Hour"). */}
        <span id="analytics-bucket-label">Per</span>
        <select aria-labelledby="analytics-bucket-label" onChange={(e) => onChange({ bucket: e.target.value as Bucket })} value={bucket ?? 'day'}>
          <option disabled={!hourly} value="hour">
            {hourly ? 'Hour' : 'Hour (31 days at most)'}
          </option>
          <option disabled={!daily} value="day">
            {daily ? 'Day' : 'Day (not for 24 hours)'}
          </option>
        </select>
      </label>

      {showOrgSelect && (
        <label className="analytics__field">
          <span>Organisation</span>
          <select aria-label="Organisation" onChange={(e) => onChange({ org: e.target.value || null, channel: null })} value={state.org ?? ''}>
            <option value="">All organisations</option>
            {orgs.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.name}
              </option>
            ))}
            {state.org && !orgs.some((o) => String(o.id) === state.org) && <option value={state.org}>Organisation {state.org}</option>}
          </select>
        </label>
      )}

      {customOpen && (
        <form aria-label="Custom range" className="analytics__custom" onSubmit={applyCustom}>
          <label className="analytics__field">
            <span>From</span>
            <input aria-label={`From (${timeZone})`} onChange={(e) => setFromDay(e.target.value)} required type="date" value={fromDay} />
          </label>
          <label className="analytics__field">
            <span>to</span>
            <input aria-label={`To (${timeZone}, included)`} onChange={(e) => setToDay(e.target.value)} required type="date" value={toDay} />
          </label>
          <button className="analytics__apply" type="submit">
            Apply
          </button>
        </form>
      )}
    </div>
  )
}
