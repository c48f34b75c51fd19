'use client'
import { Link, useConfig } from '@payloadcms/ui'
import { usePathname } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

/** "Inbox" in the admin nav, above the collections, styled like Payload's own links. */
export const InboxNavLink = () => {
  const pathname = usePathname()
  const { config } = useConfig()
  const href = formatAdminURL({ adminRoute: config.routes.admin, path: '/inbox' })
  const isActive = pathname === href
  const label = (
    <>
      {isActive && <div className="nav__link-indicator" />}
      <span className="nav__link-label">Inbox</span>
    </>
  )
  return isActive ? (
    <div className="nav__link" id="nav-inbox">
      {label}
    </div>
  ) : (
    <Link className="nav__link" href={href} id="nav-inbox" prefetch={false}>
      {label}
    </Link>
  )
}
