'use client'
import { useConfig } from '@payloadcms/ui'
import React from 'react'

import './bookings-calendar.css'

/** Above the bookings list (and on the calendar page): List, Week and Agenda, the current one marked. */
export const BookingsViewSwitch = ({ current = 'list' }: { current?: 'agenda' | 'list' | 'week' }) => {
  const { config } = useConfig()
  const admin = config.routes.admin
  const links = [
    { key: 'list', label: 'List', href: `${admin}/collections/bookings` },
    { key: 'week', label: 'Week', href: `${admin}/calendar?view=week` },
    { key: 'agenda', label: 'Agenda', href: `${admin}/calendar?view=agenda` },
  ] as const
  return (
    <nav aria-label="Bookings views" className="bookings-switch">
      {links.map((link) => (
        <a aria-current={link.key === current ? 'page' : undefined} className={`bookings-switch__link${link.key === current ? ' bookings-switch__link--current' : ''}`} href={link.href} key={link.key}>
          {link.label}
        </a>
      ))}
    </nav>
  )
}
