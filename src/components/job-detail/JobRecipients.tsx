'use client'
import { useConfig, useFormFields } from '@payloadcms/ui'
import React, { useEffect, useMemo, useState } from 'react'

import './job-detail.css'
import { DateTime } from '@/components/dates/DateTime'
import { Pill, StatusPill } from '@/components/status/StatusPill'
import { statusLabel } from '@/services/vocabulary/statuses'

import { formatBytes, SUPPRESSION_REASON_LABEL } from './labels'
import type { Counter } from './counters'
import { attachmentsQuery, recipientsQuery } from './queries'
import { useLiveJob } from './use-live-job'

type Relation<T> = ({ id: number } & T) | null | number | undefined
type Suppression = { reason?: string; source?: null | string; note?: null | string; status?: string; createdAt?: string; org?: unknown }
type Contact = { firstName?: null | string; lastName?: null | string; email?: string }
type Recipient = {
  id: number
  email: string
  status: string
  contact?: Relation<Contact>
  suppression?: Relation<Suppression>
  excludedReason?: null | string
  attempts?: null | number
  lastError?: null | string
  providerCode?: null | string
  providerMessageID?: null | string
  sentAt?: null | string
  deliveredAt?: null | string
  failedAt?: null | string
  updatedAt?: string
}
type Page = { docs: Recipient[]; page: number; totalPages: number; totalDocs: number }
type Media = { id: number; filename?: null | string; url?: null | string; filesize?: null | number; mimeType?: null | string; alt?: null | string }

const FILTERS: { key: string; label: string; statuses: string[] | null; counter: Counter }[] = [
  { key: 'all', label: 'All', statuses: null, counter: 'total' },
  { key: 'pending', label: 'Pending', statuses: ['pending', 'sending'], counter: 'pending' },
  { key: 'sent', label: 'Sent', statuses: ['sent', 'delivered'], counter: 'sent' },
  { key: 'delivered', label: 'Delivered', statuses: ['delivered'], counter: 'delivered' },
  { key: 'failed', label: 'Failed', statuses: ['failed'], counter: 'failed' },
  { key: 'excluded', label: 'Excluded', statuses: ['excluded'], counter: 'excluded' },
  { key: 'unknown', label: 'Unknown', statuses: ['unknown'], counter: 'unknown' },
]

const asObject = <T,>(value: Relation<T>): ({ id: number } & T) | null => (value && typeof value === 'object' ? value : null)
const idOf = (value: Relation<unknown>): null | number => (typeof value === 'number' ? value : value && typeof value === 'object' ? value.id : null)

const RecipientPill = ({ status, jobCancelled }: { status: string; jobCancelled: boolean }) =>
  jobCancelled && (status === 'pending' || status === 'sending') ? (
    <Pill tone="muted">Not sent</Pill>
  ) : (
    <StatusPill kind="recipient" value={status} />
  )

const ContactLink = ({ admin, contact }: { admin: string; contact: Recipient['contact'] }) => {
  const id = idOf(contact)
  if (!id) return <span className="job-detail__muted">no contact</span>
  const c = asObject(contact)
  const name = [c?.firstName, c?.lastName].filter(Boolean).join(' ')
  return (
    <a className="job-detail__link" href={`${admin}/collections/contacts/${id}`}>
      {name || `Contact ${id}`}
    </a>
  )
}

const Times = ({ r }: { r: Recipient }) => {
  const lines = [
    ['Sent', r.sentAt],
    ['Delivered', r.deliveredAt],
    ['Failed', r.failedAt],
  ].filter(([, at]) => at)
  if (!lines.length) return <span className="job-detail__muted">—</span>
  return (
    <span className="job-detail__times">
      {lines.map(([label, at]) => (
        <span key={label}>
          <span className="job-detail__muted">{label}</span> <DateTime value={at} />
        </span>
      ))}
    </span>
  )
}

