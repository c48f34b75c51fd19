import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { reserveSendSlots } from '@/services/sending/reserve-send-slots'

import { getTestPayload } from './helpers/app'
import { unique } from './helpers/fixtures'

let payload: Payload
beforeAll(async () => {
  payload = await getTestPayload()
})

describe('reserveSendSlots', () => {
  it('never grants more than the limit within 60 seconds, however many workers ask at once', async () => {
    const key = unique('org:rate:email')
    const asks = await Promise.all(Array.from({ length: 12 }, () => reserveSendSlots({ payload, key, limit: 50, wanted: 7 })))
    const granted = asks.reduce((sum, a) => sum + a.granted, 0)
    expect(granted).toBe(50)
    const refused = asks.filter((a) => a.granted < 7)
    expect(refused.length).toBeGreaterThan(0)
    for (const a of refused) expect(a.retryAfterMs).toBeGreaterThan(50_000)
    expect((await reserveSendSlots({ payload, key, limit: 50, wanted: 1 })).granted).toBe(0)
  })

  it('frees slots as the window moves, and keeps keys apart', async () => {
    const key = unique('org:slide:email')
    const pool = (payload.db as any).pool
    expect((await reserveSendSlots({ payload, key, limit: 10, wanted: 6 })).granted).toBe(6)
    expect((await reserveSendSlots({ payload, key, limit: 10, wanted: 6 })).granted).toBe(4)
    expect((await reserveSendSlots({ payload, key: `${key}-other`, limit: 10, wanted: 4 })).granted).toBe(4)
    // age the first reservation (six sends) past the window
    await pool.query(`UPDATE send_rate_slots SET taken_at = now() - interval '61 seconds' WHERE key = $1 AND slots = 6`, [key])
    expect((await reserveSendSlots({ payload, key, limit: 10, wanted: 10 })).granted).toBe(6)
  })
})
