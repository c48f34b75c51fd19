'use client'
import React from 'react'
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'

import { AXIS_LINE, AXIS_TICK, GRID_STROKE, LATENCY_COLOR, TOOLTIP_STYLE } from './chart-theme'
import { ChartCard } from './ChartCard'
import { formatCount, formatSeconds, latencyBucketLabel } from './format'
import type { ChannelSummary } from './types'

/** How long the provider took to call back (event time → received), as a histogram with its percentiles. */
export const LatencyChart = ({ summary }: { summary: ChannelSummary }) => {
  const latency = summary.callbackLatency
  const data = latency.buckets.map((b, i) => ({ label: latencyBucketLabel(b.le, i > 0 ? latency.buckets[i - 1].le : null), count: b.count }))
  const percentiles = [
    { key: 'p50', value: latency.p50 },
    { key: 'p95', value: latency.p95 },
    { key: 'p99', value: latency.p99 },
  ]
  return (
    <ChartCard
      description={
        latency.count > 0 ? (
          <dl className="analytics__percentiles" data-testid="latency-percentiles">
            {percentiles.map((p) => (
              <div key={p.key}>
                <dt>{p.key}</dt>
                <dd data-testid={`latency-${p.key}`}>{formatSeconds(p.value)}</dd>
              </div>
            ))}
            <div>
              <dt>events</dt>
              <dd>{formatCount(latency.count)}</dd>
            </div>
          </dl>
        ) : undefined
      }
      empty={latency.count === 0 ? 'No provider callbacks arrived in this range.' : null}
      id="callback-latency"
      title="Callback latency"
    >
      <BarChart
        accessibilityLayer
        data={data}
        desc={`p50 ${formatSeconds(latency.p50)}, p95 ${formatSeconds(latency.p95)}, p99 ${formatSeconds(latency.p99)} over ${latency.count} events`}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        responsive
        style={{ width: '100%', height: 240 }}
        title="Callback latency distribution"
      >
        <CartesianGrid stroke={GRID_STROKE} vertical={false} />
        <XAxis axisLine={AXIS_LINE} dataKey="label" interval={0} tick={{ ...AXIS_TICK, fontSize: 10 }} tickLine={false} />
        <YAxis allowDecimals={false} axisLine={false} tick={AXIS_TICK} tickLine={false} width={40} />
        <Tooltip {...TOOLTIP_STYLE} formatter={(value) => [formatCount(Number(value)), 'Events']} labelFormatter={(label) => `Called back in ${label}`} />
        <Bar dataKey="count" fill={LATENCY_COLOR} isAnimationActive={false} name="Events" radius={[3, 3, 0, 0]} />
      </BarChart>
    </ChartCard>
  )
}