const RecipientRow = ({ admin, jobCancelled, r }: { admin: string; jobCancelled: boolean; r: Recipient }) => (
  <tr data-status={r.status} data-testid="recipient-row">
    <td>
      <span className="job-detail__address">{r.email}</span>
      <ContactLink admin={admin} contact={r.contact} />
    </td>
    <td>
      <span className="job-detail__times">
        <RecipientPill jobCancelled={jobCancelled} status={r.status} />
        <span className="job-detail__muted" data-testid="recipient-attempts">
          {r.attempts ?? 0} {r.attempts === 1 ? 'attempt' : 'attempts'}
        </span>
        {/* The provider's id for the message, for looking it up there (SendGrid, Twilio); the full id on hover. */}
        {r.providerMessageID && (
          <code className="job-detail__mono" title={`Provider message id: ${r.providerMessageID}`}>
            {r.providerMessageID}
          </code>
        )}
      </span>
    </td>
    <td className="job-detail__error">
      {r.lastError ? <span>{r.lastError}</span> : <span className="job-detail__muted">—</span>}
      {r.providerCode && <code className="job-detail__code" title="Provider code">{r.providerCode}</code>}
    </td>
    <td>
      <Times r={r} />
    </td>
  </tr>
)

/** One excluded recipient with the reason: the suppression that stopped it (what, from where, when, why), else the stored reason. */
const ExclusionRow = ({ admin, r }: { admin: string; r: Recipient }) => {
  const suppression = asObject(r.suppression)
  const suppressionID = idOf(r.suppression)
  const reason = suppression?.reason ?? r.excludedReason ?? ''
  return (
    <tr data-testid="exclusion-row">
      <td>
        <span className="job-detail__address">{r.email}</span>
        <ContactLink admin={admin} contact={r.contact} />
      </td>
      <td>
        <Pill testID="exclusion-reason" tone="muted">
          {SUPPRESSION_REASON_LABEL[reason] ?? (reason || 'Excluded')}
        </Pill>
        {suppression?.status && suppression.status !== 'active' && <span className="job-detail__muted"> (now {statusLabel('suppression', suppression.status).toLowerCase()})</span>}
      </td>
      <td>
        {suppression ? (
          <span className="job-detail__times">
            <span>
              <span className="job-detail__muted">Source</span> {suppression.source || '—'}
            </span>
            {suppression.note && <span className="job-detail__note">“{suppression.note}”</span>}
            {!suppression.org && <span className="job-detail__muted">Global opt-out list</span>}
          </span>
        ) : (
          <span>{r.excludedReason || <span className="job-detail__muted">No reason was recorded.</span>}</span>
        )}
      </td>
      <td className="job-detail__nowrap">{suppression?.createdAt ? <DateTime value={suppression.createdAt} /> : <span className="job-detail__muted">—</span>}</td>
      <td className="job-detail__nowrap">
        {suppressionID ? (
          <a className="job-detail__link" href={`${admin}/collections/suppressions/${suppressionID}`}>
            Suppression {suppressionID}
          </a>
        ) : (
          <span className="job-detail__muted">—</span>
        )}
      </td>
    </tr>
  )
}

