/**
 * A small in-process cache for expensive reads that many users ask for at once (the analytics summary):
 * answers stay for `ttlMs`, and concurrent asks for the same key share one computation instead of each
 * running it. A failed computation is not kept. Bounded: the oldest keys go past `maxKeys`.
 */
export const singleFlightCache = <T>({ ttlMs, maxKeys = 500 }: { ttlMs: () => number; maxKeys?: number }) => {
  const entries = new Map<string, { at: number; value: Promise<T> }>()
  return (key: string, compute: () => Promise<T>): Promise<T> => {
    const ttl = ttlMs()
    if (ttl <= 0) return compute()
    const now = Date.now()
    const hit = entries.get(key)
    if (hit && now - hit.at < ttl) return hit.value
    const value = compute()
    entries.delete(key)
    entries.set(key, { at: now, value })
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key)
    })
    while (entries.size > maxKeys) entries.delete(entries.keys().next().value as string)
    return value
  }
}
