'use client'
import { Button, useConfig, useDocumentInfo } from '@payloadcms/ui'
import React, { useCallback, useEffect, useState } from 'react'

import { DateTime } from '../dates/DateTime'
import { StatusPill } from '../status/StatusPill'
import './calendar.css'

type Sync = {
  id: number
  status: string
  lastError?: null | string
  providerCode?: null | string
  note?: null | string
  lastSyncedAt?: null | string
  connection: null | number | { id: number; provider: string; accountEmail: string; status: string }
}

/**
 * On a booking's page: its state in each connected calendar (Synced, Pending, Failed), the last error as
 * a sentence with the provider's code, notes (reminders a calendar could not keep, conflicts), and Retry.
 */
export const BookingSyncState = () => {
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const api = `${config.serverURL ?? ''}${config.routes.api}`
  const [syncs, setSyncs] = useState<null | Sync[]>(null)
  const [message, setMessage] = useState<null | string>(null)
  const [busy, setBusy] = useState<null | number>(null)
  const load = useCallback(() => {
    if (!id) return
    fetch(`${api}/booking-syncs?where[booking][equals]=${id}&depth=1&limit=20`, { credentials: 'include' })
      .then((r) => (r.ok ? r.json() : { docs: [] }))
      .then((b: { docs: Sync[] }) => setSyncs(b.docs))
      .catch(() => setSyncs([]))
  }, [api, id])
  useEffect(load, [load])
  if (!id || !syncs) return null
  const retry = async (sync: Sync) => {
    setBusy(sync.id)
    const res = await fetch(`${api}/booking-syncs/${sync.id}/retry`, { method: 'POST', credentials: 'include' }).catch(() => null)
    const body = (await res?.json().catch(() => null)) as null | { status?: string; error?: null | string; errors?: { message?: string }[] }
    setMessage(res?.ok ? (body?.status === 'synced' ? 'Synced.' : (body?.error ?? 'Tried again.')) : (body?.errors?.[0]?.message ?? 'The retry could not be started.'))
    setBusy(null)
    load()
  }
  return (
    <section aria-label="Calendar sync" className="booking-sync" data-testid="booking-sync">
      <h3>Connected calendars</h3>
      {syncs.length === 0 ? <p className="booking-sync__muted">Not in any connected calendar. Attendees get .ics invitations by email; connect a calendar under Calendar connections.</p> : null}
      <ul>
        {syncs.map((s) => {
          const c = typeof s.connection === 'object' ? s.connection : null
          return (
            <li className="booking-sync__row" data-testid="booking-sync-row" key={s.id}>
              <strong>{c ? `${c.provider === 'google' ? 'Google' : 'Microsoft'} · ${c.accountEmail}` : 'A calendar'}</strong>
              <StatusPill kind="calendarSync" value={s.status} />
              {s.lastSyncedAt ? (
                <span className="booking-sync__muted">
                  Last synced <DateTime value={s.lastSyncedAt} />
                </span>
              ) : null}
              {s.status === 'failed' || (s.status === 'pending' && s.lastError) ? (
                <Button buttonStyle="secondary" disabled={busy === s.id} onClick={() => void retry(s)} size="small">
                  Retry
                </Button>
              ) : null}
              {s.lastError ? (
                <span className="booking-sync__error" data-testid="booking-sync-error">
                  {s.lastError}
                  {s.providerCode ? ` (${s.providerCode})` : ''}
                </span>
              ) : null}
              {s.note ? <span className="booking-sync__muted">{s.note}</span> : null}
            </li>
          )
        })}
      </ul>
      {message ? (
        <p aria-live="polite" className="booking-sync__muted" data-testid="booking-sync-message">
          {message}
        </p>
      ) : null}
    </section>
  )
}
