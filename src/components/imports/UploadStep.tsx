'use client'
import { Button } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useRef, useState } from 'react'

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`

/**
 * Step 1: choose (or drop) a CSV file. It is sent as it is, streamed to the server with a progress bar,
 * and the page moves on to the new import's mapping step.
 */
export const UploadStep = ({ org }: { org: number | undefined }) => {
  const router = useRouter()
  const input = useRef<HTMLInputElement>(null)
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'sending'; name: string; sent: number; total: number } | { kind: 'error'; message: string }>({ kind: 'idle' })
  const [dragging, setDragging] = useState(false)

  const send = (file: File) => {
    if (!org) return setState({ kind: 'error', message: 'Choose the organisation to import into first.' })
    const request = new XMLHttpRequest()
    request.open('POST', `/api/imports/upload?org=${org}&name=${encodeURIComponent(file.name)}`)
    request.setRequestHeader('Content-Type', file.type && file.type !== 'application/vnd.ms-excel' ? file.type : 'text/csv')
    request.withCredentials = true
    request.upload.onprogress = (event) => setState({ kind: 'sending', name: file.name, sent: event.loaded, total: event.total || file.size })
    request.onerror = () => setState({ kind: 'error', message: 'The upload was interrupted: check the connection and try again.' })
    request.onload = () => {
      let body: { doc?: { id: number }; errors?: { message: string }[] } | null = null
      try {
        body = JSON.parse(request.responseText)
      } catch {
        body = null
      }
      if (request.status === 201 && body?.doc) router.push(`/admin/collections/imports/${body.doc.id}`)
      else setState({ kind: 'error', message: body?.errors?.[0]?.message ?? `The upload failed (${request.status}).` })
    }
    setState({ kind: 'sending', name: file.name, sent: 0, total: file.size })
    request.send(file)
  }

  return (
    <section className="import-panel__card" data-testid="import-upload">
      <h3 className="import-panel__title">1. Choose a CSV file</h3>
      <p className="import-panel__muted">
        Any spreadsheet saved as CSV: UTF-8 or another encoding, separated by commas, semicolons or tabs. The next step shows its first rows and lets you say
        which column is which.
      </p>
      <div
        className={`import-panel__drop${dragging ? ' import-panel__drop--over' : ''}`}
        onDragLeave={() => setDragging(false)}
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDrop={(event) => {
          event.preventDefault()
          setDragging(false)
          const file = event.dataTransfer.files[0]
          if (file) send(file)
        }}
      >
        {state.kind === 'sending' ? (
          <div className="import-panel__sending" aria-live="polite">
            <strong>Uploading {state.name}…</strong>
            <div className="import-panel__bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((state.sent / Math.max(1, state.total)) * 100)}>
              <span style={{ width: `${(state.sent / Math.max(1, state.total)) * 100}%` }} />
            </div>
            <span className="import-panel__muted">
              {mb(state.sent)} of {mb(state.total)}
            </span>
          </div>
        ) : (
          <>
            <p>Drop the file here, or</p>
            <Button buttonStyle="primary" margin={false} onClick={() => input.current?.click()} size="medium">
              Choose a file…
            </Button>
          </>
        )}
        <input
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          aria-label="CSV file to import"
          data-testid="import-file"
          hidden
          onChange={(event) => {
            const file = event.target.files?.[0]
            if (file) send(file)
            event.target.value = ''
          }}
          ref={input}
          type="file"
        />
      </div>
      {state.kind === 'error' && (
        <p className="import-panel__error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  )
}
