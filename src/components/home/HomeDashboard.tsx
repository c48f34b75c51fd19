'use client'
import { Link, useAuth, useConfig } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import { isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'
import type { OrgAction } from '@/access/roles'
import { readViewState, summaryPath } from '@/components/analytics/view-state'
import { AsOf, useDates } from '@/components/dates/DateTime'
import { StatusPill } from '@/components/status/StatusPill'

import './home.css'

type Waiting = { key: string; label: string; count: null | number; href: string; hint: string }
type RunningJob = { id: number; name: string; status: string; total: number; sent: number; failed: number; excluded: number; unknown: number; channel?: null | string }
type Figures = { sent: number; delivered: number; failed: number; bounces: number; unsubscribed: number }
type Week = (Figures & { asOf: string }) | null

const REFRESH_MS = 5000

const count = async (path: string): Promise<null | number> => {
  const res = await fetch(`/api${path}${path.includes('?') ? '&' : '?'}limit=1&depth=0&select[id]=true`, { credentials: 'include' })
  if (!res.ok) return null
  return ((await res.json()) as { totalDocs?: number }).totalDocs ?? null
}

/**
 * The home page's first panel, per role, for the orgs the user can see: what waits for them (each a
 * count linking to the filtered list), running jobs with their progress, the last 7 days' figures
 * (linking to Analytics) and, for an org still empty, the next step. Counts come from the API, so
 * each is what the user may see; a tile shows only when the user's role can act on it.
 */
export const HomeDashboard = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const admin = config.routes.admin
  const [waiting, setWaiting] = useState<Waiting[]>([])
  const [running, setRunning] = useState<RunningJob[] | null>(null)
  const [week, setWeek] = useState<Week>(null)
  const [empty, setEmpty] = useState<{ contacts: boolean; templates: boolean } | null>(null)

  useEffect(() => {
    if (!user) return
    const can = (action: OrgAction) => isSuperAdmin(user) || orgIDsAllowing(user, action).length > 0
    const tiles: (Omit<Waiting, 'count'> & { path: string })[] = [
      ...(can('templates.approve')
        ? [{ key: 'templates', label: 'Templates waiting for approval', path: '/email-templates?where[status][equals]=pending', href: `${admin}/collections/email-templates?where[status][equals]=pending`, hint: 'Review and approve or reject them.' }]
        : []),
      ...(can('suppressions.review')
        ? [{ key: 'review', label: 'Possible opt-outs to decide', path: '/suppressions?where[status][equals]=pending_review', href: `${admin}/collections/suppressions?where[status][equals]=pending_review`, hint: 'Replies that may mean “stop”.' }]
        : []),
      ...(can('jobs.cancel')
        ? [{ key: 'jobs', label: 'Jobs failed or paused', path: '/email-jobs?where[status][in]=failed,paused', href: `${admin}/collections/email-jobs?where[status][in]=failed,paused`, hint: 'Resume, retry or cancel them.' }]
        : []),
      ...(can('inbound.link')
        ? [{ key: 'unlinked', label: 'Unknown senders in the inbox', path: '/conversations?where[and][0][status][equals]=open&where[and][1][contact][exists]=false', href: `${admin}/inbox`, hint: 'Link them to a contact, or create one.' }]
        : []),
      { key: 'unread', label: 'Unread conversations', path: '/conversations?where[and][0][status][equals]=open&where[and][1][unread][equals]=true', href: `${admin}/inbox`, hint: 'Replies nobody has opened yet.' },
    ]
    let live = true
    const load = async () => {
      const counts = await Promise.all(tiles.map((t) => count(t.path)))
      if (live) setWaiting(tiles.map((t, i) => ({ key: t.key, label: t.label, href: t.href, hint: t.hint, count: counts[i] ?? null })))
      const jobs = await fetch('/api/email-jobs?where[status][in]=queued,sending&sort=-updatedAt&limit=5&depth=0', { credentials: 'include' })
      if (live && jobs.ok) setRunning(((await jobs.json()) as { docs: RunningJob[] }).docs)
    }
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    // The empty-org shortcuts change slowly: once.
    if (can('contacts.edit')) {
      void Promise.all([count('/contacts'), count('/email-templates?where[status][equals]=approved')]).then(([contacts, templates]) => {
        if (live) setEmpty({ contacts: contacts === 0, templates: templates === 0 })
      })
    }
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [user, admin])

  // The last 7 days exactly as Analytics' default view reads them (the same query, the viewer's days),
  // so the two pages agree; once per zone.
  const timeZone = useDates().settingsFor().timeZone
  useEffect(() => {
    if (!user) return
    let live = true
    void fetch(`/api${summaryPath(readViewState(new URLSearchParams()), new Date(), timeZone)}`, { credentials: 'include' })
      .then(async (res) => (res.ok ? ((await res.json()) as { generatedAt: string; channels: { totals: Figures }[] }) : null))
      .then((summary) => {
        if (!live || !summary) return
        const sum = (key: keyof Figures) => summary.channels.reduce((acc, c) => acc + (c.totals[key] ?? 0), 0)
        setWeek({ sent: sum('sent'), delivered: sum('delivered'), failed: sum('failed'), bounces: sum('bounces'), unsubscribed: sum('unsubscribed'), asOf: summary.generatedAt })
      })
    return () => {
      live = false
    }
  }, [user, timeZone])

  if (!user) return null
  const shortcuts = [
    ...(empty?.contacts ? [{ label: 'Add your contacts', href: `${admin}/collections/contacts`, hint: 'Import a CSV or add them one by one.' }] : []),
    ...(empty?.templates ? [{ label: 'Write a template', href: `${admin}/collections/email-templates/create`, hint: 'An email or an SMS, approved before it is sent.' }] : []),
    ...(empty?.contacts || empty?.templates ? [{ label: 'Configure sending', href: `${admin}/collections/organizations`, hint: 'Your sender, provider and limits.' }] : []),
  ]
  const total = waiting.reduce((acc, w) => acc + (w.count ?? 0), 0)
  return (
    <section aria-label="Home" className="home" data-testid="home">
      <h2 className="home__title">Waiting for you</h2>
      {waiting.length === 0 ? (
        <p className="home__muted">Loading…</p>
      ) : (
        <ul className="home__tiles">
          {waiting.map((w) => (
            <li key={w.key}>
              <Link className={`home__tile${w.count ? ' home__tile--active' : ''}`} data-testid={`home-${w.key}`} href={w.href} prefetch={false}>
                <strong data-testid={`home-${w.key}-count`}>{w.count ?? '—'}</strong>
                <span>{w.label}</span>
                <small className="home__muted">{w.hint}</small>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {waiting.length > 0 && total === 0 && <p className="home__muted">Nothing waits for you right now.</p>}
      {shortcuts.length > 0 && (
        <>
          <h2 className="home__title">Start here</h2>
          <ul className="home__tiles">
            {shortcuts.map((s) => (
              <li key={s.label}>
                <Link className="home__tile home__tile--active" href={s.href} prefetch={false}>
                  <span>{s.label}</span>
                  <small className="home__muted">{s.hint}</small>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="home__row">
        <div className="home__panel" data-testid="home-running">
          <h2 className="home__title">Sending now</h2>
          {running === null ? (
            <p className="home__muted">Loading…</p>
          ) : running.length === 0 ? (
            <p className="home__muted">No job is sending.</p>
          ) : (
            <ul className="home__jobs">
              {running.map((job) => {
                const done = job.sent + job.failed + job.excluded + job.unknown
                const percent = job.total ? Math.floor((done / job.total) * 100) : 0
                return (
                  <li key={job.id}>
                    <Link href={`${admin}/collections/email-jobs/${job.id}`} prefetch={false}>
                      {job.name}
                    </Link>
                    <StatusPill kind="job" value={job.status} />
                    <span className="home__muted">
                      {job.channel === 'sms' ? 'SMS' : 'Email'} · {percent}% · {done.toLocaleString()} of {job.total.toLocaleString()}
                    </span>
                    <span aria-label={`${percent}% done`} className="home__bar" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
                      <span style={{ width: `${percent}%` }} />
                    </span>
                  </li>
                )
              })}
            </ul>
          )}
        </div>
        <div className="home__panel" data-testid="home-week">
          <h2 className="home__title">
            Last 7 days {week && <AsOf value={week.asOf} testID="home-week-as-of" />}
          </h2>
          {week === null ? (
            <p className="home__muted">Loading…</p>
          ) : (
            <dl className="home__figures">
              {(
                [
                  ['Sent', week.sent],
                  ['Delivered', week.delivered],
                  ['Failed', week.failed],
                  ['Bounced', week.bounces],
                  ['Unsubscribed', week.unsubscribed],
                ] as const
              ).map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value.toLocaleString()}</dd>
                </div>
              ))}
            </dl>
          )}
          <Link href={`${admin}/analytics`} prefetch={false}>
            Open Analytics
          </Link>
        </div>
      </div>
    </section>
  )
}
