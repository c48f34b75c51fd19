'use client'
import { Button, toast, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import React, { useState } from 'react'

import { useConfirm } from '@/components/useConfirm'

/**
 * The org's inbound email address (SendGrid Inbound Parse's destination URL), for its admins: copy it,
 * or rotate it when it leaked (the old one stops at once).
 */
export const InboundEmailAddress = () => {
  const { id } = useDocumentInfo()
  const stored = useFormFields(([fields]) => fields['inbound.emailSecret']?.value as string | undefined)
  const [secret, setSecret] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const { ask, dialog } = useConfirm('inbound-rotate-confirm')
  if (!id) return null
  const current = secret ?? stored
  const origin = typeof window === 'undefined' ? '' : window.location.origin
  const url = current ? `${origin}/api/callbacks/inbound-email/${current}` : null

  const rotate = async () => {
    setBusy(true)
    try {
      const res = await fetch(`/api/organizations/${id}/rotate-inbound-secret`, { method: 'POST', credentials: 'include' })
      const body = await res.json().catch(() => null)
      if (!res.ok) toast.error(body?.errors?.[0]?.message ?? 'The address could not be rotated.')
      else {
        setSecret(String(body.path).split('/').pop())
        toast.success('A new inbound address is in place; the old one no longer receives mail.')
      }
    } catch {
      toast.error('Could not reach the server; nothing changed.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="field-type" style={{ marginBottom: 'var(--base)' }}>
      {dialog}
      <label className="field-label">Inbound Parse URL</label>
      {url ? (
        <code data-testid="inbound-email-url" style={{ display: 'block', wordBreak: 'break-all', padding: '0.5rem 0.75rem', background: 'var(--theme-elevation-50)', borderRadius: 'var(--style-radius-s)' }}>
          {url}
        </code>
      ) : (
        <p>Only this organisation’s admins see the inbound address.</p>
      )}
      <p style={{ color: 'var(--theme-elevation-650)', fontSize: '0.85rem', margin: '0.5rem 0' }}>
        In SendGrid: Settings → Inbound Parse → add your reply domain and this URL (either mode: parsed or raw). Up to 30 MB per email.
      </p>
      {url && (
        <Button buttonStyle="secondary" size="small" margin={false} disabled={busy} onClick={() => ask({ heading: 'Rotate the inbound address?', body: 'Mail sent to the old address will no longer arrive: update SendGrid Inbound Parse with the new one at once.', confirmLabel: 'Rotate address' }, rotate)}>
          {busy ? 'Rotating…' : 'Rotate address'}
        </Button>
      )}
    </div>
  )
}
