'use client'
import { useDocumentInfo, useFormFields } from '@payloadcms/ui'
import Link from 'next/link'
import React, { useEffect, useState } from 'react'

import { RECIPIENT_STATUS_LABEL, SUPPRESSION_REASON_LABEL } from '@/components/job-detail/labels'

import './contact-activity.css'

type Send = {
  id: number
  status: string
  job: { id: number; name?: string } | number
  sentAt?: null | string
  deliveredAt?: null | string
  failedAt?: null | string
  lastError?: null | string
  providerCode?: null | string
  createdAt: string
}
type Event = { id: number; type: string; occurredAt: string; detail?: null | string; job?: { id: number; name?: string } | null | number }
type Suppression = { id: number; reason: string; status: string; source?: null | string; note?: null | string; org?: null | number | { id: number }; createdAt: string }
type Activity = { sends: Send[]; totalSends: number; events: Event[]; suppressions: Suppression[] }

const when = (value?: null | string) => (value ? new Date(value).toLocaleString() : '—')
const jobOf = (job: Event['job'] | Send['job']) => (job && typeof job === 'object' ? job : null)

const fetchJSON = async (path: string) => {
  const res = await fetch(path, { credentials: 'include' })
  if (!res.ok) throw new Error(`${res.status}`)
  return res.json()
}

/**
 * On a contact's page: whether the address is suppressed (and why), the messages sent to it with their
 * outcome, and the provider's delivery and engagement events. Everything through the REST API, so the
 * user sees only what their roles allow.
 */
export const ContactActivity = () => {
  const { id } = useDocumentInfo()
  const email = useFormFields(([fields]) => fields.email?.initialValue) as string | undefined
  const org = useFormFields(([fields]) => fields.org?.initialValue) as number | undefined
  const [activity, setActivity] = useState<Activity | null>(null)
  const [error, setError] = useState<null | string>(null)

  useEffect(() => {
    if (!id || !email) return
    let cancelled = false
    const address = encodeURIComponent(email)
    const orgFilter = org ? `&where[org][equals]=${org}` : ''
    Promise.all([
      fetchJSON(`/api/email-recipients?where[contact][equals]=${id}&sort=-createdAt&limit=20&depth=1`),
      fetchJSON(`/api/webhook-events?where[address][equals]=${address}${orgFilter}&sort=-occurredAt&limit=30&depth=1`),
      // This contact's org and the global list only: a user of several orgs must not see another org's entry as this contact's.
      fetchJSON(
        `/api/suppressions?where[address][equals]=${address}&where[status][not_equals]=lifted${org ? `&where[or][0][org][equals]=${org}&where[or][1][org][exists]=false` : ''}&sort=-createdAt&limit=10&depth=0`,
      ),
    ])
      .then(([sends, events, suppressions]) => {
        if (!cancelled) setActivity({ sends: sends.docs, totalSends: sends.totalDocs, events: events.docs, suppressions: suppressions.docs })
      })
      .catch(() => !cancelled && setError('Could not load the activity of this contact.'))
    return () => {
      cancelled = true
    }
  }, [id, email, org])

  if (!id) return null
  if (error) return <p className="contact-activity__muted">{error}</p>
  if (!activity) return <p className="contact-activity__muted">Loading activity…</p>

  const active = activity.suppressions.filter((s) => s.status === 'active')
  const pending = activity.suppressions.filter((s) => s.status === 'pending_review')
  return (
    <section className="contact-activity" aria-label="Contact activity">
      <h3 className="contact-activity__title">Suppression</h3>
      {active.length === 0 && pending.length === 0 && <p className="contact-activity__ok">Not suppressed: this address receives email.</p>}
      {active.map((s) => (
        <p key={s.id} className="contact-activity__suppressed">
          <strong>Suppressed</strong> — {SUPPRESSION_REASON_LABEL[s.reason] ?? s.reason}
          {s.org ? '' : ' (global list)'}, since {when(s.createdAt)}
          {s.source ? `, from ${s.source}` : ''}. <Link href={`/admin/collections/suppressions/${s.id}`}>Open</Link>
        </p>
      ))}
      {pending.map((s) => (
        <p key={s.id} className="contact-activity__pending">
          Waiting for review — {SUPPRESSION_REASON_LABEL[s.reason] ?? s.reason}
          {s.note ? `: ${s.note}` : ''}. <Link href={`/admin/collections/suppressions/${s.id}`}>Review</Link>
        </p>
      ))}

      <h3 className="contact-activity__title">Sends {activity.totalSends > activity.sends.length ? `(latest ${activity.sends.length} of ${activity.totalSends})` : `(${activity.totalSends})`}</h3>
      {activity.sends.length === 0 ? (
        <p className="contact-activity__muted">No email has been sent to this contact yet.</p>
      ) : (
        <table className="contact-activity__table">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th>Sent</th>
              <th>Delivered / failed</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {activity.sends.map((send) => {
              const job = jobOf(send.job)
              return (
                <tr key={send.id}>
                  <td>{job ? <Link href={`/admin/collections/email-jobs/${job.id}`}>{job.name ?? `Job ${job.id}`}</Link> : '—'}</td>
                  <td>
                    <span className={`contact-activity__pill contact-activity__pill--${send.status}`}>{RECIPIENT_STATUS_LABEL[send.status] ?? send.status}</span>
                  </td>
                  <td>{when(send.sentAt)}</td>
                  <td>{when(send.deliveredAt ?? send.failedAt)}</td>
                  <td>{send.lastError ? `${send.lastError}${send.providerCode ? ` (${send.providerCode})` : ''}` : ''}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}

      <h3 className="contact-activity__title">Events</h3>
      {activity.events.length === 0 ? (
        <p className="contact-activity__muted">No delivery or engagement events yet.</p>
      ) : (
        <ul className="contact-activity__events">
          {activity.events.map((event) => {
            const job = jobOf(event.job)
            return (
              <li key={event.id}>
                <span className={`contact-activity__event contact-activity__event--${event.type}`}>{event.type.replace(/_/g, ' ')}</span>
                <span className="contact-activity__muted">{when(event.occurredAt)}</span>
                {job ? <Link href={`/admin/collections/email-jobs/${job.id}`}>{job.name ?? `Job ${job.id}`}</Link> : null}
                {event.detail ? <span className="contact-activity__muted">{event.detail}</span> : null}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
