'use client'
import { Link, useAuth, useConfig } from '@payloadcms/ui'
import { usePathname } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import { isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'

import './assistant.css'

/** "Assistant" in the admin nav, under Inbox, for those who may ask it in some organisation. */
export const AssistantNavLink = () => {
  const pathname = usePathname()
  const { config } = useConfig()
  const { user } = useAuth()
  if (!isSuperAdmin(user) && orgIDsAllowing(user, 'assistant.use').length === 0) return null
  const href = formatAdminURL({ adminRoute: config.routes.admin, path: '/assistant' })
  const isActive = pathname === href
  const label = (
    <>
      {isActive && <div className="nav__link-indicator" />}
      <span className="nav__link-label">Assistant</span>
    </>
  )
  return isActive ? (
    <div className="nav__link" id="nav-assistant">
      {label}
    </div>
  ) : (
    <Link className="nav__link" href={href} id="nav-assistant" prefetch={false}>
      {label}
    </Link>
  )
}
