/**
 * Keeps an answer's citations honest: `[n]` is kept only when source n was among the retrieved chunks
 * given to the model (1-based, as numbered in the prompt); any other `[n]` (a source the model made up,
 * or one of another answer) is removed with the space before it. Returns the cited sources, in order of
 * first citation, so the answer can link each to its article.
 */
export const stripUnknownCitations = (answer: string, sourceCount: number): { text: string; cited: number[] } => {
  const cited: number[] = []
  const text = answer.replace(/\s?\[(\d{1,3})\]/g, (whole, digits: string) => {
    const n = Number(digits)
    if (n < 1 || n > sourceCount) return ''
    if (!cited.includes(n)) cited.push(n)
    return whole
  })
  return { text, cited }
}
