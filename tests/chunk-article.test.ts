import { describe, expect, it } from 'vitest'

import { chunkArticle } from '@/services/knowledge/chunk-article'
import { estimateTokens } from '@/services/knowledge/estimate-tokens'
import { planChunkChanges } from '@/services/knowledge/plan-chunk-changes'

/** A paragraph of about `tokens` tokens, its sentences numbered so pieces can be told apart. */
const paragraph = (label: string, tokens: number) =>
  Array.from({ length: Math.ceil(tokens / 10) }, (_, i) => `${label} sentence ${i + 1} says something about opening hours.`).join(' ')

describe('estimateTokens', () => {
  it('counts about four characters a token and never fewer tokens than words', () => {
    expect(estimateTokens('')).toBe(0)
    expect(estimateTokens('   ')).toBe(0)
    expect(estimateTokens('abcd'.repeat(100))).toBe(100)
    expect(estimateTokens('a b c d e f')).toBe(6)
  })
})

describe('chunkArticle', () => {
  it('follows the headings: each chunk starts with the title and its heading path', () => {
    const markdown = ['Intro text before any heading.', '# Opening hours', paragraph('Hours', 500), '## Holidays', paragraph('Holiday', 500), '# Prices', paragraph('Price', 500)].join('\n\n')
    const chunks = chunkArticle({ title: 'Visiting us', markdown })
    // The short intro joins the first section; the piece then sits under the headings both share (none).
    expect(chunks.map((c) => c.headingPath)).toEqual([[], ['Opening hours', 'Holidays'], ['Prices']])
    expect(chunks[0]!.text.startsWith('Intro text before any heading.\n\n# Opening hours\n\nHours sentence 1 ')).toBe(true)
    const holidays = chunks.find((c) => c.headingPath.join('/') === 'Opening hours/Holidays')!
    expect(holidays.content.startsWith('Visiting us\nOpening hours > Holidays\n\n')).toBe(true)
    expect(holidays.text).toContain('Holiday sentence 1 ')
    expect(holidays.text).not.toContain('Price sentence')
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i))
    for (const chunk of chunks) expect(chunk.tokens).toBeLessThanOrEqual(800)
  })

  it('joins small sections up to the budget, so a chunk is not a lone heading', () => {
    const markdown = ['# A', 'Short a.', '# B', 'Short b.', '# C', 'Short c.'].join('\n\n')
    const chunks = chunkArticle({ title: 'Small', markdown })
    expect(chunks).toHaveLength(1)
    // Three siblings joined: under their common parent (the title alone).
    expect(chunks[0]!.headingPath).toEqual([])
    expect(chunks[0]!.text).toBe('# A\n\nShort a.\n\n# B\n\nShort b.\n\n# C\n\nShort c.')
  })

  it('splits a long section at paragraphs within the budget, each piece repeating the end of the one before', () => {
    const markdown = ['# Policies', paragraph('First', 300), paragraph('Second', 300), paragraph('Third', 300), paragraph('Fourth', 300)].join('\n\n')
    const chunks = chunkArticle({ title: 'Policies', markdown }, { maxTokens: 700, overlapTokens: 60 })
    expect(chunks.length).toBeGreaterThanOrEqual(2)
    for (const chunk of chunks) {
      expect(chunk.tokens).toBeLessThanOrEqual(700)
      expect(chunk.headingPath).toEqual(['Policies'])
    }
    // The second piece opens with words from the end of the first.
    const firstWords = chunks[0]!.text.split(/\s+/)
    const overlapStart = chunks[1]!.text.split(/\s+/).slice(0, 3).join(' ')
    expect(firstWords.join(' ')).toContain(overlapStart)
    // Nothing is lost: every sentence is in some chunk.
    for (const label of ['First', 'Second', 'Third', 'Fourth']) expect(chunks.some((c) => c.text.includes(`${label} sentence 30 `) || c.text.includes(`${label} sentence 30 says`))).toBe(true)
  })

  it('splits a paragraph without blank lines at sentences, and one endless word by characters', () => {
    const sentences = chunkArticle({ title: 'T', markdown: paragraph('Only', 2000) }, { maxTokens: 500, overlapTokens: 40 })
    expect(sentences.length).toBeGreaterThanOrEqual(4)
    for (const chunk of sentences) expect(chunk.tokens).toBeLessThanOrEqual(500)
    const word = chunkArticle({ title: 'T', markdown: 'x'.repeat(10_000) }, { maxTokens: 500, overlapTokens: 0 })
    expect(word.length).toBeGreaterThanOrEqual(5)
    expect(word.map((c) => c.text).join('')).toBe('x'.repeat(10_000))
  })

  it('a small section never takes in the next chapter: only a sibling or a child', () => {
    const markdown = ['# Visiting', paragraph('Visit', 500), '## Accessibility', paragraph('Access', 150), '# Prices', paragraph('Price', 200), '## Groups', paragraph('Group', 150)].join('\n\n')
    const chunks = chunkArticle({ title: 'Guide', markdown })
    expect(chunks.map((c) => c.headingPath)).toEqual([['Visiting'], ['Visiting', 'Accessibility'], ['Prices']])
    expect(chunks[2]!.text).toContain('## Groups')
    expect(chunks[1]!.text).not.toContain('Price sentence')
  })

  it('a # inside a fenced code block is not a heading', () => {
    const markdown = ['# Setup', '```sh', '# install it', 'npm install', '```', 'Then run it.'].join('\n')
    const chunks = chunkArticle({ title: 'Code', markdown })
    expect(chunks).toHaveLength(1)
    expect(chunks[0]!.headingPath).toEqual(['Setup'])
    expect(chunks[0]!.text).toContain('# install it')
  })

  it('an empty article has no chunks; the same article gives the same hashes', () => {
    expect(chunkArticle({ title: 'Empty', markdown: '  \n\n ' })).toEqual([])
    const markdown = `# One\n\n${paragraph('One', 600)}\n\n# Two\n\n${paragraph('Two', 600)}`
    expect(chunkArticle({ title: 'Same', markdown }).map((c) => c.hash)).toEqual(chunkArticle({ title: 'Same', markdown }).map((c) => c.hash))
    expect(chunkArticle({ title: 'Renamed', markdown })[0]!.hash).not.toBe(chunkArticle({ title: 'Same', markdown })[0]!.hash)
  })
})

