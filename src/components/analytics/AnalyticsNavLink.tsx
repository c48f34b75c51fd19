'use client'
import { Link, NavGroup, useConfig } from '@payloadcms/ui'
import { usePathname } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

/** "Analytics" in the admin nav, in a Monitoring group after the collections, styled like Payload's own links. */
export const AnalyticsNavLink = () => {
  const pathname = usePathname()
  const { config } = useConfig()
  const href = formatAdminURL({ adminRoute: config.routes.admin, path: '/analytics' })
  const isActive = pathname === href || pathname.startsWith(`${href}/`)
  const label = (
    <>
      {isActive && <div className="nav__link-indicator" />}
      <span className="nav__link-label">Analytics</span>
    </>
  )
  return (
    <NavGroup label="Monitoring">
      {isActive ? (
        <div className="nav__link" id="nav-analytics">
          {label}
        </div>
      ) : (
        <Link className="nav__link" href={href} id="nav-analytics" prefetch={false}>
          {label}
        </Link>
      )}
    </NavGroup>
  )
}
