import { describe, expect, it } from 'vitest'

import { singleFlightCache } from '@/services/metrics/single-flight-cache'

const deferred = <T>() => {
  let resolve!: (value: T) => void
  let reject!: (error: Error) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('singleFlightCache', () => {
  it('shares one computation among concurrent asks for a key, and keeps the answer for its time', async () => {
    const cache = singleFlightCache<number>({ ttlMs: () => 60_000 })
    let runs = 0
    const pending = deferred<number>()
    const compute = () => ((runs += 1), pending.promise)
    const asks = [cache('a', compute), cache('a', compute), cache('a', compute)]
    pending.resolve(7)
    expect(await Promise.all(asks)).toEqual([7, 7, 7])
    expect(await cache('a', compute)).toBe(7)
    expect(runs).toBe(1)
    // Another key is computed on its own.
    expect(await cache('b', async () => 9)).toBe(9)
  })

  it('computes again once the time is up, and never keeps a failure', async () => {
    const cache = singleFlightCache<number>({ ttlMs: () => 40 })
    await expect(cache('k', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down')
    expect(await cache('k', async () => 1)).toBe(1)
    expect(await cache('k', async () => 2)).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(await cache('k', async () => 3)).toBe(3)
    expect(await cache('k', async () => 4)).toBe(3)
    // A time of 0 turns it off.
    const off = singleFlightCache<number>({ ttlMs: () => 0 })
    expect(await off('k', async () => 5)).toBe(5)
    expect(await off('k', async () => 6)).toBe(6)
  })

  it('holds at most maxKeys keys, dropping the oldest', async () => {
    const cache = singleFlightCache<string>({ ttlMs: () => 60_000, maxKeys: 2 })
    await cache('one', async () => 'first')
    await cache('two', async () => 'second')
    await cache('three', async () => 'third')
    expect(await cache('one', async () => 'recomputed')).toBe('recomputed')
    expect(await cache('three', async () => 'recomputed')).toBe('third')
  })
})
