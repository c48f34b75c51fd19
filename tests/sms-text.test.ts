import { describe, expect, it } from 'vitest'

import { parsePhoneNumber } from '@/services/contacts/parse-phone-number'
import { countSmsSegments } from '@/services/templates/count-sms-segments'

describe('countSmsSegments', () => {
  it('counts GSM-7 with extension characters twice, and splits at 160 into 153s', () => {
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, perSegment: 160, remaining: 160 })
    expect(countSmsSegments('Hello Ann, reply STOP to opt out')).toEqual(expect.objectContaining({ encoding: 'GSM-7', units: 32, segments: 1, remaining: 128 }))
    expect(countSmsSegments('a'.repeat(160))).toEqual(expect.objectContaining({ segments: 1, perSegment: 160, remaining: 0 }))
    expect(countSmsSegments('a'.repeat(161))).toEqual(expect.objectContaining({ segments: 2, perSegment: 153, remaining: 145 }))
    expect(countSmsSegments('€'.repeat(80))).toEqual(expect.objectContaining({ encoding: 'GSM-7', units: 160, segments: 1 }))
    expect(countSmsSegments(`${'a'.repeat(159)}{`)).toEqual(expect.objectContaining({ units: 161, segments: 2 }))
    expect(countSmsSegments('a'.repeat(459))).toEqual(expect.objectContaining({ segments: 3, remaining: 0 }))
  })

  it('falls back to UCS-2 for any other character: 70, then 67 per segment, an emoji counting twice', () => {
    expect(countSmsSegments('Grüße – café')).toEqual(expect.objectContaining({ encoding: 'UCS-2', units: 12, segments: 1, perSegment: 70 }))
    expect(countSmsSegments('Ç'.repeat(70))).toEqual(expect.objectContaining({ encoding: 'GSM-7', segments: 1 }))
    expect(countSmsSegments('ç')).toEqual(expect.objectContaining({ encoding: 'UCS-2' }))
    expect(countSmsSegments('ž'.repeat(70))).toEqual(expect.objectContaining({ encoding: 'UCS-2', segments: 1, remaining: 0 }))
    expect(countSmsSegments('ž'.repeat(71))).toEqual(expect.objectContaining({ segments: 2, perSegment: 67 }))
    expect(countSmsSegments('Hi 👋')).toEqual(expect.objectContaining({ encoding: 'UCS-2', units: 5 }))
  })
})

describe('parsePhoneNumber', () => {
  it('gives E.164 for international and local formats, with the org’s default country for local ones', () => {
    expect(parsePhoneNumber('+44 7400 123456')).toEqual(expect.objectContaining({ ok: true, e164: '+447400123456', country: 'GB', canReceiveSms: true }))
    expect(parsePhoneNumber('0044 7400 123456')).toEqual(expect.objectContaining({ ok: true, e164: '+447400123456' }))
    expect(parsePhoneNumber('07400 123456', 'GB')).toEqual(expect.objectContaining({ ok: true, e164: '+447400123456' }))
    expect(parsePhoneNumber('(415) 555-2671', 'US')).toEqual(expect.objectContaining({ ok: true, e164: '+14155552671' }))
    expect(parsePhoneNumber('06 12 34 56 78', 'FR')).toEqual(expect.objectContaining({ ok: true, e164: '+33612345678', canReceiveSms: true }))
  })

  it('names the reason a number is not valid, and knows a fixed line cannot receive SMS', () => {
    expect(parsePhoneNumber('12', 'GB')).toEqual({ ok: false, reason: 'it is too short' })
    expect(parsePhoneNumber('+4474001234564567')).toEqual({ ok: false, reason: 'it is too long' })
    expect(parsePhoneNumber('07400 123456')).toEqual({ ok: false, reason: expect.stringMatching(/no country code/) })
    expect(parsePhoneNumber('call me')).toEqual({ ok: false, reason: expect.stringMatching(/only digits/) })
    expect(parsePhoneNumber('   ')).toEqual({ ok: false, reason: 'it is empty' })
    expect(parsePhoneNumber('+999 1234 5678')).toEqual({ ok: false, reason: 'its country code is not one we know' })
    expect(parsePhoneNumber('+44 20 7946 0958')).toEqual(expect.objectContaining({ ok: true, e164: '+442079460958', canReceiveSms: false, type: 'FIXED_LINE' }))
  })
})
