'use client'
import { useTenantSelection } from '@payloadcms/plugin-multi-tenant/client'
import { Button, useAuth, useConfig, useStepNav } from '@payloadcms/ui'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import React, { useEffect, useMemo, useState } from 'react'

import { hasOrgPermission, isSuperAdmin, memberOrgIDs } from '@/access/orgAccess'
import type { Agenda, AgendaBooking } from '@/services/bookings/list-agenda-bookings'

import { useDates } from '../dates/DateTime'
import { StatusPill } from '../status/StatusPill'
import { BookingsViewSwitch } from './BookingsViewSwitch'
import { dayKey, placeInDay, startOfDay, startOfWeek } from './calendar-layout'
import './bookings-calendar.css'

type View = 'agenda' | 'week'
const HOUR_PX = 44
const AGENDA_DAYS = 28

const errorOf = (body: unknown, status: number) =>
  (body as { errors?: { message?: string }[] } | null)?.errors?.[0]?.message ?? `The bookings could not be loaded (HTTP ${status}).`

/**
 * `/admin/calendar`: an organisation's bookings as a week (days side by side, hours down, overlapping
 * bookings in lanes) or an agenda (the next four weeks, day by day), in the viewer's time zone with the
 * booking's own zone beside it when it differs. Filter by staff member, show cancelled ones, move by week,
 * and open or create a booking. The org is the one chosen in the nav's organisation selector.
 */
