'use client'
import { useAuth } from '@payloadcms/ui'
import React, { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'

import { memberOrgIDs, relationID } from '@/access/orgAccess'
import { type DateSettings, formatDateTime, formatFullTimestamp, resolveDateSettings } from '@/services/vocabulary/dates'

type OrgSettings = Record<string, { locale?: null | string; timeZone?: null | string }>
type Dates = {
  /** The settings for a row of organisation `org` (or the person's only organisation). */
  settingsFor: (org?: unknown) => DateSettings
  format: (value: Date | null | number | string | undefined, org?: unknown) => string
  full: (value: Date | null | number | string | undefined, org?: unknown) => string
}

const DatesContext = createContext<Dates | null>(null)

/**
 * Loads the date settings of the organisations the person can see once per session, so every date in the
 * admin (list cells, job pages, inbox, invitations) shows in one style: the person's own locale and zone
 * if they chose them (their account), else the organisation's, else en-GB and Europe/London.
 */
export const DateSettingsProvider = ({ children }: { children?: ReactNode }) => {
  const { user } = useAuth()
  const [orgs, setOrgs] = useState<OrgSettings>({})
  const userID = user?.id
  useEffect(() => {
    if (!userID) return
    let live = true
    void fetch('/api/organizations?limit=500&depth=0&select[locale]=true&select[timeZone]=true', { credentials: 'include' })
      .then((res) => (res.ok ? res.json() : { docs: [] }))
      .then((body: { docs: { id: number; locale?: string; timeZone?: string }[] }) => {
        if (live) setOrgs(Object.fromEntries(body.docs.map((doc) => [String(doc.id), { locale: doc.locale, timeZone: doc.timeZone }])))
      })
      .catch(() => {})
    return () => {
      live = false
    }
  }, [userID])
  const own = user as null | { locale?: null | string; timeZone?: null | string } | undefined
  const single = user ? memberOrgIDs(user) : []
  const settingsFor = useCallback(
    (org?: unknown) => {
      const id = relationID(org as never) ?? (single.length === 1 ? single[0] : undefined)
      return resolveDateSettings(own, id !== undefined ? orgs[String(id)] : undefined)
    },
    [orgs, own?.locale, own?.timeZone, single.join(',')],
  )
  const value = useMemo<Dates>(
    () => ({
      settingsFor,
      format: (v, org) => formatDateTime(v, settingsFor(org)),
      full: (v, org) => formatFullTimestamp(v, settingsFor(org)),
    }),
    [settingsFor],
  )
  return <DatesContext.Provider value={value}>{children}</DatesContext.Provider>
}

const FALLBACK: Dates = {
  settingsFor: () => resolveDateSettings(),
  format: (v) => formatDateTime(v, resolveDateSettings()),
  full: (v) => formatFullTimestamp(v, resolveDateSettings()),
}

export const useDates = (): Dates => useContext(DatesContext) ?? FALLBACK

/** A date as the admin shows it, with the full timestamp and zone as its tooltip. */
export const DateTime = ({ value, org }: { value: Date | null | number | string | undefined; org?: unknown }) => {
  const { format, full } = useDates()
  const text = format(value, org)
  if (!text) return <span>—</span>
  return (
    <time dateTime={new Date(value as string).toISOString()} title={full(value, org)}>
      {text}
    </time>
  )
}
