'use client'
import { useDocumentInfo, useFormFields } from '@payloadcms/ui'
import Link from 'next/link'
import React, { useEffect, useState } from 'react'

import { DateTime } from '@/components/dates/DateTime'
import { SUPPRESSION_REASON_LABEL } from '@/components/job-detail/labels'
import { StatusPill } from '@/components/status/StatusPill'
import type { ContactEngagement, ContactEvent } from '@/services/metrics/read-contact-engagement'
import type { EngagementCounts } from '@/services/metrics/read-engagement'

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
type Suppression = { id: number; reason: string; status: string; source?: null | string; note?: null | string; org?: null | number | { id: number }; createdAt: string }
type Sends = { docs: Send[]; totalDocs: number }
/** Each section's own answer, so one failed request leaves the others on screen. */
type Part<T> = { ok: true; value: T } | { ok: false; error: string }
type Activity = { sends: Part<Sends>; engagement: Part<ContactEngagement>; suppressions: Part<Suppression[]> }

/** What the contact did with its messages, per channel: counts of messages, not of events. */
const ENGAGEMENT_FIGURES: { key: keyof EngagementCounts; label: string }[] = [
  { key: 'sent', label: 'Sent' },
  { key: 'excluded', label: 'Excluded' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'opened', label: 'Opened' },
  { key: 'clicked', label: 'Clicked' },
  { key: 'bounced', label: 'Bounced' },
  { key: 'dropped', label: 'Dropped' },
  { key: 'complained', label: 'Marked as spam' },
  { key: 'unsubscribed', label: 'Unsubscribed' },
]

const when = (value?: null | string) => <DateTime value={value} />
const jobOf = (job: ContactEvent['job'] | Send['job']) => (job && typeof job === 'object' ? job : null)

const fetchJSON = async (path: string, signal: AbortSignal) => {
  const res = await fetch(path, { credentials: 'include', signal })
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  return res.json()
}

const part = <T,>(result: PromiseSettledResult<unknown>, what: string, read: (body: any) => T): Part<T> => {
  if (result.status === 'rejected') return { ok: false, error: `Could not load ${what} (${result.reason instanceof Error ? result.reason.message : 'no answer'}).` }
  try {
    return { ok: true, value: read(result.value) }
  } catch {
    return { ok: false, error: `Could not load ${what}: the server's answer was not understood.` }
  }
}

const docsOf = <T,>(body: any): { docs: T[]; totalDocs: number } => {
  if (!Array.isArray(body?.docs)) throw new Error('no docs')
  return { docs: body.docs as T[], totalDocs: Number(body.totalDocs ?? body.docs.length) }
}

const Failed = ({ error }: { error: string }) => (
  <p className="contact-activity__error" role="alert">
    {error}
  </p>
)

/**
 * On a contact's page: whether the address is suppressed (and why), its engagement (messages sent,
 * delivered, opened, clicked, bounced, marked as spam; last open and click), the messages sent to it with
 * their outcome, and its latest delivery and engagement events. Everything through the REST API, so the
 * user sees only what their roles allow.
 */