describe('planChunkChanges', () => {
  it('keeps unchanged chunks, stores only the edited section’s, and removes what went', () => {
    const before = chunkArticle({ title: 'Guide', markdown: `# One\n\n${paragraph('One', 600)}\n\n# Two\n\n${paragraph('Two', 600)}\n\n# Three\n\n${paragraph('Three', 600)}` })
    const stored = before.map((c, i) => ({ id: 100 + i, hash: c.hash, index: c.index }))
    const after = chunkArticle({ title: 'Guide', markdown: `# One\n\n${paragraph('One', 600)}\n\n# Two\n\n${paragraph('Two, edited,', 600)}` })
    const plan = planChunkChanges(stored, after)
    const section = (name: string) => stored.filter((s) => before[s.index]!.headingPath[0] === name).map((s) => s.id)
    expect(section('One').length).toBeGreaterThan(0)
    expect(plan.keep.map((k) => k.id)).toEqual(section('One'))
    expect(plan.keep.map((k) => k.index)).toEqual(after.filter((c) => c.headingPath[0] === 'One').map((c) => c.index))
    expect(plan.insert.length).toBeGreaterThan(0)
    expect(plan.insert.every((c) => c.headingPath[0] === 'Two')).toBe(true)
    expect([...plan.remove].sort()).toEqual([...section('Two'), ...section('Three')].sort())
  })

  it('matches repeated identical chunks one stored copy each', () => {
    const [chunk] = chunkArticle({ title: 'R', markdown: 'Same text.' })
    const plan = planChunkChanges([{ id: 1, hash: chunk!.hash, index: 0 }], [chunk!, { ...chunk!, index: 1 }])
    expect(plan.keep).toEqual([{ id: 1, index: 0 }])
    expect(plan.insert).toHaveLength(1)
    expect(plan.remove).toEqual([])
  })
})
