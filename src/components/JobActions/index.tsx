'use client'
import { Button, toast, useAuth, useFormFields, useFormModified } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useEffect, useRef, useState } from 'react'

import { hasOrgPermission } from '@/access/orgAccess'
import { type AudienceCount, countAudience, useAudienceRequest } from '@/components/audience/AudienceSummary'
import { setProgressStatus } from '@/components/job-detail/progress-store'
import { settlingLabel, useInFlight } from '@/components/job-detail/use-in-flight'
import { useLiveJob } from '@/components/job-detail/use-live-job'
import { type ConfirmQuestion, useConfirm } from '@/components/useConfirm'
import { isJobActionAllowed, type JobAction } from '@/services/sending/job-transitions'
import { statusLabel } from '@/services/vocabulary/statuses'

type Action = 'queue' | JobAction

const DONE: Record<Exclude<Action, 'queue'>, string> = {
  pause: 'Job paused.',
  resume: 'Job resumed.',
  cancel: 'Job cancelled.',
  'resend-unknown': 'Unknown recipients queued again.',
  'retry-failed': 'Failed recipients queued again.',
}

const count = (n: number, one: string, many = `${one}s`) => `${new Intl.NumberFormat('en').format(n)} ${n === 1 ? one : many}`

/**
 * What a person is asked before an action that cannot be undone (queue, cancel, sending again), naming
 * what will happen and to how many; pause and resume run at once.
 */
const confirmation = (action: Action, counts: { failed: number; unknown: number; pending: number; audience: null | { total: number; suppressed: number } }): ConfirmQuestion | null => {
  if (action === 'queue') {
    const audience = counts.audience
    const who = audience ? `${count(audience.total - audience.suppressed, 'contact')}${audience.suppressed ? ` (${count(audience.suppressed, 'suppressed contact')} skipped)` : ''}` : 'its audience'
    return { heading: 'Queue this job?', body: `It will be sent to ${who}. From then on its recipients and content are fixed.`, confirmLabel: 'Queue for sending' }
  }
  if (action === 'cancel') return { heading: 'Cancel this job?', body: `${count(counts.pending, 'message')} not yet sent will not be sent; messages already handed to the provider still arrive.`, confirmLabel: 'Cancel job' }
  if (action === 'resend-unknown') return { heading: 'Send again?', body: `Send again to ${count(counts.unknown, 'recipient')} whose outcome is unknown? Some of them may already have received it.`, confirmLabel: `Resend to ${count(counts.unknown, 'recipient')}` }
  if (action === 'retry-failed') return { heading: 'Retry failed recipients?', body: `Try ${count(counts.failed, 'failed recipient')} once more. Addresses suppressed since are skipped.`, confirmLabel: `Retry ${count(counts.failed, 'recipient')}` }
  return null
}

/**
 * Sidebar actions of an email job: queue a draft; pause, resume or cancel a running job; resend the
 * recipients whose outcome is unknown; retry the failed ones of an ended job. Which action fits which
 * status comes from the server's own table (job-transitions); the server decides again and explains
 * (409 with the reason). Status and counters are the live ones the progress panel polls.
 */
export const JobActions = () => {
  const { id, progress } = useLiveJob()
  const router = useRouter()
  const modified = useFormModified()
  const formStatus = useFormFields(([fields]) => fields.status?.value) as string | undefined
  const org = useFormFields(([fields]) => fields.org?.value) as number | undefined
  const { user } = useAuth()
  const canQueue = hasOrgPermission(user, org, 'jobs.queue')
  const canControl = hasOrgPermission(user, org, 'jobs.cancel')
  const [busy, setBusy] = useState(false)
  const { ask, dialog } = useConfirm('job-action-confirm')
  const inFlight = useInFlight(id, progress?.status ?? formStatus ?? 'draft')
  const { request: audienceRequest } = useAudienceRequest()
  const status = progress?.status ?? formStatus ?? 'draft'
  const unknown = progress?.unknown ?? 0
  const failed = progress?.failed ?? 0

  // When the live status moves past the form's (say sending → completed), reload the form once so its
  // read-only fields (status, completion time) agree; never over unsaved changes.
  const refreshedFor = useRef<string | undefined>(undefined)
  useEffect(() => {
    if (!formStatus || status === formStatus || modified || refreshedFor.current === status) return
    refreshedFor.current = status
    router.refresh()
  }, [status, formStatus, modified, router])

  if (!id) return <p style={{ color: 'var(--theme-elevation-650)' }}>Save the job, then queue it from here.</p>

  const perform = async (action: Action) => {
    setBusy(true)
    try {
      const res = await fetch(`/api/email-jobs/${id}/${action}`, { method: 'POST', credentials: 'include' })
      const body = await res.json().catch(() => ({}))
      if (!res.ok) {
        toast.error(body?.errors?.[0]?.message ?? 'The server refused that.')
        return
      }
      toast.success(action === 'queue' ? `Job queued: ${body.pending} to send, ${body.excluded} excluded.` : DONE[action])
      if (typeof body.status === 'string') {
        // The effect above would refresh again on seeing the new status: this refresh covers it.
        refreshedFor.current = body.status
        setProgressStatus(String(id), body.status)
      }
      router.refresh()
    } catch {
      toast.error('Could not reach the server; nothing was changed.')
    } finally {
      setBusy(false)
    }
  }

  const act = async (action: Action) => {
    let audience: null | AudienceCount = null
    if (action === 'queue') audience = await countAudience(audienceRequest).catch(() => null)
    const question = confirmation(action, { failed, unknown, pending: progress?.pending ?? 0, audience })
    if (question) ask(question, () => perform(action))
    else await perform(action)
  }

  const button = (action: Action, label: string, style: 'primary' | 'secondary' | 'subtle' = 'secondary') => (
    <Button buttonStyle={style} disabled={busy || modified} key={action} onClick={() => act(action)} size="small">
      {label}
    </Button>
  )
  const allowed = (action: Action) => isJobActionAllowed(action, status)

  return (
    <div className="job-actions" style={{ marginBottom: 'var(--base)' }}>
      {dialog}
      <strong data-testid="job-status">{settlingLabel(status, inFlight, statusLabel('job', status))}</strong>
      {modified && <p style={{ color: 'var(--theme-elevation-650)', fontSize: 12 }}>Save your changes first.</p>}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
        {allowed('queue') && canQueue && button('queue', 'Queue for sending', 'primary')}
        {allowed('pause') && canControl && button('pause', 'Pause')}
        {allowed('resume') && canControl && button('resume', 'Resume', 'primary')}
        {allowed('cancel') && canControl && button('cancel', 'Cancel job', 'subtle')}
        {unknown > 0 && allowed('resend-unknown') && canControl && button('resend-unknown', `Resend ${unknown} unknown`)}
        {failed > 0 && allowed('retry-failed') && canControl && button('retry-failed', `Retry ${failed} failed`)}
      </div>
      {status !== 'draft' && (
        <p style={{ marginTop: 12 }}>
          <a data-testid="job-export-recipients" href={`/admin/collections/exports/create?kind=job&job=${id}`}>
            Export the recipients as CSV
          </a>
        </p>
      )}
      {unknown > 0 && (
        <p style={{ color: 'var(--theme-elevation-600)', fontSize: 12, marginTop: 8 }}>
          {unknown} recipients have an unknown outcome: their worker stopped mid-send, so they may or may not have received it.
        </p>
      )}
    </div>
  )
}
