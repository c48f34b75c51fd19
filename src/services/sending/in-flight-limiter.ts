/**
 * Counts the messages a process has handed to one transport and not yet seen answered, across every
 * send loop of the process, so that at most `limit` are ever in flight: a crash then leaves at most
 * that many messages whose outcome is unknown.
 */
export class InFlightLimiter {
  private free: number
  private waiters: (() => void)[] = []

  constructor(readonly limit: number) {
    this.free = Math.max(1, Math.floor(limit))
  }

  get available(): number {
    return this.free
  }

  /**
   * Takes up to `wanted` places, waiting until at least half the limit (or `wanted`, if smaller) is
   * free, so hand-offs go in groups rather than one database write per message. Resolves with how many
   * were taken (≥ 1).
   */
  async acquire(wanted: number): Promise<number> {
    const need = Math.max(1, Math.min(wanted, Math.ceil(this.limit / 2)))
    while (this.free < need) await new Promise<void>((resolve) => this.waiters.push(resolve))
    const taken = Math.min(wanted, this.free)
    this.free -= taken
    return taken
  }

  release(count: number): void {
    if (count <= 0) return
    this.free = Math.min(Math.max(1, Math.floor(this.limit)), this.free + count)
    const waiting = this.waiters.splice(0)
    for (const wake of waiting) wake()
  }
}

const limiters = new WeakMap<object, InFlightLimiter>()

/** The limiter shared by every loop of this process that sends through `transport`. */
export const inFlightLimiterFor = (transport: { maxInFlight: number }): InFlightLimiter => {
  let limiter = limiters.get(transport)
  if (!limiter) {
    limiter = new InFlightLimiter(transport.maxInFlight)
    limiters.set(transport, limiter)
  }
  return limiter
}
