import { convert } from 'html-to-text'

import { AppError } from '../errors/app-error'

export type ArticleFormat = 'md' | 'txt' | 'html' | 'pdf'

/** Largest file imported as an article. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024

const FORMAT_BY_EXTENSION: Record<string, ArticleFormat> = { md: 'md', markdown: 'md', txt: 'txt', text: 'txt', html: 'html', htm: 'html', pdf: 'pdf' }

/** The format of an uploaded file by its name (the type a browser sends is not trusted alone). */
export const articleFormatOf = (fileName: string, mimeType = ''): ArticleFormat | null => {
  const extension = fileName.toLowerCase().match(/\.([a-z]+)$/)?.[1] ?? ''
  if (FORMAT_BY_EXTENSION[extension]) return FORMAT_BY_EXTENSION[extension]!
  if (mimeType === 'application/pdf') return 'pdf'
  if (mimeType === 'text/html') return 'html'
  if (mimeType === 'text/markdown') return 'md'
  if (mimeType === 'text/plain') return 'txt'
  return null
}

const decodeText = (bytes: Uint8Array): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    throw new AppError('INVALID_INPUT', 'The file is not UTF-8 text: save it as UTF-8 and import it again.')
  }
}

const headingFormatter = (level: number) => ({ selector: `h${level}`, format: 'markdownHeading', options: { level } })

/** HTML to Markdown-like text: headings become `#` lines (so chunking by heading works), links keep their text, scripts and styles go. */
const htmlToMarkdown = (html: string): string =>
  convert(html, {
    wordwrap: false,
    formatters: {
      markdownHeading: (element, walk, builder, options) => {
        builder.openBlock({ leadingLineBreaks: 2 })
        builder.addLiteral(`${'#'.repeat(Number((options as { level?: number }).level ?? 2))} `)
        walk(element.children, builder)
        builder.closeBlock({ trailingLineBreaks: 2 })
      },
    },
    selectors: [
      ...[1, 2, 3, 4, 5, 6].map(headingFormatter),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'nav', format: 'skip' },
    ],
  })

/** The text of each page of a PDF, read with Mozilla's pdf.js; lines kept, pages separated by a blank line. */
const pdfToText = async (bytes: Uint8Array): Promise<string> => {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  let document
  try {
    document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise
  } catch (error) {
    const reason = (error as { name?: string }).name === 'PasswordException' ? 'it is password-protected' : 'it is not a readable PDF'
    throw new AppError('INVALID_INPUT', `The PDF could not be opened: ${reason}.`)
  }
  try {
    const pages: string[] = []
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n)
      const content = await page.getTextContent()
      let text = ''
      for (const item of content.items) {
        if (!('str' in item)) continue
        text += item.str
        if (item.hasEOL) text += '\n'
      }
      pages.push(text.trim())
    }
    return pages.filter(Boolean).join('\n\n')
  } finally {
    await document.destroy()
  }
}

/**
 * An uploaded file's text as the Markdown an article keeps: Markdown and plain text as they are, HTML
 * with its headings as `#` lines, PDF as the text of its pages. The title is the first top heading, else
 * the file name. A file without text (a scanned PDF) is a 400 that says so.
 */
export const extractArticleText = async (file: { name: string; bytes: Uint8Array; mimeType?: string }): Promise<{ title: string; body: string; format: ArticleFormat }> => {
  const format = articleFormatOf(file.name, file.mimeType)
  if (!format) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `"${file.name}" is not a Markdown, text, HTML or PDF file (.md, .txt, .html, .pdf).`)
  if (file.bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `"${file.name}" is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`)
  const raw = format === 'pdf' ? await pdfToText(file.bytes) : format === 'html' ? htmlToMarkdown(decodeText(file.bytes)) : decodeText(file.bytes)
  const body = raw.replace(/\r\n?/g, '\n').replace(/\u0000/g, '').replace(/\n{3,}/g, '\n\n').trim()
  if (!body) {
    throw new AppError('INVALID_INPUT', format === 'pdf' ? `"${file.name}" has no text to read (a scanned PDF needs text recognition first).` : `"${file.name}" is empty.`)
  }
  const heading = body.match(/^#\s+(.+)$/m)?.[1]?.trim()
  const title = (heading || file.name.replace(/\.[a-z]+$/i, '').replace(/[-_]+/g, ' ').trim() || 'Imported article').slice(0, 200)
  return { title, body, format }
}
