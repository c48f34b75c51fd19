/**
 * For profiling a benchmark (BENCH_PROFILE=1): V8's CPU profiler over one stretch of this process
 * (the timed part only), summarised as self time by function and by package, and saved as a
 * `.cpuprofile` (open it in Chrome DevTools or speedscope).
 */
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import os from 'node:os'
import path from 'node:path'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/** Which package (or node internal, or our code) a script URL belongs to. */
const ownerOf = (url: string): string => {
  if (!url) return '(native / GC / idle)'
  if (url.startsWith('node:')) return 'node internals'
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match) return match[1]!
  const repo = /\/(src|bench|tests)\//.exec(url)
  return repo ? `outpost ${repo[1]}/` : url.slice(-60)
}

export type CpuProfiler = { stop: (name: string, top?: number) => Promise<string[]> }

export const startCpuProfile = async (): Promise<CpuProfiler> => {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  return {
    stop: async (name, top = 15) => {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile }
      session.disconnect()
      const file = path.join(os.tmpdir(), `${name}-${Date.now()}.cpuprofile`)
      await writeFile(file, JSON.stringify(profile))
      // Self time per node from the sample intervals.
      const byNode = new Map<number, number>()
      profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000))
      const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
      const byFunction = new Map<string, number>()
      const byOwner = new Map<string, number>()
      let idle = 0
      for (const [id, ms] of byNode) {
        const frame = nodes.get(id)!.callFrame
        if (frame.functionName === '(idle)' || frame.functionName === '(program)') {
          idle += frame.functionName === '(idle)' ? ms : 0
          if (frame.functionName === '(idle)') continue
        }
        const file = /\/((?:src|bench|tests)\/.*|node_modules\/.*)$/.exec(frame.url)?.[1] ?? frame.url
        const label = `${frame.functionName || '(anonymous)'} ${file ? `${file.replace(/^node_modules\//, '')}:${frame.lineNumber + 1}` : '(native)'}`
        byFunction.set(label, (byFunction.get(label) ?? 0) + ms)
        byOwner.set(ownerOf(frame.url), (byOwner.get(ownerOf(frame.url)) ?? 0) + ms)
      }
      const busy = [...byOwner.values()].reduce((a, b) => a + b, 0)
      const line = ([label, ms]: [string, number]) => `${(ms / 1000).toFixed(2).padStart(6)} s ${((ms / busy) * 100).toFixed(0).padStart(3)}%  ${label}`
      return [
        `CPU profile of this process (${file}): busy ${(busy / 1000).toFixed(2)} s, idle ${(idle / 1000).toFixed(2)} s`,
        'by package (self time):',
        ...[...byOwner.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map((e) => `  ${line(e)}`),
        'by function (self time):',
        ...[...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map((e) => `  ${line(e)}`),
      ]
    },
  }
}
