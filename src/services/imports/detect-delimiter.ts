import { IMPORT_DELIMITERS, type ImportDelimiter } from './import-definitions'

type Delimiter = Exclude<ImportDelimiter, 'auto'>
const CANDIDATES: Delimiter[] = ['comma', 'semicolon', 'tab', 'pipe']

/** How often `char` occurs outside double quotes in each of the first lines (quoted newlines kept inside their field). */
const countsPerLine = (text: string, char: string, lines: number): number[] => {
  const counts: number[] = []
  let count = 0
  let quoted = false
  for (let i = 0; i < text.length && counts.length < lines; i++) {
    const ch = text[i]
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === char) count++
    else if (!quoted && ch === '\n') {
      if (text[i - 1] !== '\n' && !(text[i - 1] === '\r' && text[i - 2] === '\n')) counts.push(count)
      count = 0
    }
  }
  if (count > 0 && counts.length < lines) counts.push(count)
  return counts
}

/**
 * The delimiter of a CSV sample: the candidate that occurs on every one of the first lines, the same
 * number of times on most of them, and most often; a single column (no candidate anywhere) is comma.
 */
export const detectDelimiter = (sample: string): Delimiter => {
  let best: { delimiter: Delimiter; score: number } = { delimiter: 'comma', score: 0 }
  for (const delimiter of CANDIDATES) {
    const counts = countsPerLine(sample, IMPORT_DELIMITERS[delimiter], 20)
    if (!counts.length || counts.some((n) => n === 0)) continue
    const modal = counts.reduce((acc, n) => acc.set(n, (acc.get(n) ?? 0) + 1), new Map<number, number>())
    const [columns, lines] = [...modal.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!
    const score = (lines / counts.length) * 1000 + columns
    if (score > best.score) best = { delimiter, score }
  }
  return best.delimiter
}
