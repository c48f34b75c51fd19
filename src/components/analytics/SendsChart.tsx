'use client'
import React from 'react'
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'

import { AXIS_LINE, AXIS_TICK, GRID_STROKE, LEGEND_STYLE, STATUS_SERIES, TOOLTIP_STYLE } from './chart-theme'
import { ChartCard } from './ChartCard'
import type { DateSettings } from '@/services/vocabulary/dates'

import { formatBucketStart, formatCount } from './format'
import type { Bucket, ChannelSummary } from './types'

type Props = { summary: ChannelSummary; bucket: Bucket; channelLabel: string; dates: DateSettings }

/** Queued, sent, delivered, failed and excluded per bucket: lines, since one message is counted in several of them. */
export const SendsChart = ({ summary, bucket, channelLabel, dates }: Props) => {
  const data = summary.series.map((point) => ({ ...point, label: formatBucketStart(point.start, bucket, dates) }))
  const hasData = STATUS_SERIES.some((s) => summary.totals[s.key] > 0)
  const title = `${channelLabel} messages by status, per ${bucket}`
  return (
    <ChartCard
      description="A message counts once in each step it reached, in the bucket it reached it."
      empty={hasData ? null : 'Nothing was queued or sent in this range.'}
      id="sends"
      title="Sends by status over time"
      wide
    >
      <LineChart
        accessibilityLayer
        data={data}
        desc={STATUS_SERIES.map((s) => `${s.label}: ${formatCount(summary.totals[s.key])}`).join(', ')}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        responsive
        style={{ width: '100%', height: 280 }}
        title={title}
      >
        <CartesianGrid stroke={GRID_STROKE} vertical={false} />
        <XAxis axisLine={AXIS_LINE} dataKey="label" minTickGap={24} tick={AXIS_TICK} tickLine={false} />
        <YAxis allowDecimals={false} axisLine={false} tick={AXIS_TICK} tickLine={false} width={48} />
        <Tooltip {...TOOLTIP_STYLE} cursor={{ stroke: 'var(--theme-elevation-300)' }} />
        <Legend iconType="plainline" itemSorter={(item) => STATUS_SERIES.findIndex((s) => s.key === item.dataKey)} wrapperStyle={LEGEND_STYLE} />
        {STATUS_SERIES.map((s) => (
          <Line
            dataKey={s.key}
            dot={data.length <= 45 ? { r: 3, fill: s.color, strokeWidth: 0 } : false}
            isAnimationActive={false}
            key={s.key}
            name={s.label}
            stroke={s.color}
            strokeDasharray={s.dash}
            strokeWidth={s.width}
            type="linear"
          />
        ))}
      </LineChart>
    </ChartCard>
  )
}
