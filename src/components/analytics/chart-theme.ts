/** Colours and axis styling for the charts: Payload's theme variables only, so light and dark both read well. */
import type { CSSProperties } from 'react'

export const AXIS_TICK = { fill: 'var(--theme-elevation-600)', fontSize: 12 }
export const AXIS_LINE = { stroke: 'var(--theme-elevation-250)' }
export const GRID_STROKE = 'var(--theme-elevation-150)'

export const TOOLTIP_STYLE: { contentStyle: CSSProperties; labelStyle: CSSProperties; itemStyle: CSSProperties; cursor: { fill: string } } = {
  contentStyle: {
    background: 'var(--theme-elevation-0)',
    border: '1px solid var(--theme-elevation-200)',
    borderRadius: 4,
    color: 'var(--theme-text)',
    fontSize: 12,
  },
  labelStyle: { color: 'var(--theme-elevation-800)', fontWeight: 600, marginBottom: 4 },
  itemStyle: { padding: 0 },
  cursor: { fill: 'var(--theme-elevation-100)' },
}

export const LEGEND_STYLE: CSSProperties = { fontSize: 12, color: 'var(--theme-elevation-800)' }

/** Payload's palette has blue ("success"), orange, red and greys: each status also gets its own line style, so none is told by colour alone. */
export const STATUS_SERIES = [
  { key: 'queued', label: 'Queued', color: 'var(--theme-elevation-600)', dash: '6 4', width: 1.5 },
  { key: 'sent', label: 'Sent', color: 'var(--theme-success-400)', dash: undefined, width: 2 },
  { key: 'delivered', label: 'Delivered', color: 'var(--theme-success-700)', dash: undefined, width: 2.5 },
  { key: 'failed', label: 'Failed', color: 'var(--theme-error-500)', dash: undefined, width: 2 },
  { key: 'excluded', label: 'Excluded', color: 'var(--color-warning-400)', dash: '2 3', width: 2 },
] as const

export const FAILURE_COLOR = 'var(--theme-error-500)'
export const LATENCY_COLOR = 'var(--color-blue-400)'
export const COMPLAINT_COLOR = 'var(--theme-elevation-800)'
export const GMAIL_TARGET_COLOR = 'var(--theme-warning-500)'
export const GMAIL_LIMIT_COLOR = 'var(--theme-error-500)'
