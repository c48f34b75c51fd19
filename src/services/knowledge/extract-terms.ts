/**
 * The distinct words of a text as the typo corrector knows them: lower case, letters and digits only
 * (accents kept), 3 to 30 characters. Stored per org; a misspelt question word is matched against them.
 */
export const extractTerms = (text: string, limit = 5000): string[] => {
  const terms = new Set<string>()
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0]
    if (word.length >= 3 && word.length <= 30 && !/^\d+$/.test(word)) terms.add(word)
    if (terms.size >= limit) break
  }
  return [...terms]
}
