import { randomBytes } from 'node:crypto'

/**
 * The per-recipient placeholders a rendered message carries until each recipient's values go in, and
 * the keys of the packed bodies sent to SendGrid. They include a secret made when the process starts,
 * so no template, contact or organisation field can contain one: a body that spelled out a marker
 * would otherwise have a value put in unescaped, or a whole body put in its subject.
 */
const SECRET = randomBytes(12).toString('hex')

export const MARKER_PREFIX = `~~${SECRET}:`

/** `~~<secret>:h:first_name~~` (HTML-escaped value) or `~~<secret>:t:first_name~~` (raw value). */
export const valueMarker = (side: 'h' | 't', name: string): string => `${MARKER_PREFIX}${side}:${name}~~`

/** Every marker of this process in a text, whatever the side and name. */
export const ANY_VALUE_MARKER = new RegExp(`~~${SECRET}:[ht]:[^~]*~~`, 'gi')

/** The HTML side's markers turned into the text side's (plain text is made from the rendered HTML). */
export const toTextMarkers = (text: string): string => text.split(`${MARKER_PREFIX}h:`).join(`${MARKER_PREFIX}t:`)

/** Keys standing for a message's whole HTML and text bodies in a packed (shared) SendGrid request. */
export const BODY_KEYS = { html: `-outpost-html-${SECRET}-`, text: `-outpost-text-${SECRET}-` } as const
