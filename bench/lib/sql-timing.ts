/**
 * For profiling a benchmark (BENCH_PROFILE=1): times every SQL statement any `pg` client in this
 * process runs, as the client sees it (send → result), grouped by the statement's first words.
 * Totals are summed over connections, so concurrent statements can add up to more than the wall time.
 */
import pg from 'pg'

type Entry = { calls: number; ms: number; max: number }

const labelOf = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 90)

export type SqlTiming = { reset: () => void; report: (wallMs: number, top?: number) => string[]; stop: () => void }

export const startSqlTiming = (): SqlTiming => {
  const stats = new Map<string, Entry>()
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const original = prototype.query
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined
    const text = typeof first === 'string' ? first : first?.text
    const t0 = performance.now()
    const result = original.apply(this, args)
    if (text && result && typeof (result as Promise<unknown>).then === 'function') {
      const done = () => {
        const ms = performance.now() - t0
        const label = labelOf(text)
        const entry = stats.get(label) ?? { calls: 0, ms: 0, max: 0 }
        entry.calls += 1
        entry.ms += ms
        entry.max = Math.max(entry.max, ms)
        stats.set(label, entry)
      }
      ;(result as Promise<unknown>).then(done, done)
    }
    return result
  }
  return {
    reset: () => stats.clear(),
    stop: () => {
      prototype.query = original
    },
    report: (wallMs, top = 12) =>
      [...stats.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, top)
        .map(
          ([label, e]) =>
            `${String(e.calls).padStart(6)} × avg ${(e.ms / e.calls).toFixed(1).padStart(7)} ms, max ${e.max.toFixed(0).padStart(5)} ms, total ${(e.ms / 1000).toFixed(2).padStart(6)} s = ${(e.ms / wallMs).toFixed(2)}× wall  ${label}`,
        ),
  }
}
