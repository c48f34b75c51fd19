'use client'
import { Button, toast, useAuth, useDocumentInfo, useFormFields, useFormModified } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useEffect, useState } from 'react'

import { hasOrgPermission } from '@/access/orgAccess'

type Action = 'cancel' | 'pause' | 'queue' | 'resend-unknown' | 'resume'

const STATUS_LABEL: Record<string, string> = {
  draft: 'Draft',
  queued: 'Queued',
  sending: 'Sending',
  paused: 'Paused',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
  cancelled: 'Cancelled',
}
const DONE = { queue: 'Job queued.', pause: 'Job paused.', resume: 'Job resumed.', cancel: 'Job cancelled.', 'resend-unknown': 'Unknown recipients queued again.' }

/**
 * Sidebar actions of an email job: queue a draft; pause, resume or cancel a running job; resend the
 * recipients whose outcome is unknown. Each asks the server, which decides and explains (409 with the
 * reason); while the job runs, the page refreshes every few seconds so the counters move.
 */
export const JobActions = () => {
  const { id } = useDocumentInfo()
  const router = useRouter()
  const modified = useFormModified()
  const status = (useFormFields(([fields]) => fields.status?.value) as string | undefined) ?? 'draft'
  const unknown = Number(useFormFields(([fields]) => fields.unknown?.value) ?? 0)
  const org = useFormFields(([fields]) => fields.org?.value) as number | undefined
  const { user } = useAuth()
  const canQueue = hasOrgPermission(user, org, 'jobs.queue')
  const canControl = hasOrgPermission(user, org, 'jobs.cancel')
  const [busy, setBusy] = useState(false)
  const running = status === 'queued' || status === 'sending'

  useEffect(() => {
    if (!running || modified) return
    const timer = setInterval(() => router.refresh(), 3000)
    return () => clearInterval(timer)
  }, [running, modified, router])

  if (!id) return <p style={{ color: 'var(--theme-elevation-500)' }}>Save the job, then queue it from here.</p>

  const act = async (action: Action) => {
    if (action === 'cancel' && !window.confirm('Cancel this job? Messages not yet sent will not be sent.')) return
    if (action === 'resend-unknown' && !window.confirm(`Send again to ${unknown} recipients whose outcome is unknown? Some of them may already have received it.`)) return
    setBusy(true)
    try {
      const res = await fetch(`/api/email-jobs/${id}/${action}`, { method: 'POST', credentials: 'include' })
      const body = await res.json().catch(() => ({}))
      if (!res.ok) {
        toast.error(body?.errors?.[0]?.message ?? 'The server refused that.')
        return
      }
      toast.success(action === 'queue' ? `Job queued: ${body.pending} to send, ${body.excluded} excluded.` : DONE[action])
      router.refresh()
    } finally {
      setBusy(false)
    }
  }

  const button = (action: Action, label: string, style: 'primary' | 'secondary' | 'subtle' = 'secondary') => (
    <Button buttonStyle={style} disabled={busy || modified} key={action} onClick={() => act(action)} size="small">
      {label}
    </Button>
  )

  return (
    <div className="job-actions" style={{ marginBottom: 'var(--base)' }}>
      <strong data-testid="job-status">{STATUS_LABEL[status] ?? status}</strong>
      {modified && <p style={{ color: 'var(--theme-elevation-500)', fontSize: 12 }}>Save your changes first.</p>}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
        {status === 'draft' && canQueue && button('queue', 'Queue for sending', 'primary')}
        {running && canControl && button('pause', 'Pause')}
        {status === 'paused' && canControl && button('resume', 'Resume', 'primary')}
        {(running || status === 'paused') && canControl && button('cancel', 'Cancel job', 'subtle')}
        {unknown > 0 && status !== 'draft' && status !== 'queued' && status !== 'cancelled' && canControl && button('resend-unknown', `Resend ${unknown} unknown`)}
      </div>
      {unknown > 0 && (
        <p style={{ color: 'var(--theme-elevation-600)', fontSize: 12, marginTop: 8 }}>
          {unknown} recipients have an unknown outcome: their worker stopped mid-send, so they may or may not have received it.
        </p>
      )}
    </div>
  )
}
