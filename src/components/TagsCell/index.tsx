'use client'
import type { DefaultCellComponentProps } from 'payload'
import React from 'react'

/** Tags in list views as small chips instead of raw JSON. */
export const TagsCell = ({ cellData }: DefaultCellComponentProps) => {
  const tags = Array.isArray(cellData) ? (cellData as unknown[]).filter((t): t is string => typeof t === 'string') : []
  if (tags.length === 0) return <span style={{ color: 'var(--theme-elevation-650)' }}>—</span>
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {tags.map((tag) => (
        <span
          key={tag}
          style={{
            background: 'var(--theme-elevation-100)',
            borderRadius: 'var(--style-radius-s, 3px)',
            color: 'var(--theme-elevation-800)',
            fontSize: 12,
            padding: '1px 6px',
          }}
        >
          {tag}
        </span>
      ))}
    </span>
  )
}
