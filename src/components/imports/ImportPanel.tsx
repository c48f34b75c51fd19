'use client'
import { useDocumentInfo, useFormFields } from '@payloadcms/ui'
import type { UIFieldClientComponent } from 'payload'
import React from 'react'

import { MappingStep } from './MappingStep'
import { ProgressView } from './ProgressView'
import { UploadStep } from './UploadStep'
import { useImportDoc } from './useImportDoc'

import './import-panel.scss'

const idOf = (value: unknown): number | undefined => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  const id = typeof raw === 'string' ? Number(raw) : raw
  return typeof id === 'number' && Number.isFinite(id) ? id : undefined
}

/**
 * The whole of an import on one page: upload a file (a new import), map its columns and start it
 * (uploaded), then follow it live, stop, resume and download the rows not imported.
 */
export const ImportPanel: UIFieldClientComponent = () => {
  const { id } = useDocumentInfo()
  const org = idOf(useFormFields(([fields]) => fields.org?.value))
  const { doc, error, setDoc } = useImportDoc(id)
  return (
    <div className="import-panel" data-testid="import-panel">
      {!id ? (
        <UploadStep org={org} />
      ) : error ? (
        <p className="import-panel__error">{error}</p>
      ) : !doc ? (
        <p className="import-panel__muted">Loading the import…</p>
      ) : doc.status === 'uploaded' ? (
        <MappingStep doc={doc} onStarted={setDoc} org={org} />
      ) : (
        <ProgressView doc={doc} onChange={setDoc} />
      )}
    </div>
  )
}
