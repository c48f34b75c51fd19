import { DefaultTemplate } from '@payloadcms/next/templates'
import { Gutter } from '@payloadcms/ui'
import { redirect } from 'next/navigation'
import type { AdminViewServerProps } from 'payload'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import { AnalyticsDashboard } from './AnalyticsDashboard'

/**
 * `/admin/analytics`: Payload's default template (nav, header) around the dashboard. Custom views are
 * public by default, so an anonymous visitor goes to the login page; what a user sees is decided by the
 * summary endpoint, which applies their access.
 */
export const AnalyticsView = ({ initPageResult, params, searchParams }: AdminViewServerProps) => {
  const { req, locale, permissions, visibleEntities } = initPageResult
  const adminRoute = req.payload.config.routes.admin
  if (!req.user) {
    const here = formatAdminURL({ adminRoute, path: '/analytics' })
    redirect(`${formatAdminURL({ adminRoute, path: '/login' })}?redirect=${encodeURIComponent(here)}`)
  }
  return (
    <DefaultTemplate
      i18n={req.i18n}
      locale={locale}
      params={params}
      payload={req.payload}
      permissions={permissions}
      req={req}
      searchParams={searchParams}
      user={req.user}
      viewType="analytics"
      // A copy: React 19 refuses to pass the read-only original on (as Payload's own root view does).
      visibleEntities={{ collections: [...visibleEntities.collections], globals: [...visibleEntities.globals] }}
    >
      <Gutter>
        <AnalyticsDashboard />
      </Gutter>
    </DefaultTemplate>
  )
}
