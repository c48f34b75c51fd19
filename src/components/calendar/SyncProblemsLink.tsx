'use client'
import { useConfig } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import './calendar.css'

/** Above the calendar syncs list: how many bookings failed to sync and how many connections need reconnecting, each a link to them. */
export const SyncProblemsLink = () => {
  const { config } = useConfig()
  const api = `${config.serverURL ?? ''}${config.routes.api}`
  const admin = config.routes.admin
  const [counts, setCounts] = useState<null | { failed: number; reconnect: number }>(null)
  useEffect(() => {
    const count = (path: string) =>
      fetch(`${api}${path}`, { credentials: 'include' })
        .then((r) => (r.ok ? r.json() : { totalDocs: 0 }))
        .then((b: { totalDocs: number }) => b.totalDocs)
    void Promise.all([count('/booking-syncs?where[status][equals]=failed&limit=1&depth=0'), count('/calendar-connections?where[status][equals]=reconnect&limit=1&depth=0')]).then(([failed, reconnect]) =>
      setCounts({ failed, reconnect }),
    )
  }, [api])
  if (!counts) return null
  return (
    <p className="calendar-problems" data-testid="sync-problems">
      <strong>Sync problems:</strong>{' '}
      <a href={`${admin}/collections/booking-syncs?where[status][equals]=failed`}>
        {counts.failed} booking{counts.failed === 1 ? '' : 's'} failed to sync
      </a>
      {' · '}
      <a href={`${admin}/collections/calendar-connections?where[status][equals]=reconnect`}>
        {counts.reconnect} connection{counts.reconnect === 1 ? '' : 's'} to reconnect
      </a>
    </p>
  )
}
