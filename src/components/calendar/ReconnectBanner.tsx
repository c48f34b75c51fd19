'use client'
import { Button, useAuth, useConfig } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import { startConnect } from './ConnectCalendar'
import './calendar.css'

type Connection = { id: number; provider: 'google' | 'microsoft'; accountEmail: string; shared?: boolean; org: number | { id: number }; lastError?: null | string }

/**
 * On every admin page, for the owner of a calendar connection whose grant was revoked or expired: a
 * banner saying bookings no longer reach that calendar, with a Reconnect button (the same OAuth flow).
 */
export const ReconnectBanner = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const api = `${config.serverURL ?? ''}${config.routes.api}`
  const [connections, setConnections] = useState<Connection[]>([])
  const [error, setError] = useState<null | string>(null)
  useEffect(() => {
    if (!user) return
    let live = true
    fetch(`${api}/calendar-connections?where[and][0][status][equals]=reconnect&where[and][1][owner][equals]=${user.id}&depth=0&limit=5`, { credentials: 'include' })
      .then((r) => (r.ok ? r.json() : { docs: [] }))
      .then((b: { docs: Connection[] }) => live && setConnections(b.docs))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [api, user])
  if (!connections.length) return null
  return (
    <>
      {connections.map((c) => (
        <div className="calendar-banner" data-testid="reconnect-banner" key={c.id} role="alert">
          <span>
            Your {c.provider === 'google' ? 'Google' : 'Microsoft'} calendar <strong>{c.accountEmail}</strong> needs reconnecting: bookings are not being synced to it.{c.lastError ? ` ${c.lastError}` : ''}
          </span>
          <Button buttonStyle="primary" onClick={() => void startConnect(api, String(typeof c.org === 'object' ? c.org.id : c.org), c.provider, Boolean(c.shared)).then(setError)} size="small">
            Reconnect
          </Button>
          {error ? <span>{error}</span> : null}
        </div>
      ))}
    </>
  )
}
