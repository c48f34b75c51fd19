'use client'
import type { DefaultCellComponentProps } from 'payload'
import React from 'react'

import { StatusPill } from '@/components/status/StatusPill'

type Invitation = { status?: null | string; expiresAt?: null | string } | null | undefined

/** The users list's invitation column: pending, expired (the link no longer works), joined or withdrawn. */
export const InvitationCell = ({ cellData }: DefaultCellComponentProps) => {
  const invitation = cellData as Invitation
  if (!invitation?.status) return <span>—</span>
  if (invitation.status === 'pending' && invitation.expiresAt && new Date(invitation.expiresAt).getTime() < Date.now()) {
    return <span className="status-pill status-pill--error">Link expired</span>
  }
  return <StatusPill kind="invitation" value={invitation.status} />
}
