import type { AdminViewServerProps } from 'payload'
import React from 'react'

import { AdminPage } from '../AdminPage'
import { AnalyticsDashboard } from './AnalyticsDashboard'

/** `/admin/analytics`: the dashboard in Payload's default template; the summary endpoint applies the user's access. */
export const AnalyticsView = (props: AdminViewServerProps) => (
  <AdminPage {...props} path="/analytics" viewType="analytics">
    <AnalyticsDashboard />
  </AdminPage>
)
