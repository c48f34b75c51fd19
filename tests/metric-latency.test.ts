import { describe, expect, it } from 'vitest'

import { failureReasonLabel } from '@/services/metrics/failure-reason-label'
import { latencyBucketOf, latencyPercentile, summarizeLatency } from '@/services/metrics/latency-histogram'

describe('latency histogram', () => {
  it('puts a latency into the bucket named by its lower bound: 1 s, 10 s, 100 s, 1,000 s steps', () => {
    const cases: [number, number][] = [
      [-3, 0],
      [0, 0],
      [0.999, 0],
      [1, 1],
      [42.7, 42],
      [99.99, 99],
      [100, 100],
      [109.9, 100],
      [999, 990],
      [1000, 1000],
      [3599, 3500],
      [9999, 9900],
      [10_000, 10_000],
      [259_200, 259_000],
    ]
    for (const [seconds, bucket] of cases) expect([seconds, latencyBucketOf(seconds)]).toEqual([seconds, bucket])
  })

  it('takes percentiles by nearest rank, reported as the bucket lower bound', () => {
    // 10 values: 1,1,2,2,2,3,5,40,150,4000
    const histogram = [
      { bucket: 2, count: 3 },
      { bucket: 1, count: 2 },
      { bucket: 3, count: 1 },
      { bucket: 5, count: 1 },
      { bucket: 40, count: 1 },
      { bucket: 150, count: 1 },
      { bucket: 4000, count: 1 },
    ]
    expect(latencyPercentile(histogram, 0.5)).toBe(2) // 5th value
    expect(latencyPercentile(histogram, 0.6)).toBe(3) // 6th
    expect(latencyPercentile(histogram, 0.95)).toBe(4000) // ceil(9.5) = 10th
    expect(latencyPercentile(histogram, 0.9)).toBe(150) // 9th
    expect(latencyPercentile(histogram, 0.01)).toBe(1) // 1st
    expect(latencyPercentile([], 0.5)).toBeNull()
    expect(latencyPercentile([{ bucket: 7, count: 0 }], 0.5)).toBeNull()
  })

  it('summarises into non-cumulative report buckets [previous le, le)', () => {
    const summary = summarizeLatency([
      { bucket: 0, count: 4 },
      { bucket: 1, count: 1 },
      { bucket: 4, count: 2 },
      { bucket: 5, count: 1 },
      { bucket: 59, count: 1 },
      { bucket: 110, count: 1 },
      { bucket: 3500, count: 1 },
      { bucket: 3600, count: 1 },
      { bucket: 259_000, count: 1 },
    ])
    expect(summary).toEqual({
      count: 13,
      p50: 4, // 7th of 13
      p95: 259_000, // ceil(12.35) = 13th
      p99: 259_000,
      buckets: [
        { le: 1, count: 4 },
        { le: 2, count: 1 },
        { le: 5, count: 2 },
        { le: 10, count: 1 },
        { le: 30, count: 0 },
        { le: 60, count: 1 },
        { le: 120, count: 1 },
        { le: 300, count: 0 },
        { le: 600, count: 0 },
        { le: 1800, count: 0 },
        { le: 3600, count: 1 },
        { le: null, count: 2 },
      ],
    })
    expect(summarizeLatency([])).toMatchObject({ count: 0, p50: null, p95: null, p99: null })
  })
})

describe('failureReasonLabel', () => {
  it('names the codes the pipeline and the webhook store', () => {
    expect(failureReasonLabel('sendgrid:bounce')).toBe('Bounced (SendGrid gave no status)')
    expect(failureReasonLabel('sendgrid:spamreport')).toBe('Marked as spam by the recipient')
    expect(failureReasonLabel('5.1.1')).toBe('Mailbox does not exist (5.1.1)')
    expect(failureReasonLabel('5.7.9')).toBe('Rejected by policy (5.7.9)')
    expect(failureReasonLabel('5.0.0')).toBe('Permanent failure (5.0.0)')
    expect(failureReasonLabel('4.4.7')).toBe('Temporary failure (4.4.7)')
    expect(failureReasonLabel('550')).toBe('Mailbox unavailable or unknown (550)')
    expect(failureReasonLabel('503')).toBe('Server error (503)')
    expect(failureReasonLabel('ECONNREFUSED')).toBe('Mail server refused the connection')
    expect(failureReasonLabel('EPROTO')).toBe('Network error (EPROTO)')
    expect(failureReasonLabel('unknown')).toBe('No code recorded')
    expect(failureReasonLabel('weird')).toBe('Other (weird)')
  })
})