export const BookingsCalendar = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const admin = config.routes.admin
  const apiBase = `${config.serverURL ?? ''}${config.routes.api}`
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const view: View = params.get('view') === 'agenda' ? 'agenda' : 'week'
  const { options, selectedTenantID } = useTenantSelection()
  const { settingsFor } = useDates()
  const { setStepNav } = useStepNav()
  useEffect(() => setStepNav([{ label: 'Bookings', url: `${admin}/collections/bookings` }, { label: view === 'week' ? 'Week' : 'Agenda' }]), [setStepNav, admin, view])

  const orgIDs = useMemo(() => (isSuperAdmin(user) ? options.map((o) => String(o.value)) : memberOrgIDs(user).map(String)), [options, user])
  const org = orgIDs.find((id) => id === String(selectedTenantID)) ?? orgIDs[0]
  const orgName = options.find((o) => String(o.value) === org)?.label
  const { timeZone, locale } = settingsFor(org)
  const canEdit = org !== undefined && (isSuperAdmin(user) || hasOrgPermission(user, org, 'bookings.edit'))

  const anchor = useMemo(() => {
    const raw = params.get('date')
    const date = raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T12:00:00Z`) : new Date()
    return Number.isNaN(date.getTime()) ? new Date() : date
  }, [params])
  const days = view === 'week' ? 7 : AGENDA_DAYS
  const fromMs = (view === 'week' ? startOfWeek(anchor, timeZone) : startOfDay(anchor, timeZone)).getTime()
  const dayStarts = useMemo(() => Array.from({ length: days + 1 }, (_, i) => startOfDay(new Date(fromMs), timeZone, i)), [fromMs, days, timeZone])
  const from = dayStarts[0]!
  const to = dayStarts[days]!
  const toMs = to.getTime()

  const [owner, setOwner] = useState('')
  const [showCancelled, setShowCancelled] = useState(false)
  const [agenda, setAgenda] = useState<Agenda | null>(null)
  const [error, setError] = useState<null | string>(null)
  const [loading, setLoading] = useState(false)
  useEffect(() => {
    if (org === undefined) return
    const controller = new AbortController()
    setLoading(true)
    setError(null)
    const query = new URLSearchParams({ org, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), ...(owner ? { owner } : {}), ...(showCancelled ? { cancelled: '1' } : {}) })
    fetch(`${apiBase}/bookings/agenda?${query}`, { credentials: 'include', signal: controller.signal })
      .then(async (res) => {
        const body: unknown = await res.json().catch(() => null)
        if (res.ok) setAgenda(body as Agenda)
        else setError(errorOf(body, res.status))
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError('The bookings could not be loaded: the server did not answer.')
      })
      .finally(() => setLoading(false))
    return () => controller.abort()
  }, [apiBase, org, fromMs, toMs, owner, showCancelled])

  const go = (next: Partial<{ view: View; date: string }>) => {
    const query = new URLSearchParams(params.toString())
    for (const [k, v] of Object.entries(next)) query.set(k, v)
    router.push(`${pathname}?${query}`)
  }
  const shift = (daysBy: number) => go({ date: dayKey(startOfDay(from, timeZone, daysBy), timeZone) })
  const dayLabel = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' })
  const longDay = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' })
  const range = `${dayLabel.format(from)} – ${dayLabel.format(new Date(to.getTime() - 1))}`
  const bookings = agenda?.bookings ?? []
  const owners = useMemo(() => {
    const seen = new Map<string, string>()
    for (const b of bookings) if (b.owner) seen.set(String(b.owner.id), b.owner.name || b.owner.email)
    if (owner && !seen.has(owner)) seen.set(owner, 'Chosen staff member')
    return [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1]))
  }, [bookings, owner])
  const href = (b: AgendaBooking) => `${admin}/collections/bookings/${b.id}`
  const ownZone = (b: AgendaBooking) => {
    if (!b.timeZone || b.timeZone === timeZone) return null
    const own = new Intl.DateTimeFormat(locale, { timeZone: b.timeZone, hour: '2-digit', minute: '2-digit' })
    return `${own.format(new Date(b.start))}–${own.format(new Date(b.end))} ${b.timeZone}`
  }
  const todayKey = dayKey(new Date(), timeZone)

  if (org === undefined) return <p className="bookings-cal__muted">You are not a member of any organisation, so there are no bookings to show.</p>

  return (
    <div className="bookings-cal" data-state={loading ? 'loading' : error ? 'error' : 'ready'} data-testid="bookings-calendar" data-view={view}>
      <header className="bookings-cal__header">
        <div>
          <h1>Bookings{orgName ? ` · ${String(orgName)}` : ''}</h1>
          <p className="bookings-cal__muted">
            Times in {timeZone} (your zone); a booking made in another zone shows its own times too.
          </p>
        </div>
        {canEdit ? (
          <Button buttonStyle="primary" el="link" size="medium" url={`${admin}/collections/bookings/create`}>
            New booking
          </Button>
        ) : null}
      </header>
      <BookingsViewSwitch current={view} />
      <div className="bookings-cal__bar" role="toolbar" aria-label="Calendar controls">
        <div className="bookings-cal__nav">
          <button aria-label={view === 'week' ? 'Previous week' : 'Previous four weeks'} className="bookings-cal__btn" onClick={() => shift(-days)} type="button">
            ‹
          </button>
          <button className="bookings-cal__btn" onClick={() => go({ date: dayKey(new Date(), timeZone) })} type="button">
            Today
          </button>
          <button aria-label={view === 'week' ? 'Next week' : 'Next four weeks'} className="bookings-cal__btn" onClick={() => shift(days)} type="button">
            ›
          </button>
          <strong data-testid="calendar-range">{range}</strong>
        </div>
        <label className="bookings-cal__field">
          Staff member
          <select onChange={(e) => setOwner(e.target.value)} value={owner}>
            <option value="">Everyone</option>
            {user ? <option value={String(user.id)}>Only mine</option> : null}
            {owners
              .filter(([id]) => id !== String(user?.id))
              .map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
          </select>
        </label>
        <label className="bookings-cal__field">
          <input checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} type="checkbox" /> Show cancelled
        </label>
        <span aria-live="polite" className="bookings-cal__muted" data-testid="calendar-count">
          {loading ? 'Loading…' : agenda ? `${bookings.length} booking${bookings.length === 1 ? '' : 's'}${agenda.truncated ? ' (the first 10,000: narrow the range or the staff member)' : ''}` : ''}
        </span>
      </div>
      {error ? (
        <p className="bookings-cal__error" role="alert">
          {error}
        </p>
      ) : null}

      {view === 'week' ? (
        <div className="bookings-week" data-testid="week-grid">
          <div className="bookings-week__hours" aria-hidden="true">
            <div className="bookings-week__dayhead" />
            {Array.from({ length: 24 }, (_, h) => (
              <div className="bookings-week__hour" key={h} style={{ height: HOUR_PX }}>
                {String(h).padStart(2, '0')}:00
              </div>
            ))}
          </div>
          {dayStarts.slice(0, 7).map((dayStart, i) => {
            const dayEnd = dayStarts[i + 1]!
            const placed = placeInDay(bookings, dayStart, dayEnd)
            const key = dayKey(dayStart, timeZone)
            return (
              <section aria-label={longDay.format(dayStart)} className={`bookings-week__day${key === todayKey ? ' bookings-week__day--today' : ''}`} key={key}>
                <h2 className="bookings-week__dayhead">{dayLabel.format(dayStart)}</h2>
                <div className="bookings-week__column" style={{ height: HOUR_PX * 24 }}>
                  {placed.map(({ item, top, height, lane, lanes }) => (
                    <a
                      className={`bookings-week__event bookings-week__event--${item.status}`}
                      data-testid="week-booking"
                      href={href(item)}
                      key={item.id}
                      style={{ top: `${top * 100}%`, height: `${height * 100}%`, left: `${(lane / lanes) * 100}%`, width: `${100 / lanes}%` }}
                      title={`${item.title}\n${time.format(new Date(item.start))}–${time.format(new Date(item.end))}${ownZone(item) ? ` (${ownZone(item)})` : ''}${item.owner ? `\n${item.owner.name || item.owner.email}` : ''}`}
                    >
                      <span className="bookings-week__time">
                        {time.format(new Date(item.start))}–{time.format(new Date(item.end))}
                      </span>
                      <span className="bookings-week__title">{item.title}</span>
                    </a>
                  ))}
                </div>
              </section>
            )
          })}
        </div>
      ) : (
        <div className="bookings-agenda" data-testid="agenda-list">
          {dayStarts.slice(0, days).map((dayStart, i) => {
            const dayEnd = dayStarts[i + 1]!
            const onDay = bookings.filter((b) => new Date(b.start) < dayEnd && new Date(b.end) > dayStart)
            if (!onDay.length) return null
            return (
              <section className="bookings-agenda__day" key={dayKey(dayStart, timeZone)}>
                <h2>{longDay.format(dayStart)}</h2>
                <ul>
                  {onDay.map((b) => (
                    <li className={`bookings-agenda__item bookings-agenda__item--${b.status}`} data-testid="agenda-booking" key={b.id}>
                      <span className="bookings-agenda__time">
                        {time.format(new Date(Math.max(new Date(b.start).getTime(), dayStart.getTime())))}–{time.format(new Date(Math.min(new Date(b.end).getTime(), dayEnd.getTime())))}
                      </span>
                      <a className="bookings-agenda__title" href={href(b)}>
                        {b.title}
                      </a>
                      <StatusPill kind="booking" value={b.status} />
                      <span className="bookings-cal__muted">
                        {[b.owner ? b.owner.name || b.owner.email : null, b.location, b.videoLink ? 'Video call' : null, b.contacts ? `${b.contacts} contact${b.contacts === 1 ? '' : 's'}` : null, ownZone(b)].filter(Boolean).join(' · ')}
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            )
          })}
          {!loading && !error && bookings.length === 0 ? (
            <div className="bookings-cal__empty">
              <h2>No bookings in these four weeks</h2>
              <p className="bookings-cal__muted">{canEdit ? 'Make one with New booking, or from a contact’s page.' : 'Bookings your organisation makes show here.'}</p>
            </div>
          ) : null}
        </div>
      )}
      {view === 'week' && !loading && !error && bookings.length === 0 ? <p className="bookings-cal__muted">No bookings this week.</p> : null}
    </div>
  )
}
