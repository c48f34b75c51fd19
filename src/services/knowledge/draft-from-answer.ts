import { QUOTED_HEADER } from './quote-passages'

/**
 * An answer as a draft for the reply box: plain text without the citation marks, the lines that name a
 * source ("**Article › Section** [1]"), bold markers, quote prefixes or the extractive answer's opening
 * line. The contact it goes to sees neither the sources nor the Markdown.
 */
export const draftFromAnswer = (text: string): string =>
  text
    .replace(new RegExp(`^${QUOTED_HEADER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*$`, 'm'), '')
    .replace(/^[ \t]*\*\*[^*\n]+\*\*(?:[ \t]*\[\d+\])+[ \t]*$/gm, '')
    .replace(/\s?\[\d+\]/g, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/^[ \t]*>[ \t]?/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
