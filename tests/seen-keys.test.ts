import { describe, expect, it } from 'vitest'

import { fingerprint, SeenKeys } from '@/services/imports/seen-keys'

describe('SeenKeys', () => {
  it('says on which line a key was first met, through growth, and nothing for new keys', () => {
    const seen = new SeenKeys()
    // One expect for the 200,000 adds (an expect each is slow enough to time out on a busy machine).
    let known = 0
    for (let i = 0; i < 200_000; i++) if (seen.add(`person${i}@example.com`, i + 2) !== undefined) known++
    expect(known).toBe(0)
    expect(seen.size).toBe(200_000)
    expect(seen.add('person0@example.com', 999_999)).toBe(2)
    expect(seen.add('person199999@example.com', 999_999)).toBe(200_001)
    expect(seen.add('Person0@example.com', 5)).toBeUndefined()
    expect(seen.size).toBe(200_001)
  }, 30_000)

  it('fingerprints of a million different addresses are all different', () => {
    const prints = new Set<string>()
    for (let i = 0; i < 1_000_000; i++) prints.add(fingerprint(`a.b.${i}@example.org`).join(':'))
    expect(prints.size).toBe(1_000_000)
    expect(fingerprint('+447700900123')).not.toEqual(fingerprint('+447700900132'))
  }, 30_000)
})
