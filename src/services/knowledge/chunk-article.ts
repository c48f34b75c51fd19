import { createHash } from 'node:crypto'

import { estimateTokens } from './estimate-tokens'

/** One retrievable piece of an article: its place under the headings, its text, and what is indexed. */
export type ArticleChunk = {
  /** Position in the article, from 0. */
  index: number
  /** The headings above this piece, outermost first (empty before the first heading). */
  headingPath: string[]
  /** The article's own words in this piece. */
  text: string
  /** What is indexed and quoted: the article's title, the heading path, then the text. */
  content: string
  tokens: number
  /** sha256 of `content`: an unchanged piece keeps its row when the article is saved again. */
  hash: string
}

export type ChunkOptions = {
  /** A piece grows by whole sections up to this size… */
  maxTokens?: number
  /** …and sections smaller than this join the next one. */
  minTokens?: number
  /** A section split into several pieces repeats about this much of the previous piece's end. */
  overlapTokens?: number
}

type Section = { headingPath: string[]; heading: null | string; body: string }

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/
const FENCE = /^[ \t]*(```|~~~)/

/** The Markdown's sections: a heading (ATX `#`…`######`, not inside a fenced code block) and the text up to the next. */
const sectionsOf = (markdown: string): Section[] => {
  const sections: Section[] = []
  const path: { level: number; text: string }[] = []
  let current: Section = { headingPath: [], heading: null, body: '' }
  let fence: null | string = null
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = FENCE.exec(line)
    if (fenceMatch) fence = fence === null ? fenceMatch[1]! : fence === fenceMatch[1] ? null : fence
    const heading = fence === null && !fenceMatch ? HEADING.exec(line) : null
    if (!heading) {
      current.body += `${line}\n`
      continue
    }
    sections.push(current)
    const level = heading[1]!.length
    while (path.length && path.at(-1)!.level >= level) path.pop()
    path.push({ level, text: heading[2]!.trim() })
    current = { headingPath: path.map((p) => p.text), heading: heading[0].trim(), body: '' }
  }
  sections.push(current)
  return sections.filter((s) => s.heading !== null || s.body.trim())
}

/** Splits text into pieces of at most `max` tokens: by paragraph, then sentence, then word. */
const splitToFit = (text: string, max: number): string[] => {
  if (estimateTokens(text) <= max) return [text]
  const units = text.includes('\n\n')
    ? text.split(/\n{2,}/)
    : /[.!?]\s/.test(text)
      ? text.split(/(?<=[.!?])\s+/)
      : text.split(/\s+/)
  const joiner = text.includes('\n\n') ? '\n\n' : ' '
  if (units.length === 1) {
    // One word longer than the budget: cut it by characters.
    const size = max * 4
    return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size))
  }
  const pieces: string[] = []
  let piece = ''
  for (const unit of units.flatMap((u) => splitToFit(u, max))) {
    const candidate = piece ? `${piece}${joiner}${unit}` : unit
    if (piece && estimateTokens(candidate) > max) {
      pieces.push(piece)
      piece = unit
    } else piece = candidate
  }
  if (piece) pieces.push(piece)
  return pieces
}

/** The end of a piece, about `tokens` long, starting at a word (or a sentence, when one fits). */
const tailOf = (text: string, tokens: number): string => {
  const words = text.trim().split(/\s+/)
  let tail = ''
  for (let i = words.length - 1; i >= 0; i--) {
    const candidate = tail ? `${words[i]} ${tail}` : words[i]!
    if (estimateTokens(candidate) > tokens) break
    tail = candidate
  }
  const sentence = tail.search(/(?<=[.!?])\s+\S/)
  return sentence > 0 && sentence < tail.length / 2 ? tail.slice(sentence).trim() : tail
}

const commonPrefix = (a: string[], b: string[]): string[] => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return a.slice(0, i)
}

const hashOf = (content: string) => createHash('sha256').update(content).digest('hex')

/**
 * An article's Markdown as retrievable chunks, by heading: sections are kept whole and small ones joined
 * to their next sibling or child up to `maxTokens` (about 400–800 tokens a chunk); a section larger than that is split at paragraphs,
 * then sentences, each piece after the first repeating the end of the one before (`overlapTokens`).
 * Each chunk's `content` starts with the title and heading path, so a piece read alone (in search, or
 * quoted to a model) says where it comes from.
 */
export const chunkArticle = ({ title, markdown }: { title: string; markdown: string }, options: ChunkOptions = {}): ArticleChunk[] => {
  const max = options.maxTokens ?? 800
  const min = Math.min(options.minTokens ?? 400, max)
  const overlap = Math.min(options.overlapTokens ?? 80, Math.floor(max / 4))
  const prefixBudget = (path: string[]) => estimateTokens(`${title}\n${path.join(' > ')}`)

  // Whole sections first, small ones joined to the next while the whole stays within the budget.
  const groups: { headingPath: string[]; text: string }[] = []
  for (const section of sectionsOf(markdown)) {
    const text = [section.heading, section.body.trim()].filter(Boolean).join('\n\n')
    const last = groups.at(-1)
    const room = max - prefixBudget(last?.headingPath ?? [])
    // A small piece takes in the next section when it is a sibling or a child (never a section further
    // out, say the next chapter) and the whole stays within the budget.
    const related = last ? commonPrefix(last.headingPath, section.headingPath).length >= last.headingPath.length - 1 : false
    if (last && related && estimateTokens(last.text) < min && estimateTokens(`${last.text}\n\n${text}`) <= room) {
      // The joined piece sits under the headings both share (two siblings: their parent).
      last.text = `${last.text}\n\n${text}`
      last.headingPath = commonPrefix(last.headingPath, section.headingPath)
    } else groups.push({ headingPath: section.headingPath, text })
  }

  const chunks: ArticleChunk[] = []
  for (const group of groups) {
    const budget = Math.max(50, max - prefixBudget(group.headingPath) - overlap)
    const pieces = splitToFit(group.text, budget)
    pieces.forEach((piece, i) => {
      const text = i === 0 ? piece : `${tailOf(pieces[i - 1]!, overlap)} ${piece}`.trim()
      const content = `${title}\n${group.headingPath.length ? `${group.headingPath.join(' > ')}\n` : ''}\n${text}`
      chunks.push({ index: chunks.length, headingPath: group.headingPath, text, content, tokens: estimateTokens(content), hash: hashOf(content) })
    })
  }
  return chunks
}
