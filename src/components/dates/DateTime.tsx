'use client'
import { useAuth } from '@payloadcms/ui'
import React, { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react'

import { memberOrgIDs, relationID } from '@/access/orgAccess'
import './dates.css'
import { type DateSettings, formatDateTime, formatFullTimestamp, formatTimeOfDay, resolveDateSettings } from '@/services/vocabulary/dates'

type OrgSettings = Record<string, { locale?: null | string; timeZone?: null | string }>
type Dates = {
  /** The settings for a row of organisation `org` (or the person's only organisation). */
  settingsFor: (org?: unknown) => DateSettings
  format: (value: Date | null | number | string | undefined, org?: unknown) => string
  full: (value: Date | null | number | string | undefined, org?: unknown) => string
  time: (value: Date | null | number | string | undefined, org?: unknown) => string
}

// The date settings of the organisations the person can see, loaded once per page for every date shown.
const store: { orgs: null | OrgSettings; loadedFor: unknown; listeners: Set<() => void> } = { orgs: null, loadedFor: undefined, listeners: new Set() }

const load = (userID: unknown) => {
  if (store.loadedFor === userID) return
  store.loadedFor = userID
  void fetch('/api/organizations?limit=500&depth=0&select[locale]=true&select[timeZone]=true', { credentials: 'include' })
    .then((res) => (res.ok ? res.json() : { docs: [] }))
    .then((body: { docs: { id: number; locale?: string; timeZone?: string }[] }) => {
      store.orgs = Object.fromEntries(body.docs.map((doc) => [String(doc.id), { locale: doc.locale, timeZone: doc.timeZone }]))
      for (const listener of store.listeners) listener()
    })
    .catch(() => {
      store.loadedFor = undefined
    })
}

const subscribe = (listener: () => void) => {
  store.listeners.add(listener)
  return () => store.listeners.delete(listener)
}

/**
 * Every date in the admin (list cells, job pages, inbox, invitations) in one style: the person's own
 * locale and zone if they chose them (their account), else their organisation's (the row's, for someone
 * who sees several), else en-GB and Europe/London.
 */
export const useDates = (): Dates => {
  const { user } = useAuth()
  const userID = user?.id
  useEffect(() => {
    if (userID !== undefined) load(userID)
  }, [userID])
  const loaded = useSyncExternalStore(subscribe, () => store.orgs, () => null)
  // Until the list has loaded, the person's own organisations as their account carries them (populated).
  const memberships = (user as null | { orgs?: { org?: unknown }[] } | undefined)?.orgs
  const orgs = useMemo<OrgSettings>(() => {
    if (loaded) return loaded
    const known: OrgSettings = {}
    for (const row of memberships ?? []) {
      const org = row?.org as null | undefined | { id?: unknown; locale?: null | string; timeZone?: null | string }
      if (org && typeof org === 'object' && org.id !== undefined) known[String(org.id)] = { locale: org.locale, timeZone: org.timeZone }
    }
    return known
  }, [loaded, memberships])
  const own = user as null | { locale?: null | string; timeZone?: null | string } | undefined
  const single = user ? memberOrgIDs(user).join(',') : ''
  const settingsFor = useCallback(
    (org?: unknown) => {
      const ids = single ? single.split(',') : []
      const id = relationID(org as never) ?? (ids.length === 1 ? ids[0] : undefined)
      return resolveDateSettings(own, id !== undefined ? orgs[String(id)] : undefined)
    },
    [orgs, own, single],
  )
  return useMemo<Dates>(
    () => ({
      settingsFor,
      format: (v, org) => formatDateTime(v, settingsFor(org)),
      full: (v, org) => formatFullTimestamp(v, settingsFor(org)),
      time: (v, org) => formatTimeOfDay(v, settingsFor(org)),
    }),
    [settingsFor],
  )
}

/**
 * A date as the admin shows it (`style` "time": the time of day alone), with the full timestamp and zone
 * as its tooltip; a dash when there is none.
 */
export const DateTime = ({ value, org, style = 'dateTime' }: { value: Date | null | number | string | undefined; org?: unknown; style?: 'dateTime' | 'time' }) => {
  const { format, full, time } = useDates()
  const text = style === 'time' ? time(value, org) : format(value, org)
  if (!text) return <span>—</span>
  return (
    <time dateTime={new Date(value as string).toISOString()} title={full(value, org)}>
      {text}
    </time>
  )
}

/**
 * "as of 14:05" beside figures that were read (or rolled up) at a moment and are not live, so a figure
 * elsewhere on the page that moved since is explained; the tooltip gives the full timestamp.
 */
export const AsOf = ({ value, org, testID }: { value: Date | null | number | string | undefined; org?: unknown; testID?: string }) =>
  value ? (
    <span className="as-of" data-testid={testID}>
      as of <DateTime org={org} style="time" value={value} />
    </span>
  ) : null
