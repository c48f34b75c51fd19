import sanitizeHtml from 'sanitize-html'

/**
 * An inbound email's HTML, safe to show: formatting tags only, no scripts, styles, forms, frames or
 * event handlers, links only to http(s) and mailto (opened in a new tab, no referrer), and no remote
 * images (they would tell the sender the message was read, and from where): images keep only inline
 * `data:` sources. The admin shows it in a sandboxed frame on top of this.
 */
export const sanitizeEmailHtml = (html: string): string =>
  sanitizeHtml(html, {
    allowedTags: [
      'a', 'b', 'blockquote', 'br', 'caption', 'code', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre',
      's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
    ],
    allowedAttributes: { a: ['href', 'title', 'target', 'rel'], img: ['src', 'alt', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    transformTags: { a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }) },
    disallowedTagsMode: 'discard',
  }).slice(0, 500_000)
