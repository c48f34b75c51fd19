'use client'
import { Button, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import { useRouter, useSearchParams } from 'next/navigation'
import type { UIFieldClientComponent } from 'payload'
import React, { useCallback, useEffect, useState } from 'react'

import type { Export } from '@/payload-types'
import { DateTime } from '@/components/dates/DateTime'
import { EXPORT_KIND_LABELS, EXPORT_KINDS, EXPORT_STATUS_LABELS, type ExportKind } from '@/services/exports/export-definitions'

import { postJSON } from '../recipient-picker/post-json'

import '../imports/import-panel.scss'

const number = new Intl.NumberFormat('en')
const idOf = (value: unknown): number | undefined => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  const id = typeof raw === 'string' ? Number(raw) : raw
  return typeof id === 'number' && Number.isFinite(id) ? id : undefined
}
type Option = { id: number; name: string }

/** A collection's documents of one org, by name, for a select. */
const useOptions = (collection: string, org: number | undefined, enabled: boolean): Option[] => {
  const [options, setOptions] = useState<Option[]>([])
  useEffect(() => {
    if (!enabled || !org) return
    const controller = new AbortController()
    fetch(`/api/${collection}?where[org][equals]=${org}&limit=200&depth=0&sort=-updatedAt&select[name]=true`, { credentials: 'same-origin', signal: controller.signal })
      .then((res) => (res.ok ? res.json() : { docs: [] }))
      .then((body: { docs?: Option[] }) => setOptions(body.docs ?? []))
      .catch(() => {})
    return () => controller.abort()
  }, [collection, org, enabled])
  return options
}

/** A new export: what to export (preselected from ?kind=&segment=&job=), then it is created and followed. */
const NewExport = ({ org }: { org: number | undefined }) => {
  const router = useRouter()
  const params = useSearchParams()
  const [kind, setKind] = useState<ExportKind>((EXPORT_KINDS as readonly string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as ExportKind) : 'contacts')
  const [segment, setSegment] = useState(params.get('segment') ?? '')
  const [job, setJob] = useState(params.get('job') ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const segments = useOptions('segments', org, kind === 'segment')
  const jobs = useOptions('email-jobs', org, kind === 'job')
  const create = async () => {
    if (!org) return setError('Choose the organisation first.')
    setBusy(true)
    setError(null)
    try {
      const source = { kind, ...(kind === 'segment' && segment ? { segment: Number(segment) } : {}), ...(kind === 'job' && job ? { job: Number(job) } : {}) }
      const answer = await postJSON<{ doc: Export }>('/api/exports', { org, source })
      router.push(`/admin/collections/exports/${answer.doc.id}`)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The export could not start.')
      setBusy(false)
    }
  }
  return (
    <section className="import-panel__card" data-testid="export-new">
      <h3 className="import-panel__title">What to export</h3>
      <fieldset className="import-panel__modes">
        {EXPORT_KINDS.map((value) => (
          <label key={value}>
            <input checked={kind === value} data-testid={`export-kind-${value}`} name="export-kind" onChange={() => setKind(value)} type="radio" /> {EXPORT_KIND_LABELS[value]}
          </label>
        ))}
      </fieldset>
      <div className="import-panel__options">
        {kind === 'segment' && (
          <label>
            Segment
            <select data-testid="export-segment" onChange={(e) => setSegment(e.target.value)} value={segment}>
              <option value="">Choose…</option>
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'job' && (
          <label>
            Email job
            <select data-testid="export-job" onChange={(e) => setJob(e.target.value)} value={job}>
              <option value="">Choose…</option>
              {jobs.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="import-panel__muted">
        Columns: email, names, phone, tags, email and SMS consent{kind === 'job' ? ', and each recipient’s status, error and times' : ''}. The file is ready to download for a day, by members of
        this organisation only.
      </p>
      {error && (
        <p className="import-panel__error" role="alert">
          {error}
        </p>
      )}
      <Button buttonStyle="primary" disabled={busy} margin={false} onClick={create} size="medium">
        {busy ? 'Starting…' : 'Export as CSV'}
      </Button>
    </section>
  )
}

/** An export as it is written, then its download link and when it expires. */
const ExportStatus = ({ id }: { id: number | string }) => {
  const [doc, setDoc] = useState<Export | null>(null)
  const refresh = useCallback(async () => {
    const res = await fetch(`/api/exports/${id}?depth=0`, { credentials: 'same-origin', cache: 'no-store' })
    if (res.ok) setDoc(await res.json())
  }, [id])
  useEffect(() => {
    void refresh()
  }, [refresh])
  const active = doc?.status === 'queued' || doc?.status === 'running'
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => void refresh(), 1000)
    return () => clearInterval(timer)
  }, [active, refresh])
  if (!doc) return <p className="import-panel__muted">Loading the export…</p>
  const tone = doc.status === 'completed' ? 'success' : doc.status === 'failed' ? 'error' : doc.status === 'expired' ? 'warning' : 'active'
  return (
    <section className="import-panel__card" data-testid="export-status" data-status={doc.status}>
      <header className="import-panel__head">
        <span className={`import-panel__pill import-panel__tone--${tone}`}>
          {active && <span className="import-panel__pulse" aria-hidden />}
          {EXPORT_STATUS_LABELS[doc.status]}
        </span>
      </header>
      <p>
        <strong>{doc.fileName}</strong>
        {doc.status === 'completed' && (
          <span className="import-panel__muted">
            {' '}
            · {number.format(Number(doc.rows ?? 0))} rows · {(Number(doc.fileSize ?? 0) / 1024).toFixed(0)} KB
          </span>
        )}
      </p>
      {doc.message && <p className="import-panel__error">{doc.message}</p>}
      {doc.status === 'completed' && (
        <div className="import-panel__actions">
          <a className="btn btn--style-primary btn--size-medium" data-testid="export-download" download href={`/api/exports/${doc.id}/download`}>
            Download the CSV
          </a>
          {doc.expiresAt && <span className="import-panel__muted">Available until <DateTime value={doc.expiresAt} />, to members of this organisation.</span>}
        </div>
      )}
    </section>
  )
}

/** The export page: choose what to export (a new one), or follow it and download the file. */
export const ExportPanel: UIFieldClientComponent = () => {
  const { id } = useDocumentInfo()
  const org = idOf(useFormFields(([fields]) => fields.org?.value))
  return <div className="import-panel">{id ? <ExportStatus id={id} /> : <NewExport org={org} />}</div>
}
