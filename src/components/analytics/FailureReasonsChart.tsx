'use client'
import React from 'react'
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts'

import { AXIS_LINE, AXIS_TICK, FAILURE_COLOR, GRID_STROKE, TOOLTIP_STYLE } from './chart-theme'
import { ChartCard } from './ChartCard'
import { formatCount, formatRate } from './format'
import type { ChannelSummary } from './types'

const ROW_HEIGHT = 34

/** Why messages failed, most frequent first, each bar labelled with its count and share of all failures. */
export const FailureReasonsChart = ({ summary }: { summary: ChannelSummary }) => {
  const reasons = summary.failureReasons
  const data = reasons.map((r) => ({ ...r, text: `${formatCount(r.count)} · ${formatRate(r.share)}` }))
  const longest = Math.max(0, ...reasons.map((r) => r.label.length))
  return (
    <ChartCard
      description={reasons.length > 0 ? `${formatCount(summary.totals.failed)} failed in this range.` : undefined}
      empty={reasons.length === 0 ? 'No failures in this range.' : null}
      id="failure-reasons"
      title="Failure reasons"
    >
      <BarChart
        accessibilityLayer
        data={data}
        desc={reasons.map((r) => `${r.label}: ${r.count}`).join(', ')}
        layout="vertical"
        margin={{ top: 4, right: 96, bottom: 0, left: 0 }}
        responsive
        style={{ width: '100%', height: 40 + ROW_HEIGHT * data.length }}
        title="Failure reasons, ranked"
      >
        <CartesianGrid horizontal={false} stroke={GRID_STROKE} />
        <XAxis allowDecimals={false} axisLine={AXIS_LINE} tick={AXIS_TICK} tickLine={false} type="number" />
        <YAxis axisLine={false} dataKey="label" tick={AXIS_TICK} tickLine={false} type="category" width={Math.min(220, 16 + longest * 7)} />
        <Tooltip {...TOOLTIP_STYLE} formatter={(value) => [formatCount(Number(value)), 'Failed']} />
        <Bar barSize={18} dataKey="count" fill={FAILURE_COLOR} isAnimationActive={false} name="Failed" radius={[0, 3, 3, 0]}>
          <LabelList dataKey="text" fill="var(--theme-elevation-800)" fontSize={12} position="right" />
        </Bar>
      </BarChart>
    </ChartCard>
  )
}
