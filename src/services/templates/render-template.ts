import Handlebars from 'handlebars'
import { compile as compileHtmlToText } from 'html-to-text'

import { substituteKeys } from '@/integrations/email/apply-substitutions'

import { ANY_VALUE_MARKER, toTextMarkers, valueMarker } from './substitution-marker'
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
  if (compiled) {
    // Least recently used goes first: a running job's template stays cached however many previews run.
    cache.delete(key)
    cache.set(key, compiled)
  } else {
    compiled = Handlebars.compile(source, { noEscape: !escape, strict: false, knownHelpersOnly: true, knownHelpers: { if: true, unless: true } })
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
    cache.set(key, compiled)
  }
  return compiled
}

// html-to-text compiles its selectors per call unless compiled once: rendering 100,000 messages spent
// most of its time there. Headings and header cells keep their case: a heading may hold a contact's
// name, and the per-recipient placeholders below must come through unchanged.
const htmlToText = compileHtmlToText({
  wordwrap: 78,
  selectors: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', options: { uppercaseHeaderCells: false } },
  ],
})

const POSTAL_PLACEHOLDER = /\{\{\s*org_postal_address\s*\}\}/

/** Renders with separate variables for the HTML and the plain-text side (the same object when rendering directly). */
const renderWith = (content: TemplateContent, htmlVars: TemplateVariables, textVars: TemplateVariables): RenderedEmail => {
  const footerSource = content.footer ?? ''
  const needsAddress = htmlVars.org_postal_address && !POSTAL_PLACEHOLDER.test(footerSource)
  const footerHtml =
    compile(footerSource, true)(htmlVars) +
    (needsAddress ? `<p>${Handlebars.escapeExpression(htmlVars.org_postal_address)}</p>` : '')
  const bodyHtml = compile(content.html, true)(htmlVars)
  const html = footerHtml.trim() ? `${bodyHtml}\n<hr />\n<footer>${footerHtml}</footer>` : bodyHtml

  const subject = compile(content.subject, false)(textVars).replace(/[\r\n]+/g, ' ').trim()
  const footerText = toTextSide(htmlToText(footerHtml))
  const bodyText = content.text?.trim() ? compile(content.text, false)(textVars) : toTextSide(htmlToText(bodyHtml))
  const text = footerText.trim() ? `${bodyText.trim()}\n\n--\n${footerText.trim()}\n` : `${bodyText.trim()}\n`
  return { subject, html, text }
}

/**
 * Per-recipient values stand in the rendered message as placeholders, so a job renders its template
 * once and each recipient costs a few string substitutions (and SendGrid gets the placeholders as
 * `substitutions`, one small map per recipient instead of a whole body). HTML placeholders take
 * HTML-escaped values, text ones the raw value.
 */
export const PER_RECIPIENT_VARIABLES = ['first_name', 'last_name', 'full_name', 'email', 'phone', 'unsubscribe_link'] as const
const placeholder = valueMarker
const toTextSide = toTextMarkers
// Conditionals and raw output would see the placeholder instead of the value: such templates render per recipient.
const NEEDS_VALUES = /\{\{\s*(?:#|\^|\{|&|else\b)/
const ANY_PLACEHOLDER = ANY_VALUE_MARKER

type Skeleton = RenderedEmail & { used: (typeof PER_RECIPIENT_VARIABLES)[number][] }
const skeletons = new Map<string, null | Skeleton>()

const skeletonFor = (content: TemplateContent, variables: TemplateVariables): null | Skeleton => {
  const cacheKey = JSON.stringify([content.subject, content.html, content.text ?? '', content.footer ?? '', variables.org_name, variables.org_postal_address])
  if (skeletons.has(cacheKey)) {
    const hit = skeletons.get(cacheKey)!
    skeletons.delete(cacheKey)
    skeletons.set(cacheKey, hit)
    return hit
  }
  let skeleton: null | Skeleton = null
  if (![content.subject, content.html, content.text ?? '', content.footer ?? ''].some((source) => NEEDS_VALUES.test(source))) {
    const htmlVars = { ...variables }
    const textVars = { ...variables }
    for (const name of PER_RECIPIENT_VARIABLES) {
      htmlVars[name] = placeholder('h', name)
      textVars[name] = placeholder('t', name)
    }
    const rendered = renderWith(content, htmlVars, textVars)
    const expected = new Set(PER_RECIPIENT_VARIABLES.flatMap((name) => [placeholder('h', name), placeholder('t', name)]))
    const found = [rendered.subject, rendered.html, rendered.text].flatMap((part) => part.match(ANY_PLACEHOLDER) ?? [])
    // Anything that changed a placeholder on the way (case, wrapping) means this template renders per recipient.
    if (found.every((key) => expected.has(key))) {
      skeleton = { ...rendered, used: PER_RECIPIENT_VARIABLES.filter((name) => found.some((key) => key.endsWith(`:${name}~~`))) }
    }
  }
  if (skeletons.size >= MAX_CACHED) skeletons.delete(skeletons.keys().next().value as string)
  skeletons.set(cacheKey, skeleton)
  return skeleton
}

export type RenderedParts = RenderedEmail & {
  /** Placeholder → value; empty when the parts are already final. */
  substitutions: Record<string, string>
}

/**
 * The message for one recipient as shared parts plus this recipient's substitutions (see
 * PER_RECIPIENT_VARIABLES); fully rendered, with no substitutions, when the template needs the
 * values themselves (conditionals, raw output).
 */
export const renderTemplateParts = (content: TemplateContent, variables: TemplateVariables): RenderedParts => {
  const skeleton = skeletonFor(content, variables)
  if (!skeleton) return { ...renderWith(content, variables, variables), substitutions: {} }
  const substitutions: Record<string, string> = {}
  for (const name of skeleton.used) {
    const value = String(variables[name] ?? '').replace(/[\r\n]+/g, ' ')
    substitutions[placeholder('h', name)] = Handlebars.escapeExpression(value)
    substitutions[placeholder('t', name)] = value
  }
  return { subject: skeleton.subject, html: skeleton.html, text: skeleton.text, substitutions }
}

/**
 * Renders subject, HTML and text for one recipient. The footer (with the org's postal address,
 * added when the footer does not place it) ends both parts. Text comes from the template's text body
 * when it has one, else from the rendered HTML.
 */
export const renderTemplate = (content: TemplateContent, variables: TemplateVariables): RenderedEmail => {
  const parts = renderTemplateParts(content, variables)
  return {
    subject: substituteKeys(parts.subject, parts.substitutions),
    html: substituteKeys(parts.html, parts.substitutions),
    text: substituteKeys(parts.text, parts.substitutions),
  }
}

/**
 * One recipient's SMS: the template's text body with their values (nothing is HTML-escaped: an SMS is
 * plain text), line ends normalised, outer blank space trimmed.
 */
export const renderSmsText = (source: string, variables: TemplateVariables): string =>
  compile(source, false)(variables).replace(/\r\n?/g, '\n').trim()
