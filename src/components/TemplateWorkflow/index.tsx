'use client'
import { Button, toast, useAuth, useDocumentInfo, useFormFields, useFormModified } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useState } from 'react'

import { hasOrgPermission } from '@/access/orgAccess'
import { StatusPill } from '@/components/status/StatusPill'
import { useConfirm } from '@/components/useConfirm'

type Status = 'approved' | 'draft' | 'pending' | 'rejected'

/**
 * Sidebar actions of the approval workflow. Each button asks the server for a transition; the server
 * decides (roles, four-eyes) and this shows its answer, so the UI cannot grant what the API refuses.
 */
export const TemplateWorkflow = () => {
  const { id } = useDocumentInfo()
  const router = useRouter()
  const modified = useFormModified()
  const status = (useFormFields(([fields]) => fields.status?.value) as Status | undefined) ?? 'draft'
  const org = useFormFields(([fields]) => fields.org?.value) as number | undefined
  const { user } = useAuth()
  // Buttons follow the role matrix; the server still decides (and explains) every step.
  const can = {
    edit: hasOrgPermission(user, org, 'templates.edit'),
    submit: hasOrgPermission(user, org, 'templates.submit'),
    approve: hasOrgPermission(user, org, 'templates.approve'),
  }
  const [busy, setBusy] = useState(false)
  const { ask, dialog } = useConfirm('template-review-confirm')
  const name = (useFormFields(([fields]) => fields.name?.value) as string | undefined) || 'this template'
  const [reason, setReason] = useState('')
  const [rejecting, setRejecting] = useState(false)

  if (!id) return <p style={{ color: 'var(--theme-elevation-650)' }}>Save the template to submit it for approval.</p>

  const move = async (to: Status, extra: Record<string, unknown> = {}) => {
    setBusy(true)
    try {
      const res = await fetch(`/api/email-templates/${id}`, {
        method: 'PATCH',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: to, ...extra }),
      })
      const body = await res.json().catch(() => ({}))
      if (!res.ok) {
        toast.error(body?.errors?.[0]?.message ?? `Could not move the template to ${to}.`)
        return
      }
      toast.success(`Template ${to === 'pending' ? 'submitted for approval' : to === 'draft' ? 'back to draft' : to}.`)
      setRejecting(false)
      setReason('')
      router.refresh()
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="template-workflow" style={{ marginBottom: 'var(--base)' }}>
      {dialog}
      <div style={{ marginBottom: 12 }}>
        <StatusPill kind="template" testID="template-status" value={status} />
      </div>
      {modified && <p style={{ color: 'var(--theme-elevation-650)', fontSize: 12 }}>Save your changes before a review step.</p>}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {(status === 'draft' || status === 'rejected') && can.submit && (
          <Button buttonStyle="primary" disabled={busy || modified} onClick={() => move('pending')} size="small">
            Submit for approval
          </Button>
        )}
        {status === 'pending' && !rejecting && can.approve && (
          <>
            <Button buttonStyle="primary" disabled={busy || modified} onClick={() => ask({ heading: 'Approve this template?', body: `“${name}” becomes approved: senders of its organisation can queue jobs with it as it stands now.`, confirmLabel: 'Approve' }, () => move('approved'))} size="small">
              Approve
            </Button>
            <Button buttonStyle="secondary" disabled={busy || modified} onClick={() => setRejecting(true)} size="small">
              Reject…
            </Button>
          </>
        )}
        {status !== 'draft' && !rejecting && (can.edit || can.submit) && (
          <Button buttonStyle="subtle" disabled={busy} onClick={() => move('draft')} size="small">
            Back to draft
          </Button>
        )}
      </div>
      {rejecting && (
        <div style={{ marginTop: 8 }}>
          <label htmlFor="reject-reason" style={{ display: 'block', marginBottom: 4 }}>
            Why is it rejected?
          </label>
          <textarea
            id="reject-reason"
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            style={{ background: 'var(--theme-input-bg)', color: 'var(--theme-text)', width: '100%' }}
            value={reason}
          />
          <div style={{ display: 'flex', gap: 8 }}>
            <Button buttonStyle="primary" disabled={busy || !reason.trim()} onClick={() => ask({ heading: 'Reject this template?', body: `“${name}” goes back to its author as rejected, with your reason; it cannot be sent until approved.`, confirmLabel: 'Reject' }, () => move('rejected', { rejectionReason: reason }))} size="small">
              Reject
            </Button>
            <Button buttonStyle="subtle" onClick={() => setRejecting(false)} size="small">
              Cancel
            </Button>
          </div>
        </div>
      )}
    </div>
  )
}
