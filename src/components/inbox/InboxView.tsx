import type { AdminViewServerProps } from 'payload'
import React from 'react'

import { AdminPage } from '../AdminPage'
import { Inbox } from './Inbox'

/** `/admin/inbox`: the inbox in Payload's default template. */
export const InboxView = (props: AdminViewServerProps) => (
  <AdminPage {...props} path="/inbox" viewType="inbox">
    <Inbox />
  </AdminPage>
)
