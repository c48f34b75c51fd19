'use client'
import { useAuth, useConfig, useStepNav } from '@payloadcms/ui'
import { usePathname, useSearchParams } from 'next/navigation'
import React, { useCallback, useEffect, useMemo, useState } from 'react'

import type { User } from '@/payload-types'

import { AlertBanner } from './AlertBanner'
import './analytics.css'
import { ComplaintRateChart } from './ComplaintRateChart'
import { Controls } from './Controls'
import { FailureReasonsChart } from './FailureReasonsChart'
import { formatBucketStart } from './format'
import { AsOf, useDates } from '@/components/dates/DateTime'
import type { DateSettings } from '@/services/vocabulary/dates'
import { KpiTiles } from './KpiTiles'
import { LatencyChart } from './LatencyChart'
import { SendsChart } from './SendsChart'
import { TopTemplates } from './TopTemplates'
import { COUNT_KEYS, type ChannelSummary, type Summary } from './types'
import { useOrgOptions, useSummary } from './use-summary'
import { RANGE_PRESETS, rangeHours, readViewState, summaryPath, type ViewState, writeViewState } from './view-state'

const CHANNEL_LABEL: Record<string, string> = { email: 'Email', sms: 'SMS' }
const channelLabel = (channel: string) => CHANNEL_LABEL[channel] ?? channel.toUpperCase()
const isChannelEmpty = (c: ChannelSummary) => COUNT_KEYS.every((k) => c.totals[k] === 0) && c.callbackLatency.count === 0

/**
 * The first and last day (or hour) of the answer, in the viewer's style and zone (named); its end is
 * exclusive, so a midnight end shows the day before.
 */
const windowEnds = (summary: Summary, dates: DateSettings): [string, string] => {
  const last = summary.bucket === 'hour' ? Date.parse(summary.to) : Date.parse(summary.to) - 1
  return [formatBucketStart(summary.from, summary.bucket, dates), `${formatBucketStart(last, summary.bucket, dates)} (${dates.timeZone})`]
}
const windowLabel = (summary: Summary, dates: DateSettings): string => windowEnds(summary, dates).join(' – ')

/**
 * The analytics dashboard: delivery, failures, callback latency, complaints and the best templates, per
 * channel, for the orgs the user may see. Everything comes from `GET /api/metrics/summary`, which applies
 * the user's access; the URL holds the view so it can be shared.
 */
