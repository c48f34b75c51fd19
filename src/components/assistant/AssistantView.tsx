import type { AdminViewServerProps } from 'payload'
import React from 'react'

import { AdminPage } from '../AdminPage'
import { Assistant } from './Assistant'

/** `/admin/assistant`: ask the knowledge base, in Payload's default template; the endpoints apply the user's access. */
export const AssistantView = (props: AdminViewServerProps) => (
  <AdminPage {...props} path="/assistant" viewType="assistant">
    <Assistant />
  </AdminPage>
)