export const ContactActivity = () => {
  const { id } = useDocumentInfo()
  const email = useFormFields(([fields]) => fields.email?.initialValue) as string | undefined
  const org = useFormFields(([fields]) => fields.org?.initialValue) as number | undefined
  const [activity, setActivity] = useState<Activity | null>(null)

  useEffect(() => {
    if (!id || !email) return
    const controller = new AbortController()
    const { signal } = controller
    const address = encodeURIComponent(email)
    void Promise.allSettled([
      fetchJSON(`/api/email-recipients?where[contact][equals]=${id}&sort=-createdAt&limit=20&depth=1`, signal),
      fetchJSON(`/api/contacts/${encodeURIComponent(String(id))}/engagement`, signal),
      // This contact's org and the global list only: a user of several orgs must not see another org's entry as this contact's.
      fetchJSON(
        `/api/suppressions?where[address][equals]=${address}&where[status][not_equals]=lifted${org ? `&where[or][0][org][equals]=${org}&where[or][1][org][exists]=false` : ''}&sort=-createdAt&limit=10&depth=0`,
        signal,
      ),
    ]).then(([sends, engagement, suppressions]) => {
      if (signal.aborted) return
      setActivity({
        sends: part(sends, 'the messages sent to this contact', (body) => docsOf<Send>(body)),
        engagement: part(engagement, 'the engagement of this contact', (body) => {
          if (!Array.isArray(body?.channels) || !Array.isArray(body?.events)) throw new Error('not engagement')
          return body as ContactEngagement
        }),
        suppressions: part(suppressions, 'the suppression state of this address', (body) => docsOf<Suppression>(body).docs),
      })
    })
    return () => controller.abort()
  }, [id, email, org])

  if (!id) return null
  if (!activity) return <p className="contact-activity__muted">Loading activity…</p>

  const { sends, engagement, suppressions } = activity
  const active = suppressions.ok ? suppressions.value.filter((s) => s.status === 'active') : []
  const pending = suppressions.ok ? suppressions.value.filter((s) => s.status === 'pending_review') : []
  return (
    <section className="contact-activity" aria-label="Contact activity">
      <h3 className="contact-activity__title">Suppression</h3>
      {!suppressions.ok && <Failed error={suppressions.error} />}
      {suppressions.ok && active.length === 0 && pending.length === 0 && <p className="contact-activity__ok">Not suppressed: this address receives email.</p>}
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

      <h3 className="contact-activity__title">Engagement</h3>
      {!engagement.ok && <Failed error={engagement.error} />}
      {engagement.ok && engagement.value.channels.map((channel) => (
        <div key={channel.channel} className="contact-activity__engagement" data-testid={`contact-engagement-${channel.channel}`}>
          {/* Only a contact with no message at all: one whose messages were all excluded shows that count. */}
          {channel.counts.total + channel.counts.excluded === 0 ? (
            <p className="contact-activity__muted">No messages sent yet.</p>
          ) : (
            <>
              <dl className="contact-activity__figures">
                {ENGAGEMENT_FIGURES.map((figure) => (
                  <div key={figure.key} className="contact-activity__figure" data-testid={`contact-engagement-${figure.key}`} data-value={channel.counts[figure.key]}>
                    <dt>{figure.label}</dt>
                    <dd>{channel.counts[figure.key]}</dd>
                  </div>
                ))}
              </dl>
              <p className="contact-activity__muted contact-activity__last">
                <span>{channel.channel === 'email' ? 'Email' : channel.channel}, counted per message (a message opened twice counts once).</span>
                <span>Last open: {when(channel.times.lastOpenAt)}</span>
                <span>Last click: {when(channel.times.lastClickAt)}</span>
              </p>
            </>
          )}
        </div>
      ))}

      <h3 className="contact-activity__title">
        Sends{sends.ok ? (sends.value.totalDocs > sends.value.docs.length ? ` (latest ${sends.value.docs.length} of ${sends.value.totalDocs})` : ` (${sends.value.totalDocs})`) : ''}
      </h3>
      {!sends.ok ? (
        <Failed error={sends.error} />
      ) : sends.value.docs.length === 0 ? (
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
            {sends.value.docs.map((send) => {
              const job = jobOf(send.job)
              return (
                <tr key={send.id}>
                  <td>{job ? <Link href={`/admin/collections/email-jobs/${job.id}`}>{job.name ?? `Job ${job.id}`}</Link> : '—'}</td>
                  <td>
                    <StatusPill kind="recipient" value={send.status} />
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

      <h3 className="contact-activity__title">Latest events</h3>
      {!engagement.ok ? (
        <Failed error={engagement.error} />
      ) : engagement.value.events.length === 0 ? (
        <p className="contact-activity__muted">No delivery or engagement events yet.</p>
      ) : (
        <ul className="contact-activity__events">
          {engagement.value.events.map((event) => {
            const job = jobOf(event.job)
            return (
              <li key={event.id} data-type={event.type}>
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