export const AnalyticsDashboard = () => {
  const { config } = useConfig()
  const { user } = useAuth<User>()
  const apiBase = `${config.serverURL ?? ''}${config.routes.api}`
  const adminRoute = config.routes.admin
  const pathname = usePathname()
  const searchParams = useSearchParams()
  const query = searchParams.toString()
  const state = useMemo(() => readViewState(new URLSearchParams(query)), [query])
  // "Now" moves only when the asked-for view changes or the user refreshes, so a preset's window is stable
  // between renders. The channel tab is not part of it: it only picks which part of the answer to show.
  const [refreshes, setRefreshes] = useState(0)
  const viewKey = useMemo(() => writeViewState({ ...state, channel: null }), [state])
  const now = useMemo(() => new Date(), [viewKey, refreshes])
  // Days are the viewer's: their own zone, else the organisation's (the chosen one's, or their only one).
  const dates = useDates().settingsFor(state.org ?? undefined)
  const path = useMemo(() => summaryPath(state, now, dates.timeZone), [state, now, dates.timeZone])
  // The counter asks again even when the path is the same (a custom range has no "now" in it).
  const result = useSummary(apiBase, path, refreshes)
  const orgs = useOrgOptions(apiBase)
  const orgNames = useMemo(() => new Map(orgs.map((o) => [o.id, o.name])), [orgs])
  const showOrgSelect = Boolean(user?.isSuperAdmin) || orgs.length > 1
  const { setStepNav } = useStepNav()
  useEffect(() => setStepNav([{ label: 'Analytics' }]), [setStepNav])

  const update = useCallback(
    (patch: Partial<ViewState>) => {
      const next = writeViewState({ ...state, ...patch })
      // Next keeps useSearchParams in step with the History API, without a server round trip.
      window.history.replaceState(null, '', next ? `${pathname}?${next}` : pathname)
    },
    [pathname, state],
  )

  const summary = result.summary
  // The answer on screen is labelled in the zone it was computed for (while the next one loads, too).
  const shownDates = useMemo<DateSettings>(() => ({ ...dates, timeZone: summary?.timeZone ?? dates.timeZone }), [dates, summary?.timeZone])
  const channels = summary?.channels ?? []
  const active = channels.find((c) => c.channel === state.channel) ?? channels[0]
  const empty = summary !== null && channels.every(isChannelEmpty) && summary.topTemplates.length === 0
  const scope = state.org ? (orgNames.get(Number(state.org)) ?? `Organisation ${state.org}`) : showOrgSelect ? 'All organisations' : (orgs[0]?.name ?? '')
  const hours = rangeHours(state, now)
  const wider = RANGE_PRESETS.filter((p) => hours === null || p.hours > hours)

  return (
    <div aria-busy={result.status === 'loading'} className="analytics" data-state={result.status} data-testid="analytics">
      <header className="analytics__head">
        <div>
          <h1 className="analytics__title">Analytics</h1>
          <p className="analytics__muted" data-testid="analytics-scope">
            {[scope, summary ? windowLabel(summary, shownDates) : null, summary ? `per ${summary.bucket}` : null].filter(Boolean).join(' · ')}
          </p>
        </div>
        <div className="analytics__head-side">
          {result.status === 'loading' && summary && <span className="analytics__muted">Updating…</span>}
          {summary && (
            <span className="analytics__muted">
              Figures <AsOf value={summary.generatedAt} testID="analytics-as-of" />
            </span>
          )}
          <button className="analytics__apply" onClick={() => setRefreshes((n) => n + 1)} type="button">
            Refresh
          </button>
        </div>
      </header>

      {summary && <AlertBanner alerts={summary.alerts} dates={dates} />}

      <Controls
        timeZone={dates.timeZone}
        now={now}
        onChange={update}
        orgs={orgs}
        shownFrom={summary?.from ?? null}
        shownTo={summary?.to ?? null}
        showOrgSelect={showOrgSelect}
        state={state}
      />

      {result.status === 'error' && (
        <div className="analytics__error" data-testid="analytics-error" role="alert">
          {result.message}
        </div>
      )}
      {result.status === 'loading' && !summary && (
        <p className="analytics__panel analytics__muted" data-testid="analytics-loading">
          Loading analytics…
        </p>
      )}

      {summary && empty && (
        <section className="analytics__panel analytics__empty" data-testid="analytics-empty">
          <h2>No messages in this range</h2>
          <p>
            Nothing was queued, sent or reported by a provider {state.org || !showOrgSelect ? `for ${scope}` : 'for your organisations'} between{' '}
            {windowEnds(summary, shownDates).join(' and ')}.
            {wider.length > 0 ? ' Try a wider range:' : ' Try a custom range or another organisation.'}
          </p>
          {wider.length > 0 && (
            <div className="analytics__empty-actions">
              {wider.map((p) => (
                <button className="analytics__apply" key={p.key} onClick={() => update({ range: p.key, from: null, to: null, bucket: null })} type="button">
                  Last {p.label}
                </button>
              ))}
            </div>
          )}
        </section>
      )}

      {summary && !empty && active && (
        <>
          <div aria-label="Channel" className="analytics__tabs" role="tablist">
            {channels.map((c) => (
              <button
                aria-controls="analytics-channel-panel"
                aria-selected={c.channel === active.channel}
                className="analytics__tab"
                key={c.channel}
                onClick={() => update({ channel: c.channel })}
                role="tab"
                type="button"
              >
                {channelLabel(c.channel)}
              </button>
            ))}
          </div>
          <div aria-label={`${channelLabel(active.channel)} analytics`} className="analytics__channel" id="analytics-channel-panel" role="tabpanel">
            <KpiTiles summary={active} />
            <div className="analytics__grid">
              <SendsChart bucket={summary.bucket} channelLabel={channelLabel(active.channel)} dates={shownDates} summary={active} />
              {/* Complaints and opens are an email's: SMS has neither. */}
              {active.channel === 'email' && <ComplaintRateChart bucket={summary.bucket} dates={shownDates} summary={active} />}
              <FailureReasonsChart summary={active} />
              <LatencyChart summary={active} />
              {active.channel === 'email' && (
                <TopTemplates adminRoute={adminRoute} orgNames={orgNames} showOrg={showOrgSelect && !state.org} templates={summary.topTemplates} />
              )}
            </div>
          </div>
        </>
      )}
    </div>
  )
}