const Attachments = ({ ids }: { ids: number[] }) => {
  const [files, setFiles] = useState<Media[]>([])
  const key = ids.join(',')
  useEffect(() => {
    if (!key) return setFiles([])
    let live = true
    fetch(`/api${attachmentsQuery(key.split(',').map(Number))}`, { credentials: 'include' })
      .then((res) => (res.ok ? res.json() : { docs: [] }))
      .then((body) => live && setFiles(body.docs ?? []))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [key])
  if (!files.length) return null
  return (
    <div className="job-detail__attachments" data-testid="job-attachments">
      <span className="job-detail__muted">Attachments</span>
      {files.map((f) => (
        <a className="job-detail__attachment" href={f.url ?? `/api/media/file/${encodeURIComponent(f.filename ?? '')}`} key={f.id} rel="noreferrer" target="_blank">
          {f.filename ?? `Attachment ${f.id}`}
          {f.filesize ? <span className="job-detail__muted"> {formatBytes(f.filesize)}</span> : null}
        </a>
      ))}
    </div>
  )
}

/**
 * The job's recipients, one server-side page at a time, filterable by status; the Excluded filter is
 * the exclusions view (each address with the suppression that stopped it). Reloads the current page
 * when the live counters move.
 */
export const JobRecipients = () => {
  const { id, progress } = useLiveJob()
  const { config } = useConfig()
  const admin = config.routes?.admin ?? '/admin'
  const attachmentIDs = useFormFields(([fields]) => {
    const value = fields.attachments?.value
    return Array.isArray(value) ? value.map((v) => (typeof v === 'object' && v ? (v as { id: number }).id : Number(v))).join(',') : ''
  })
  const [filter, setFilter] = useState('all')
  const [page, setPage] = useState(1)
  const [loaded, setLoaded] = useState<{ url: string; page: Page } | null>(null)
  const [error, setError] = useState<null | string>(null)
  const active = FILTERS.find((f) => f.key === filter) ?? FILTERS[0]!
  // Refetch when the numbers move, not on every poll.
  const version = progress ? `${progress.status}:${progress.pending}:${progress.sent}:${progress.delivered}:${progress.failed}:${progress.excluded}:${progress.unknown}` : ''
  const url = useMemo(() => (id ? `/api${recipientsQuery(id, active.statuses, page)}` : null), [id, active, page])

  useEffect(() => {
    if (!url || !progress || progress.status === 'draft') return
    let live = true
    fetch(url, { credentials: 'include', cache: 'no-store' })
      .then(async (res) => {
        const body = await res.json().catch(() => ({}))
        if (!live) return
        if (!res.ok) setError(body?.errors?.[0]?.message ?? `The server answered ${res.status}.`)
        else {
          setError(null)
          setLoaded({ url, page: body as Page })
        }
      })
      .catch(() => live && setError('Could not reach the server.'))
    return () => {
      live = false
    }
  }, [url, version]) // `version`: the counters that matter, so the page reloads when they move

  if (!id || !progress || progress.status === 'draft') return null
  const choose = (key: string) => {
    setFilter(key)
    setPage(1)
  }
  const excludedView = filter === 'excluded'
  // Rows of another filter or page are never shown under this one's headings; a reload of the same page keeps its rows.
  const data = loaded && loaded.url === url ? loaded.page : null
  const rows = data?.docs ?? []

  return (
    <section className="job-detail job-detail__panel" data-testid="job-recipients">
      <header className="job-detail__recipients-head">
        <h3 className="job-detail__title">Delivery per recipient</h3>
        <Attachments ids={attachmentIDs ? attachmentIDs.split(',').map(Number) : []} />
      </header>
      <div aria-label="Filter by status" className="job-detail__chips" role="tablist">
        {FILTERS.map((f) => (
          <button
            aria-selected={f.key === filter}
            className={`job-detail__chip${f.key === filter ? ' job-detail__chip--active' : ''}`}
            data-testid={`recipients-filter-${f.key}`}
            key={f.key}
            onClick={() => choose(f.key)}
            role="tab"
            type="button"
          >
            {f.key === 'pending' && progress.status === 'cancelled' ? 'Not sent' : f.label}
            <span className="job-detail__chip-count">{progress[f.counter]}</span>
          </button>
        ))}
      </div>
      {error && <p className="job-detail__error-banner">{error}</p>}
      <div className="job-detail__table-wrap">
        <table className="job-detail__table" data-testid={excludedView ? 'exclusions-table' : 'recipients-table'}>
          <thead>
            {excludedView ? (
              <tr>
                <th>Address</th>
                <th>Reason</th>
                <th>Details</th>
                <th>Suppressed since</th>
                <th>Suppression</th>
              </tr>
            ) : (
              <tr>
                <th>Address</th>
                <th>Status</th>
                <th>Last error</th>
                <th>Times</th>
              </tr>
            )}
          </thead>
          <tbody>
            {rows.map((r) => (excludedView ? <ExclusionRow admin={admin} key={r.id} r={r} /> : <RecipientRow admin={admin} jobCancelled={progress.status === 'cancelled'} key={r.id} r={r} />))}
            {!data && !error && (
              <tr>
                <td className="job-detail__empty" colSpan={excludedView ? 5 : 4}>
                  Loading…
                </td>
              </tr>
            )}
            {data && !rows.length && (
              <tr>
                <td className="job-detail__empty" colSpan={excludedView ? 5 : 4}>
                  {excludedView ? 'No recipient was excluded.' : 'No recipient in this view.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {data && data.totalPages > 1 && (
        <nav className="job-detail__pager" data-testid="recipients-pager">
          <button className="job-detail__chip" disabled={page <= 1} onClick={() => setPage(page - 1)} type="button">
            Previous
          </button>
          <span className="job-detail__muted">
            Page {data.page} of {data.totalPages} · {data.totalDocs} recipients
          </span>
          <button className="job-detail__chip" disabled={page >= data.totalPages} onClick={() => setPage(page + 1)} type="button">
            Next
          </button>
        </nav>
      )}
    </section>
  )
}
