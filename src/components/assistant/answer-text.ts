/**
 * The assistant's answer text (a little Markdown: paragraphs, `> ` quotes, `**bold**`, citations `[n]`)
 * as blocks and inline pieces, so the page renders it with React elements and never as HTML.
 */
export type Inline = { kind: 'text'; text: string } | { kind: 'strong'; text: string } | { kind: 'cite'; n: number }
export type Block = { kind: 'paragraph' | 'quote'; lines: Inline[][] }

const INLINE = /\*\*(.+?)\*\*|\[(\d{1,3})\]/g

export const parseInline = (line: string): Inline[] => {
  const pieces: Inline[] = []
  let at = 0
  for (const match of line.matchAll(INLINE)) {
    if (match.index > at) pieces.push({ kind: 'text', text: line.slice(at, match.index) })
    pieces.push(match[1] !== undefined ? { kind: 'strong', text: match[1] } : { kind: 'cite', n: Number(match[2]) })
    at = match.index + match[0].length
  }
  if (at < line.length) pieces.push({ kind: 'text', text: line.slice(at) })
  return pieces
}

/** Blank lines end a block; consecutive `>` lines are one quote, other consecutive lines one paragraph. */
export const parseAnswer = (text: string): Block[] => {
  const blocks: Block[] = []
  let current: null | { kind: Block['kind']; lines: string[] } = null
  const flush = () => {
    if (current && current.lines.some((l) => l.trim())) blocks.push({ kind: current.kind, lines: current.lines.map(parseInline) })
    current = null
  }
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (!raw.trim()) {
      flush()
      continue
    }
    const isQuote = /^\s*>/.test(raw)
    const kind = isQuote ? 'quote' : 'paragraph'
    const line = isQuote ? raw.replace(/^\s*>\s?/, '') : raw
    if (current && current.kind !== kind) flush()
    if (!current) current = { kind, lines: [] }
    current.lines.push(line)
  }
  flush()
  return blocks
}

/** An excerpt as plain lines: heading markers off, blank lines closed up (the page clamps it to three lines). */
export const plainExcerpt = (text: string): string =>
  text
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, '')
    .replace(/\n\s*\n/g, '\n')
    .trim()
