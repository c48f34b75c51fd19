'use client'
import { Button, toast, useAuth, useDocumentInfo, useFormFields, useFormModified } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useId, useState } from 'react'

import { hasOrgPermission, isSuperAdmin } from '@/access/orgAccess'
import { useConfirm } from '@/components/useConfirm'
import { statusLabel } from '@/services/vocabulary/statuses'

import './suppressions.scss'

type Status = 'active' | 'lifted' | 'pending_review'
type Decision = 'confirm' | 'dismiss'


/**
 * Sidebar of a suppression: its state in words, and for a candidate of the review queue the
 * Confirm / Dismiss decision (approvers and admins of its org; the global list is the super admin's).
 * The server decides and explains every refusal; the buttons only follow the role matrix.
 */
export const SuppressionReview = () => {
  const { id } = useDocumentInfo()
  const router = useRouter()
  const modified = useFormModified()
  const fieldId = useId()
  const status = (useFormFields(([fields]) => fields.status?.value) as Status | undefined) ?? 'active'
  const org = useFormFields(([fields]) => fields.org?.value) as null | number | string | undefined
  const address = useFormFields(([fields]) => fields.address?.value) as string | undefined
  const { user } = useAuth()
  const isGlobal = org === null || org === undefined || org === ''
  const canReview = isGlobal ? isSuperAdmin(user) : hasOrgPermission(user, org, 'suppressions.review')
  const canManage = isGlobal ? isSuperAdmin(user) : hasOrgPermission(user, org, 'suppressions.manage')
  const [busy, setBusy] = useState(false)
  const { ask, dialog } = useConfirm('suppression-review-confirm')
  const [dismissing, setDismissing] = useState(false)
  const [reason, setReason] = useState('')

  if (!id) return null

  const decide = async (decision: Decision) => {
    setBusy(true)
    try {
      const res = await fetch(`/api/suppressions/${id}/${decision}`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(decision === 'dismiss' ? { note: reason } : {}),
      })
      const body = await res.json().catch(() => ({}))
      if (!res.ok) {
        toast.error(body?.errors?.[0]?.message ?? `The candidate could not be ${decision === 'confirm' ? 'confirmed' : 'dismissed'}.`)
        return
      }
      if (decision === 'dismiss') toast.success(`Dismissed: ${address ?? 'the address'} is not suppressed.`)
      else if (body.status === 'active') toast.success(`Confirmed: ${address ?? 'the address'} is suppressed.`)
      else toast.success('Confirmed; the address was already suppressed, so this candidate is closed.')
      setDismissing(false)
      setReason('')
      router.refresh()
    } catch {
      toast.error('The server could not be reached.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="suppression-review" data-testid="suppression-review">
      {dialog}
      <div className="suppression-review__state">
        <span aria-hidden className={`suppression-review__dot suppression-review__dot--${status}`} />
        <strong data-testid="suppression-status">{statusLabel('suppression', status)}</strong>
      </div>
      {status === 'pending_review' && (
        <>
          <p className="suppressions-muted">
            A candidate, not yet suppressed. Confirm to stop every message to this address, or dismiss it with a reason.
            {!canReview && ' An approver or an admin of its organisation decides.'}
          </p>
          {modified && canReview && <p className="suppressions-muted">Save or discard your changes first.</p>}
          {canReview && !dismissing && (
            <div className="suppression-review__actions">
              <Button buttonStyle="primary" disabled={busy || modified} margin={false} onClick={() => ask({ heading: 'Suppress this address?', body: `Every message to ${address ?? 'this address'} stops, in every job of its organisation, until someone lifts it.`, confirmLabel: 'Suppress' }, () => decide('confirm'))} size="medium">
                Confirm
              </Button>
              <Button buttonStyle="secondary" disabled={busy || modified} margin={false} onClick={() => setDismissing(true)} size="medium">
                Dismiss…
              </Button>
            </div>
          )}
          {canReview && dismissing && (
            <div className="suppression-review__dismiss">
              <label htmlFor={`${fieldId}-reason`}>Why is it dismissed?</label>
              <textarea
                autoFocus
                className="suppressions-input"
                id={`${fieldId}-reason`}
                maxLength={1000}
                onChange={(e) => setReason(e.target.value)}
                placeholder="e.g. the reply asked a question, it was not an opt-out"
                rows={3}
                value={reason}
              />
              <div className="suppression-review__actions">
                <Button buttonStyle="primary" disabled={busy || !reason.trim()} margin={false} onClick={() => decide('dismiss')} size="medium">
                  Dismiss
                </Button>
                <Button buttonStyle="secondary" disabled={busy} margin={false} onClick={() => setDismissing(false)} size="medium">
                  Cancel
                </Button>
              </div>
            </div>
          )}
        </>
      )}
      {status === 'active' && (
        <p className="suppressions-muted" data-testid="lift-hint">
          Nothing is sent to this address.
          {canManage && ' To lift it, set Status to Lifted, write why in the note and save; the lift is audited.'}
        </p>
      )}
      {status === 'lifted' && <p className="suppressions-muted">No longer suppressed: messages reach this address again.</p>}
    </div>
  )
}
