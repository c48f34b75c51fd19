import { extractTerms } from './extract-terms'

export type QuotableSource = { title: string; headingPath: string; content: string }

const MAX_QUOTE_CHARS = 700

/** The line an extractive answer starts with. */
export const QUOTED_HEADER = "From this organisation's knowledge base:"

/** A word's rough stem for matching a question to a paragraph: its first five letters. */
const stemOf = (word: string) => word.slice(0, 5)

/**
 * The extractive answer (provider `none`): no text is generated. From each of the best sources, the
 * paragraph sharing most words with the question is quoted, with its citation number. Sources sharing
 * no word with the question are skipped (at most `max` quotes).
 */
export const quotePassages = (question: string, sources: QuotableSource[], max = 3): { text: string; cited: number[] } => {
  const wanted = new Set(extractTerms(question).filter((w) => w.length >= 3).map(stemOf))
  const quotes: string[] = []
  const cited: number[] = []
  for (const [i, source] of sources.entries()) {
    if (quotes.length >= max) break
    // The first lines of a chunk repeat its title and headings; the article's words follow the blank line.
    const body = source.content.split(/\n\s*\n/).slice(1)
    const paragraphs = (body.length > 0 ? body : [source.content]).map((p) => p.trim()).filter(Boolean)
    let best = { score: 0, text: '' }
    for (const paragraph of paragraphs) {
      const score = extractTerms(paragraph).filter((w) => wanted.has(stemOf(w))).length
      if (score > best.score) best = { score, text: paragraph }
    }
    if (best.score === 0 && i > 0) continue
    const chosen = best.text || paragraphs[0] || ''
    const quote = chosen.length > MAX_QUOTE_CHARS ? `${chosen.slice(0, MAX_QUOTE_CHARS).replace(/\s+\S*$/, '')}…` : chosen
    const where = [source.title, source.headingPath].filter(Boolean).join(' › ')
    quotes.push(`**${where}** [${i + 1}]\n\n> ${quote.replace(/\n/g, '\n> ')}`)
    cited.push(i + 1)
  }
  return { text: quotes.length > 0 ? `${QUOTED_HEADER}\n\n${quotes.join('\n\n')}` : '', cited }
}
