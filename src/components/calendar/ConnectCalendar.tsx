'use client'
import { useTenantSelection } from '@payloadcms/plugin-multi-tenant/client'
import { Button, useAuth, useConfig } from '@payloadcms/ui'
import { useSearchParams } from 'next/navigation'
import React, { useState } from 'react'

import { hasOrgPermission, isSuperAdmin, memberOrgIDs } from '@/access/orgAccess'

import './calendar.css'

type Provider = 'google' | 'microsoft'
const NAMES: Record<Provider, string> = { google: 'Google Calendar', microsoft: 'Microsoft Outlook' }

/** Starts connecting a calendar: asks the server for the provider's consent URL and goes there, or shows why not (e.g. what the operator must set). */
export const startConnect = async (apiBase: string, org: string, provider: Provider, shared: boolean): Promise<null | string> => {
  const res = await fetch(`${apiBase}/calendar-connections/connect?format=json&provider=${provider}&org=${org}${shared ? '&shared=1' : ''}`, { credentials: 'include' }).catch(() => null)
  const body = (await res?.json().catch(() => null)) as null | { url?: string; errors?: { message?: string }[] }
  if (res?.ok && body?.url) {
    window.location.assign(body.url)
    return null
  }
  return body?.errors?.[0]?.message ?? 'The calendar could not be connected: the server did not answer.'
}

/** Above the calendar connections list: connect Google or Microsoft (one's own, or as an admin the org's shared calendar). */
export const ConnectCalendar = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const apiBase = `${config.serverURL ?? ''}${config.routes.api}`
  const params = useSearchParams()
  const { selectedTenantID, options } = useTenantSelection()
  const orgIDs = isSuperAdmin(user) ? options.map((o) => String(o.value)) : memberOrgIDs(user).map(String)
  const org = orgIDs.find((id) => id === String(selectedTenantID)) ?? orgIDs[0]
  const canShare = org !== undefined && (isSuperAdmin(user) || hasOrgPermission(user, org, 'calendars.shared'))
  const canConnect = org !== undefined && (isSuperAdmin(user) || hasOrgPermission(user, org, 'calendars.connect'))
  const [shared, setShared] = useState(false)
  const [error, setError] = useState<null | string>(params.get('error'))
  const [busy, setBusy] = useState(false)
  if (!canConnect || org === undefined) return null
  const connect = async (provider: Provider) => {
    setBusy(true)
    setError(await startConnect(apiBase, org, provider, shared))
    setBusy(false)
  }
  return (
    <section aria-label="Connect a calendar" className="calendar-connect">
      <p className="calendar-connect__intro">Connect a calendar and bookings are written to it, and changes made there (moves, deletions, attendees’ answers) come back.</p>
      <div className="calendar-connect__row">
        {(['google', 'microsoft'] as Provider[]).map((provider) => (
          <Button buttonStyle="secondary" disabled={busy} key={provider} onClick={() => void connect(provider)} size="medium">
            Connect {NAMES[provider]}
          </Button>
        ))}
        {canShare ? (
          <label className="calendar-connect__shared">
            <input checked={shared} onChange={(e) => setShared(e.target.checked)} type="checkbox" /> As the organisation’s shared calendar (every booking goes there)
          </label>
        ) : null}
      </div>
      {error ? (
        <p className="calendar-connect__error" data-testid="connect-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}
