'use client'
import { Button } from '@payloadcms/ui'
import React, { useState } from 'react'

import type { Import } from '@/payload-types'
import { ACTIVE_IMPORT_STATUSES, IMPORT_MODE_LABELS, IMPORT_STATUS_LABELS } from '@/services/imports/import-definitions'

import { postJSON } from '../recipient-picker/post-json'

const number = new Intl.NumberFormat('en')
const TONE: Record<Import['status'], string> = {
  uploaded: 'muted',
  queued: 'active',
  running: 'active',
  stopping: 'warning',
  stopped: 'warning',
  completed: 'success',
  completed_with_errors: 'warning',
  failed: 'error',
}

/**
 * Step 3: the import as it runs and after: status, how much of the file is read, what became of the
 * rows (created, updated, skipped, failed), stop and resume, and the rows not imported as a CSV file.
 */
export const ProgressView = ({ doc, onChange }: { doc: Import; onChange: (doc: Import) => void }) => {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const progress = doc.progress ?? {}
  const size = Number(doc.fileSize ?? 0)
  const final = !ACTIVE_IMPORT_STATUSES.includes(doc.status)
  const percent = doc.status === 'completed' || doc.status === 'completed_with_errors' ? 100 : size > 0 ? Math.min(99, Math.floor((Number(progress.bytesRead ?? 0) / size) * 100)) : 0
  const problems = Number(progress.skipped ?? 0) + Number(progress.failed ?? 0)
  const act = async (action: 'stop' | 'resume') => {
    setBusy(true)
    setError(null)
    try {
      onChange((await postJSON<{ doc: Import }>(`/api/imports/${doc.id}/${action}`, {})).doc)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : `Could not ${action} the import.`)
    } finally {
      setBusy(false)
    }
  }
  const counters: [string, string, number][] = [
    ['rowsRead', 'Rows read', Number(progress.rowsRead ?? 0)],
    ['created', doc.mode === 'suppress' ? 'Suppressed' : 'Created', Number(progress.created ?? 0)],
    ['updated', 'Updated', Number(progress.updated ?? 0)],
    ['skipped', 'Skipped', Number(progress.skipped ?? 0)],
    ['failed', 'Failed', Number(progress.failed ?? 0)],
  ]
  return (
    <section className="import-panel__card" data-testid="import-progress" data-status={doc.status}>
      <header className="import-panel__head">
        <span className={`import-panel__pill import-panel__tone--${TONE[doc.status]}`} data-testid="import-status">
          {!final && doc.status !== 'queued' && <span className="import-panel__pulse" aria-hidden />}
          {IMPORT_STATUS_LABELS[doc.status]}
        </span>
        <strong className="import-panel__percent" data-testid="import-percent">
          {percent}%
        </strong>
      </header>
      <div className="import-panel__bar" role="progressbar" aria-label={`${percent}% of the file read`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <span className={`import-panel__tone--${TONE[doc.status]}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="import-panel__muted">
        {doc.fileName} · {doc.mode ? IMPORT_MODE_LABELS[doc.mode] : ''}
      </p>
      <dl className="import-panel__counters">
        {counters.map(([key, label, value]) => (
          <div className="import-panel__counter" data-testid={`import-count-${key}`} key={key}>
            <dt>{label}</dt>
            <dd>{number.format(value)}</dd>
          </div>
        ))}
      </dl>
      {doc.message && (
        <p className={doc.status === 'failed' ? 'import-panel__error' : 'import-panel__note'} data-testid="import-message">
          {doc.message}
        </p>
      )}
      {error && (
        <p className="import-panel__error" role="alert">
          {error}
        </p>
      )}
      <div className="import-panel__actions">
        {(doc.status === 'queued' || doc.status === 'running') && (
          <Button buttonStyle="secondary" disabled={busy} margin={false} onClick={() => act('stop')} size="medium">
            Stop
          </Button>
        )}
        {(doc.status === 'stopped' || doc.status === 'failed') && (
          <Button buttonStyle="primary" disabled={busy} margin={false} onClick={() => act('resume')} size="medium">
            Resume from row {number.format(Number(progress.checkpoint ?? 0) + 1)}
          </Button>
        )}
        {problems > 0 && (
          <a className="import-panel__download" data-testid="import-problems" download href={`/api/imports/${doc.id}/problems`}>
            Download the {number.format(problems)} rows not imported (CSV)
          </a>
        )}
      </div>
    </section>
  )
}
