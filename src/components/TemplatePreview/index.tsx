'use client'
import { Button, toast, useAuth, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import React, { useCallback, useEffect, useMemo, useState } from 'react'

import { hasOrgPermission } from '@/access/orgAccess'

import { withoutRemoteContent } from './without-remote-content'

type Preview = { contact: string; html: string; subject: string; text: string }
type ContactOption = { email: string; id: number }

/**
 * Renders the template as a recipient will see it (current form values, saved or not): subject,
 * HTML in a sandboxed iframe (no scripts, no same-origin access) and the text part; plus "send a test
 * to me".
 */
export const TemplatePreview = () => {
  const { id } = useDocumentInfo()
  const subject = useFormFields(([f]) => f.subject?.value) as string | undefined
  const html = useFormFields(([f]) => f.html?.value) as string | undefined
  const text = useFormFields(([f]) => f.text?.value) as string | undefined
  const footer = useFormFields(([f]) => f.footer?.value) as string | undefined
  const org = useFormFields(([f]) => f.org?.value) as number | { id: number } | undefined
  const { user } = useAuth()
  // Only roles that may send themselves a test see the button (a viewer would get a 403).
  const canTestSend = Boolean(user && org !== undefined && org !== null && hasOrgPermission(user, org, 'templates.testSend'))
  const [contacts, setContacts] = useState<ContactOption[]>([])
  const [contactID, setContactID] = useState('')
  const [preview, setPreview] = useState<Preview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [tab, setTab] = useState<'html' | 'text'>('html')
  const [sending, setSending] = useState(false)
  const shown = useMemo(() => (preview ? withoutRemoteContent(preview.html) : null), [preview])

  useEffect(() => {
    if (!id) return
    fetch('/api/contacts?limit=100&depth=0&sort=email&select[email]=true', { credentials: 'include' })
      .then((r) => r.json())
      .then((body) => setContacts(body?.docs ?? []))
      .catch(() => setContacts([]))
  }, [id])

  const refresh = useCallback(async () => {
    if (!id) return
    const res = await fetch(`/api/email-templates/${id}/preview`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ contactID: contactID || undefined, content: { subject, html, text, footer } }),
    })
    const body = await res.json().catch(() => ({}))
    if (!res.ok) {
      setError(body?.errors?.[0]?.message ?? 'The preview could not be rendered.')
      return
    }
    setError(null)
    setPreview(body)
  }, [id, contactID, subject, html, text, footer])

  useEffect(() => {
    const timer = setTimeout(() => void refresh(), 300)
    return () => clearTimeout(timer)
  }, [refresh])

  const sendTest = async () => {
    setSending(true)
    try {
      const res = await fetch(`/api/email-templates/${id}/test-send`, { method: 'POST', credentials: 'include' })
      const body = await res.json().catch(() => ({}))
      if (res.ok) toast.success(`Test sent to ${body.sentTo}.`)
      else toast.error(body?.errors?.[0]?.message ?? 'The test could not be sent.')
    } finally {
      setSending(false)
    }
  }

  if (!id) return null
  return (
    <section className="template-preview" style={{ borderTop: '1px solid var(--theme-elevation-150)', marginTop: 'var(--base)', paddingTop: 'var(--base)' }}>
      <div style={{ alignItems: 'center', display: 'flex', flexWrap: 'wrap', gap: 12, justifyContent: 'space-between' }}>
        <h3 style={{ margin: 0 }}>Preview</h3>
        <div style={{ alignItems: 'center', display: 'flex', gap: 8 }}>
          <label htmlFor="preview-contact">As</label>
          <select
            id="preview-contact"
            onChange={(e) => setContactID(e.target.value)}
            style={{ background: 'var(--theme-input-bg)', color: 'var(--theme-text)', padding: '4px 8px' }}
            value={contactID}
          >
            <option value="">Sample contact (Ada Lovelace)</option>
            {contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.email}
              </option>
            ))}
          </select>
          {canTestSend && (
            <Button buttonStyle="secondary" disabled={sending} onClick={sendTest} size="small">
              Send a test to me
            </Button>
          )}
        </div>
      </div>
      {error && (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {error}
        </p>
      )}
      {preview && (
        <div data-testid="template-preview">
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{preview.subject}</span>
          </p>
          <div style={{ display: 'flex', gap: 8, marginBottom: 8 }}>
            <Button buttonStyle={tab === 'html' ? 'primary' : 'subtle'} onClick={() => setTab('html')} size="small">
              HTML
            </Button>
            <Button buttonStyle={tab === 'text' ? 'primary' : 'subtle'} onClick={() => setTab('text')} size="small">
              Text
            </Button>
          </div>
          {tab === 'html' ? (
            <>
              {shown && shown.held > 0 && (
                <p data-testid="preview-remote-note" style={{ color: 'var(--theme-elevation-600)', fontSize: 13, margin: '0 0 8px' }}>
                  {shown.held === 1 ? '1 remote image or style is' : `${shown.held} remote images or styles are`} not loaded in the preview
                  (recipients’ mail programs load them).
                </p>
              )}
              <iframe
                sandbox=""
                srcDoc={shown?.html ?? ''}
                style={{ background: '#fff', border: '1px solid var(--theme-elevation-150)', height: 420, width: '100%' }}
                title="Email preview"
              />
            </>
          ) : (
            <pre style={{ background: 'var(--theme-elevation-50)', padding: 12, whiteSpace: 'pre-wrap' }}>{preview.text}</pre>
          )}
        </div>
      )}
    </section>
  )
}
