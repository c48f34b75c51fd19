import Handlebars from 'handlebars'
import { convert } from 'html-to-text'

import type { TemplateVariables } from './template-variables'

export type TemplateContent = { footer?: null | string; html: string; subject: string; text?: null | string }
export type RenderedEmail = { html: string; subject: string; text: string }

type Compiled = (variables: TemplateVariables) => string

// Compiled templates are cached by source: a job renders one template for many recipients.
const cache = new Map<string, Compiled>()
const MAX_CACHED = 500

const compile = (source: string, escape: boolean): Compiled => {
  const key = `${escape ? 'h' : 't'}:${source}`
  let compiled = cache.get(key)
  if (!compiled) {
    compiled = Handlebars.compile(source, { noEscape: !escape, strict: false, knownHelpersOnly: true, knownHelpers: { if: true, unless: true } })
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
    cache.set(key, compiled)
  }
  return compiled
}

const POSTAL_PLACEHOLDER = /\{\{\s*org_postal_address\s*\}\}/

/**
 * Renders subject, HTML and text for one recipient. The footer (with the org's postal address,
 * added when the footer does not place it) ends both parts. Text comes from the template's text body
 * when it has one, else from the rendered HTML.
 */
export const renderTemplate = (content: TemplateContent, variables: TemplateVariables): RenderedEmail => {
  const footerSource = content.footer ?? ''
  const needsAddress = variables.org_postal_address && !POSTAL_PLACEHOLDER.test(footerSource)
  const footerHtml =
    compile(footerSource, true)(variables) +
    (needsAddress ? `<p>${Handlebars.escapeExpression(variables.org_postal_address)}</p>` : '')
  const bodyHtml = compile(content.html, true)(variables)
  const html = footerHtml.trim() ? `${bodyHtml}\n<hr />\n<footer>${footerHtml}</footer>` : bodyHtml

  const subject = compile(content.subject, false)(variables).replace(/[\r\n]+/g, ' ').trim()
  const footerText = convert(footerHtml, { wordwrap: 78 })
  const bodyText = content.text?.trim() ? compile(content.text, false)(variables) : convert(bodyHtml, { wordwrap: 78 })
  const text = footerText.trim() ? `${bodyText.trim()}\n\n--\n${footerText.trim()}\n` : `${bodyText.trim()}\n`
  return { subject, html, text }
}
