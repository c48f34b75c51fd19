'use client'
import { Button, toast, useDocumentInfo, useFormModified } from '@payloadcms/ui'
import React, { useState } from 'react'

/**
 * "Send test email" on the organisation's sending settings: one message through the saved provider,
 * credentials and identity, to the admin's own address; the server's answer (or the provider's
 * refusal with its code) comes back as a toast.
 */
export const SettingsTestEmail = () => {
  const { id } = useDocumentInfo()
  const modified = useFormModified()
  const [busy, setBusy] = useState(false)
  if (!id) return null

  const send = async () => {
    setBusy(true)
    try {
      const res = await fetch(`/api/organizations/${id}/test-email`, { method: 'POST', credentials: 'include' })
      const body = await res.json().catch(() => null)
      if (!res.ok) toast.error(body?.errors?.[0]?.message ?? 'The test could not be sent.')
      else toast.success(`Test sent to ${body.sentTo} through ${body.provider === 'sendgrid' ? 'SendGrid' : 'SMTP'}.`)
    } catch {
      toast.error('Could not reach the server; nothing was sent.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 'calc(var(--base) * 0.75)', flexWrap: 'wrap', marginBottom: 'var(--base)' }}>
      <Button buttonStyle="secondary" size="small" margin={false} disabled={busy || modified} onClick={send}>
        {busy ? 'Sending…' : 'Send test email'}
      </Button>
      <span style={{ color: 'var(--theme-elevation-650)', fontSize: '0.85rem' }}>
        {modified ? 'Save first: the test uses the saved settings.' : 'Sends one message to your own address through these settings.'}
      </span>
    </div>
  )
}
