/**
 * Prometheus text exposition format 0.0.4, written by hand (no client library: we expose figures
 * computed from the database on each scrape, not in-process instruments).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export type PrometheusLabels = Record<string, string>

export type PrometheusSample = { labels?: PrometheusLabels; value: number }

/** One histogram series: `cumulative[i]` observations ≤ `buckets[i]`; `count` (the +Inf bucket) and `sum` over all. */
export type PrometheusHistogramSeries = { labels?: PrometheusLabels; cumulative: number[]; count: number; sum: number }

export type PrometheusFamily =
  | { name: string; help: string; type: 'counter' | 'gauge'; samples: PrometheusSample[] }
  | { name: string; help: string; type: 'histogram'; buckets: readonly number[]; series: PrometheusHistogramSeries[] }

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

/** A label value inside double quotes: backslash, double quote and line feed are escaped. */
export const escapeLabelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

/** HELP text: backslash and line feed are escaped (double quotes are not). */
export const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

/** A sample value as Prometheus reads it: numbers plainly, `+Inf`, `-Inf`, `NaN`. */
export const formatPrometheusValue = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

const formatLabels = (labels: PrometheusLabels | undefined): string => {
  const entries = Object.entries(labels ?? {})
  if (!entries.length) return ''
  for (const [name] of entries) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`"${name}" is not a valid Prometheus label name.`)
  }
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`
}

const histogramLines = (name: string, buckets: readonly number[], series: PrometheusHistogramSeries): string[] => {
  if (series.cumulative.length !== buckets.length) throw new Error(`${name}: ${buckets.length} buckets but ${series.cumulative.length} counts.`)
  const lines: string[] = []
  let previous = 0
  buckets.forEach((le, index) => {
    const count = series.cumulative[index]!
    if (count < previous || count > series.count) throw new Error(`${name}: bucket counts must be cumulative (le=${le}).`)
    previous = count
    lines.push(`${name}_bucket${formatLabels({ ...series.labels, le: formatPrometheusValue(le) })} ${formatPrometheusValue(count)}`)
  })
  lines.push(`${name}_bucket${formatLabels({ ...series.labels, le: '+Inf' })} ${formatPrometheusValue(series.count)}`)
  lines.push(`${name}_sum${formatLabels(series.labels)} ${formatPrometheusValue(series.sum)}`)
  lines.push(`${name}_count${formatLabels(series.labels)} ${formatPrometheusValue(series.count)}`)
  return lines
}

/** The whole exposition: per family its HELP and TYPE lines, then its samples; ends with a line feed. */
export const formatPrometheus = (families: PrometheusFamily[]): string => {
  const lines: string[] = []
  const seen = new Set<string>()
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`"${family.name}" is not a valid Prometheus metric name.`)
    if (seen.has(family.name)) throw new Error(`${family.name} appears twice.`)
    seen.add(family.name)
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`)
    if (family.type === 'histogram') {
      for (const series of family.series) lines.push(...histogramLines(family.name, family.buckets, series))
    } else {
      for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatPrometheusValue(sample.value)}`)
    }
  }
  return `${lines.join('\n')}\n`
}
