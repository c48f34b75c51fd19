import { DefaultTemplate } from '@payloadcms/next/templates'
import { Gutter } from '@payloadcms/ui'
import { redirect } from 'next/navigation'
import type { AdminViewServerProps } from 'payload'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

/**
 * A custom admin page (`/admin<path>`) in Payload's default template (nav, header). Custom views are
 * public by default, so an anonymous visitor goes to the login page and comes back; what a user sees
 * on the page is decided by the API it calls, which applies their access.
 */
export const AdminPage = ({ initPageResult, params, searchParams, path, viewType, children }: AdminViewServerProps & { path: string; viewType: string; children: React.ReactNode }) => {
  const { req, locale, permissions, visibleEntities } = initPageResult
  const adminRoute = req.payload.config.routes.admin
  if (!req.user) {
    const here = formatAdminURL({ adminRoute, path: path as `/${string}` })
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
      viewType={viewType as never}
      // A copy: React 19 refuses to pass the read-only original on (as Payload's own root view does).
      visibleEntities={{ collections: [...visibleEntities.collections], globals: [...visibleEntities.globals] }}
    >
      <Gutter>{children}</Gutter>
    </DefaultTemplate>
  )
}
