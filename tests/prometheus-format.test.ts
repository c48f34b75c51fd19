import { describe, expect, it } from 'vitest'

import { escapeHelp, escapeLabelValue, formatPrometheus, formatPrometheusValue } from '@/services/metrics/prometheus-format'

describe('Prometheus text format 0.0.4', () => {
  it('writes HELP and TYPE lines, then samples with their labels, and ends with a line feed', () => {
    const text = formatPrometheus([
      {
        name: 'outpost_messages_sent_total',
        help: 'Messages sent.',
        type: 'counter',
        samples: [
          { labels: { channel: 'email', org: '1' }, value: 3 },
          { labels: { channel: 'email', org: '2' }, value: 0 },
        ],
      },
      { name: 'outpost_metrics_scrape_duration_seconds', help: 'Seconds.', type: 'gauge', samples: [{ value: 0.0125 }] },
    ])
    expect(text).toBe(
      [
        '# HELP outpost_messages_sent_total Messages sent.',
        '# TYPE outpost_messages_sent_total counter',
        'outpost_messages_sent_total{channel="email",org="1"} 3',
        'outpost_messages_sent_total{channel="email",org="2"} 0',
        '# HELP outpost_metrics_scrape_duration_seconds Seconds.',
        '# TYPE outpost_metrics_scrape_duration_seconds gauge',
        'outpost_metrics_scrape_duration_seconds 0.0125',
        '',
      ].join('\n'),
    )
  })

  it('escapes backslash, double quote and line feed in label values, and backslash and line feed in HELP', () => {
    expect(escapeLabelValue('a\\b"c"\nd')).toBe('a\\\\b\\"c\\"\\nd')
    expect(escapeHelp('one\\two "three"\nfour')).toBe('one\\\\two "three"\\nfour')
    const text = formatPrometheus([
      { name: 'x_total', help: 'Line one\nline "two" \\ end', type: 'counter', samples: [{ labels: { task: 'say "hi"\\\nnow' }, value: 1 }] },
    ])
    expect(text.split('\n')).toEqual(['# HELP x_total Line one\\nline "two" \\\\ end', '# TYPE x_total counter', 'x_total{task="say \\"hi\\"\\\\\\nnow"} 1', ''])
  })

  it('writes a histogram as cumulative _bucket{le} series ending in +Inf, then _sum and _count', () => {
    const text = formatPrometheus([
      {
        name: 'outpost_callback_latency_seconds',
        help: 'Latency.',
        type: 'histogram',
        buckets: [1, 2.5, 60],
        series: [{ labels: { provider: 'sendgrid', channel: 'email' }, cumulative: [1, 3, 3], count: 5, sum: 4000.5 }],
      },
    ])
    expect(text.split('\n')).toEqual([
      '# HELP outpost_callback_latency_seconds Latency.',
      '# TYPE outpost_callback_latency_seconds histogram',
      'outpost_callback_latency_seconds_bucket{provider="sendgrid",channel="email",le="1"} 1',
      'outpost_callback_latency_seconds_bucket{provider="sendgrid",channel="email",le="2.5"} 3',
      'outpost_callback_latency_seconds_bucket{provider="sendgrid",channel="email",le="60"} 3',
      'outpost_callback_latency_seconds_bucket{provider="sendgrid",channel="email",le="+Inf"} 5',
      'outpost_callback_latency_seconds_sum{provider="sendgrid",channel="email"} 4000.5',
      'outpost_callback_latency_seconds_count{provider="sendgrid",channel="email"} 5',
      '',
    ])
  })

  it('refuses what Prometheus would not parse: bad names, reserved labels, non-cumulative buckets, duplicates', () => {
    const counter = (name: string, labels: Record<string, string> = {}) => ({ name, help: 'h', type: 'counter' as const, samples: [{ labels, value: 1 }] })
    expect(() => formatPrometheus([counter('9lives')])).toThrow(/metric name/)
    expect(() => formatPrometheus([counter('has-dash')])).toThrow(/metric name/)
    expect(() => formatPrometheus([counter('ok', { 'bad-label': 'x' })])).toThrow(/label name/)
    expect(() => formatPrometheus([counter('ok', { __name__: 'x' })])).toThrow(/label name/)
    expect(() => formatPrometheus([counter('ok'), counter('ok')])).toThrow(/twice/)
    const histogram = (cumulative: number[], count: number) => ({ name: 'h', help: 'h', type: 'histogram' as const, buckets: [1, 2], series: [{ cumulative, count, sum: 0 }] })
    expect(() => formatPrometheus([histogram([2, 1], 2)])).toThrow(/cumulative/)
    expect(() => formatPrometheus([histogram([1, 3], 2)])).toThrow(/cumulative/)
    expect(() => formatPrometheus([histogram([1], 2)])).toThrow(/buckets/)
    expect(formatPrometheus([counter('valid_name:sub')])).toContain('valid_name:sub 1')
  })

  it('prints special values as Prometheus reads them', () => {
    expect([NaN, Infinity, -Infinity, 0, 42, 0.5, 1e-7].map(formatPrometheusValue)).toEqual(['NaN', '+Inf', '-Inf', '0', '42', '0.5', '1e-7'])
  })
})
