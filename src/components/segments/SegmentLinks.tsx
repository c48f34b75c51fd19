'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import React from 'react'

/** Beside a saved segment: export its contacts as CSV. */
export const SegmentLinks = () => {
  const { id } = useDocumentInfo()
  if (!id) return null
  return (
    <p style={{ marginBottom: 'var(--base)' }}>
      <a data-testid="segment-export" href={`/admin/collections/exports/create?kind=segment&segment=${id}`}>
        Export these contacts as CSV
      </a>
    </p>
  )
}
