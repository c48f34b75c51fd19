/**
 * The keys (addresses or phones) an import has met, with the line each was first on, in flat typed
 * arrays: about 24 bytes a key instead of a string and a map entry (a million keys: ~24 MB, not ~90),
 * so memory stays flat. Keys are held as two independent 32-bit hashes (a 64-bit fingerprint: two
 * different keys among a million share one with a chance of about 1 in 36 million).
 */
export class SeenKeys {
  private first = new Uint32Array(1 << 16)
  private second = new Uint32Array(1 << 16)
  private lines = new Int32Array(1 << 16)
  private count = 0

  get size(): number {
    return this.count
  }

  /** Records `key` as met on `line` unless it was met before; returns that earlier line, or undefined. */
  add(key: string, line: number): number | undefined {
    const [a, b] = fingerprint(key)
    if (this.count * 2 >= this.lines.length) this.grow()
    const mask = this.lines.length - 1
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      if (this.lines[slot] === 0) {
        this.first[slot] = a
        this.second[slot] = b
        this.lines[slot] = line
        this.count++
        return undefined
      }
      if (this.first[slot] === a && this.second[slot] === b) return this.lines[slot]
    }
  }

  private grow() {
    const [first, second, lines] = [this.first, this.second, this.lines]
    const size = lines.length * 2
    this.first = new Uint32Array(size)
    this.second = new Uint32Array(size)
    this.lines = new Int32Array(size)
    const mask = size - 1
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue
      let slot = first[i]! & mask
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask
      this.first[slot] = first[i]!
      this.second[slot] = second[i]!
      this.lines[slot] = lines[i]!
    }
  }
}

/** Two 32-bit hashes of a string (FNV-1a, and a MurmurHash2-style mix with another seed). */
export const fingerprint = (key: string): [number, number] => {
  let a = 0x811c9dc5
  let b = 0x9747b28c ^ key.length
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 13
  }
  a ^= a >>> 16
  a = Math.imul(a, 0x85ebca6b)
  a ^= a >>> 13
  b = Math.imul(b ^ (b >>> 15), 0x5bd1e995)
  b ^= b >>> 16
  return [a >>> 0, b >>> 0]
}
