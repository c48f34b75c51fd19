/** A grey 1×1 image standing in for a remote one. */
const PLACEHOLDER = 'data:image/gif;base64,R0lGODlhAQABAIAAAMzMzAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=='

const REMOTE_SRC = /(<(?:img|source|image|video|audio|input)\b[^>]*?\s(?:src|srcset|poster|xlink:href|href))\s*=\s*(["'])\s*(?:https?:)?\/\/[^"']*\2/gi
const REMOTE_URL = /url\(\s*(["']?)\s*(?:https?:)?\/\/[^)"']*\1\s*\)/gi
const REMOTE_LINK = /<link\b[^>]*>/gi

/**
 * The preview's HTML without anything it would fetch from another host (images, backgrounds,
 * stylesheets): the admin makes no request to a third party (a tracking pixel would learn that an
 * editor looked), and its Content-Security-Policy would refuse them anyway. Returns the HTML and how many
 * remote references were held back, so the preview can say so. For display in a sandboxed frame only.
 */
export const withoutRemoteContent = (html: string): { html: string; held: number } => {
  let held = 0
  const safe = html
    .replace(REMOTE_SRC, (_match, start: string, quote: string) => {
      held += 1
      return `${start}=${quote}${PLACEHOLDER}${quote}`
    })
    .replace(REMOTE_URL, () => {
      held += 1
      return 'none'
    })
    .replace(REMOTE_LINK, (tag) => {
      if (!/href\s*=\s*["']?\s*(?:https?:)?\/\//i.test(tag)) return tag
      held += 1
      return ''
    })
  return { html: safe, held }
}
