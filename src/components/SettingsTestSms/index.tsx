'use client'
import { Button, toast, useAuth, useDocumentInfo, useFormModified } from '@payloadcms/ui'
import React, { useState } from 'react'

/**
 * "Send test SMS" in the organisation's SMS settings: one message through the saved provider (the
 * outbox, or Twilio) to the admin's own mobile number (their account's, or the one typed here); the
 * server's answer, or Twilio's refusal as a sentence with its code, comes back as a toast.
 */
export const SettingsTestSms = () => {
  const { id } = useDocumentInfo()
  const { user } = useAuth<{ phone?: null | string }>()
  const modified = useFormModified()
  const [busy, setBusy] = useState(false)
  const [to, setTo] = useState<string>(user?.phone ?? '')
  if (!id) return null

  const send = async () => {
    setBusy(true)
    try {
      const res = await fetch(`/api/organizations/${id}/test-sms`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(to.trim() ? { to: to.trim() } : {}),
      })
      const body = await res.json().catch(() => null)
      if (!res.ok) toast.error(body?.errors?.[0]?.message ?? 'The test SMS could not be sent.')
      else toast.success(`Test SMS sent to ${body.sentTo} ${body.provider === 'twilio' ? 'through Twilio' : 'into the SMS outbox'}.`)
    } catch {
      toast.error('Could not reach the server; nothing was sent.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 'calc(var(--base) * 0.75)', flexWrap: 'wrap', marginBottom: 'var(--base)' }}>
      <input
        aria-label="Your mobile number"
        placeholder="Your mobile, e.g. +447400123456"
        value={to}
        onChange={(event) => setTo(event.target.value)}
        style={{ width: '16rem', padding: '0.4rem 0.6rem', border: '1px solid var(--theme-elevation-150)', borderRadius: 'var(--style-radius-s)', background: 'var(--theme-input-bg)', color: 'var(--theme-text)' }}
      />
      <Button buttonStyle="secondary" size="small" margin={false} disabled={busy || modified} onClick={send}>
        {busy ? 'Sending…' : 'Send test SMS'}
      </Button>
      <span style={{ color: 'var(--theme-elevation-650)', fontSize: '0.85rem' }}>
        {modified ? 'Save first: the test uses the saved settings.' : 'Sends one SMS to your own number through these settings.'}
      </span>
    </div>
  )
}
