'use client'
import React from 'react'
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts'

import { AXIS_LINE, AXIS_TICK, COMPLAINT_COLOR, GMAIL_LIMIT_COLOR, GMAIL_TARGET_COLOR, GRID_STROKE, TOOLTIP_STYLE } from './chart-theme'
import { ChartCard } from './ChartCard'
import { trailingComplaintRates } from './complaint-rate'
import type { DateSettings } from '@/services/vocabulary/dates'

import { formatBucketStart, formatCount, formatPercentValue, formatRate } from './format'
import type { Bucket, ChannelSummary } from './types'

/** Gmail's bulk-sender thresholds, in percent: stay under 0.1 %, never reach 0.3 %. */
export const GMAIL_TARGET_PERCENT = 0.1
export const GMAIL_LIMIT_PERCENT = 0.3

/** The trailing 24-hour complaint rate at the end of each bucket, against Gmail's two lines. */
export const ComplaintRateChart = ({ summary, bucket, dates }: { summary: ChannelSummary; bucket: Bucket; dates: DateSettings }) => {
  const data = trailingComplaintRates(summary.series, bucket).map((point) => ({ ...point, label: formatBucketStart(point.start, bucket, dates) }))
  const { complaints, delivered } = summary.totals
  // A square-root scale keeps both lines apart and readable even when one bucket's rate is far above
  // them; the lower line's label sits under it and the upper one's over it, so neither crosses a line.
  const top = Math.max(GMAIL_LIMIT_PERCENT * 4 / 3, ...data.map((d) => (d.rate ?? 0) * 1.1))
  const ticks = [0, 0.1, 0.3, 0.5, 1, 3, 10, 30, 100].filter((t) => t <= top)
  return (
    <ChartCard
      description={
        delivered > 0
          ? `${formatRate(summary.rates.complaint)} over the range: ${formatCount(complaints)} ${complaints === 1 ? 'complaint' : 'complaints'} per ${formatCount(delivered)} delivered. Each point is the rate over the trailing 24 hours up to the end of its ${bucket}${bucket === 'hour' ? ' (less at the start of the range)' : ''}: Gmail asks bulk senders to stay under 0.1% and never reach 0.3%. Square-root scale.`
          : undefined
      }
      empty={delivered === 0 ? 'Nothing was delivered in this range, so there is no complaint rate.' : null}
      id="complaint-rate"
      title="Complaint rate"
      wide
    >
      <LineChart
        accessibilityLayer
        data={data}
        desc={`Complaint rate ${formatRate(summary.rates.complaint)}; reference lines at ${GMAIL_TARGET_PERCENT}% and ${GMAIL_LIMIT_PERCENT}%`}
        margin={{ top: 20, right: 16, bottom: 0, left: 0 }}
        responsive
        style={{ width: '100%', height: 280 }}
        title={`Trailing 24-hour complaint rate at the end of each ${bucket}, with Gmail's 0.1% and 0.3% thresholds`}
      >
        <CartesianGrid stroke={GRID_STROKE} vertical={false} />
        <XAxis axisLine={AXIS_LINE} dataKey="label" minTickGap={24} tick={AXIS_TICK} tickLine={false} />
        <YAxis
          axisLine={false}
          domain={[0, top]}
          scale="sqrt"
          tick={AXIS_TICK}
          tickFormatter={(value: number) => formatPercentValue(value)}
          tickLine={false}
          ticks={ticks}
          width={56}
        />
        <Tooltip
          {...TOOLTIP_STYLE}
          cursor={{ stroke: 'var(--theme-elevation-300)' }}
          formatter={(value, _name, item) => {
            const row = item.payload as (typeof data)[number]
            return [`${value === null || value === undefined ? '—' : formatPercentValue(Number(value))} (${row.complaints} of ${row.delivered} delivered)`, 'Trailing 24 hours']
          }}
        />
        <ReferenceLine
          ifOverflow="extendDomain"
          label={{ value: '0.1% Gmail target', position: 'insideTopLeft', fill: GMAIL_TARGET_COLOR, fontSize: 12 }}
          stroke={GMAIL_TARGET_COLOR}
          strokeDasharray="5 4"
          y={GMAIL_TARGET_PERCENT}
        />
        <ReferenceLine
          ifOverflow="extendDomain"
          label={{ value: '0.3% Gmail limit', position: 'insideBottomRight', fill: GMAIL_LIMIT_COLOR, fontSize: 12 }}
          stroke={GMAIL_LIMIT_COLOR}
          strokeDasharray="5 4"
          y={GMAIL_LIMIT_PERCENT}
        />
        <Line
          connectNulls={false}
          dataKey="rate"
          dot={{ r: 3, fill: COMPLAINT_COLOR, strokeWidth: 0 }}
          isAnimationActive={false}
          name="Complaint rate"
          stroke={COMPLAINT_COLOR}
          strokeWidth={2}
          type="linear"
        />
      </LineChart>
    </ChartCard>
  )
}
