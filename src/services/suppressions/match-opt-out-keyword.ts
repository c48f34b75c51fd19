/**
 * Classifies an inbound reply as an opt-out: `exact` → suppress automatically, `fuzzy` → review queue (never automatic),
 * `none` → an ordinary reply. Pure and linear in the reply's length; nothing keyword-dependent is cached between calls.
 *
 * Rules, in order (the first that applies wins):
 * - Keywords: the org's list for the channel; when it is null, empty or only blanks, `DEFAULT_OPT_OUT_KEYWORDS`.
 *   Matching is on words (letters and digits; apostrophes are dropped, so "don't" = "dont"; hyphens split words,
 *   so "opt-out" = "opt out"), case- and accent-insensitive. No regex is ever built from a keyword.
 * - Normalisation: zero-width and bidi characters removed, smart quotes straightened, NFKC (so full-width "ＳＴＯＰ"
 *   is "stop"), emoji removed, lower-cased, whitespace collapsed.
 * - Email replies are first cut to what the person wrote: lines quoted with `>` and "Sent from my …" footers are
 *   dropped; everything from an attribution line ("On <date>, <someone> wrote:", also wrapped over two lines, or any
 *   "… wrote:" followed by a quoted line), `-----Original Message-----`, a forwarded-message marker, an Outlook
 *   `_____` rule, a `From:` header block (followed by `Sent:`/`To:`/`Date:`/`Subject:`) or a `-- ` signature
 *   delimiter is discarded. A subject line passed along is treated as part of the text. SMS is taken whole.
 * - exact: the reply is exactly one keyword (a multi-word keyword: exactly that phrase) and nothing but punctuation,
 *   whitespace and emoji around it: "STOP", " stop. ", "'STOP'", "STOP 🛑". Anything else ("STOP please") is not exact.
 * - fuzzy, contains a keyword: a keyword appears as whole words among other words ("Please stop texting me").
 *   Words that merely contain a keyword (stopped, ending, quite, cancellation) never match.
 * - fuzzy, opt-out phrase (whatever the org configured): `OPT_OUT_PHRASES` anywhere — unsubscribe, opt out / optout /
 *   opt me out, revoke, remove me/us/my number/email/address/name, take me/us off, leave me alone, (no longer | not)
 *   interested, do not / don't + contact/text/message/email/mail/call, stop + texting/messaging/emailing/…, and
 *   no more + texts/messages/emails/mail/calls (a bare "no more" is too common: "no more questions"). In addition
 *   the standard SMS words stop, stopall, quit, end and cancel count as phrases anywhere in an SMS (so an org list
 *   that replaces the defaults never lets "STOP" go unseen), and in an email reply of at most 3 words ("Stop it").
 * - fuzzy, misspelling: a one-word reply within Damerau-Levenshtein distance 1 of a keyword of 4+ characters
 *   (distance 2 for 8+ characters): "STOPP", "Stpo", "unsubcribe". Real words one edit away from a default keyword
 *   ("quite", "step", "top", "subscribe" …) are exempt; keywords under 4 characters ("END") get no typo matching.
 * `reason` is one sentence for the reviewer quoting the normalised reply (an excerpt of at most 80 characters).
 */

type Channel = 'email' | 'sms'

export const DEFAULT_OPT_OUT_KEYWORDS: Record<Channel, readonly string[]> = {
  sms: Object.freeze(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']),
  email: Object.freeze(['unsubscribe']),
}

export type OptOutMatch = { kind: 'exact'; keyword: string } | { kind: 'fuzzy'; keyword: string; reason: string } | { kind: 'none' }

type Word = { key: string; start: number }
type Pattern = { keyword: string; display: string; keys: readonly string[] }

const EXCERPT_LENGTH = 80
const SHORT_EMAIL_REPLY_WORDS = 3

const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4]/g
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20E3\uFE0E\uFE0F\u{E0020}-\u{E007F}]/gu
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:'[\p{L}\p{N}\p{M}]+)*/gu
const NON_ASCII = /[\u0080-\u{10FFFF}]/u

const QUOTED_LINE = /^\s*>/
const MOBILE_FOOTER = /^\s*(?:sent from my\s.+|sent from (?:outlook|mail|yahoo mail|gmail)\b.*|get outlook for\s.+)$/i
const SIGNATURE = /^--\s*$/
const SEPARATOR = /^\s*(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}|_{10,}|begin forwarded message:)\s*$/i
const HEADER_FROM = /^\s*\*?from:\*?\s+\S/i
const HEADER_OTHER = /^\s*\*?(?:sent|to|date|subject|cc):\*?\s/i
const ATTRIBUTION_START = /^\s*(?:on|le|am)\s/i
const ATTRIBUTION_END = /(?:\swrote|\sa\s+écrit|\sschrieb\b.*)\s*:\s*$/i

/** Opt-out wording flagged for review whatever the org configured (both channels, anywhere in the reply). */
const OPT_OUT_PHRASES: readonly string[] = [
  'unsubscribe', 'opt out', 'optout', 'opt me out', 'revoke',
  'remove me', 'remove us', 'remove my number', 'remove my email', 'remove my address', 'remove my name',
  'take me off', 'take us off', 'leave me alone', 'not interested', 'no longer interested',
  ...['do not', "don't"].flatMap((no) => ['contact', 'text', 'message', 'email', 'mail', 'call'].map((verb) => `${no} ${verb}`)),
  ...['texting', 'messaging', 'emailing', 'mailing', 'contacting', 'sending', 'calling', 'spamming'].map((verb) => `stop ${verb}`),
  ...['texts', 'text', 'messages', 'emails', 'email', 'mail', 'calls'].map((noun) => `no more ${noun}`),
]

/** Standard SMS opt-out words: phrases anywhere in an SMS, and in an email reply of at most 3 words. */
const STANDARD_WORDS: readonly string[] = ['stop', 'stopall', 'quit', 'end', 'cancel']

/** Real words one edit away from a default keyword: a one-word reply of these is not a misspelling. */
const NEAR_MISS_WORDS = new Set([
  'quite', 'quiet', 'quiz', 'quid', 'suit', 'step', 'shop', 'stoop', 'stomp', 'top', 'atop', 'subscribe', 'resubscribe', 'cancer',
])

const normalise = (text: string): string =>
  text
    .replace(INVISIBLE, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .normalize('NFKC')
    .replace(EMOJI, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()

/** Comparison key of a word: apostrophes dropped, Latin diacritics folded ("arrêt" → "arret"). */
const toKey = (word: string): string => {
  const bare = word.replace(/'/g, '')
  return NON_ASCII.test(bare) ? bare.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC') : bare
}

const toWords = (normalised: string): Word[] => Array.from(normalised.matchAll(WORD), (match) => ({ key: toKey(match[0]), start: match.index }))

const toPattern = (keyword: string): Pattern | null => {
  const display = normalise(keyword)
  const keys = toWords(display).map((word) => word.key)
  return keys.length ? { keyword: keyword.trim().replace(/\s+/g, ' '), display, keys } : null
}

const indexByFirstKey = (patterns: readonly Pattern[]): Map<string, Pattern[]> => {
  const index = new Map<string, Pattern[]>()
  for (const pattern of patterns) {
    const first = pattern.keys[0] ?? ''
    const bucket = index.get(first)
    if (bucket) bucket.push(pattern)
    else index.set(first, [pattern])
  }
  // The longest pattern at a position wins ("stop all" before "stop").
  for (const bucket of index.values()) bucket.sort((a, b) => b.keys.length - a.keys.length)
  return index
}

const PHRASES_INDEX = indexByFirstKey(OPT_OUT_PHRASES.map(toPattern).filter((pattern) => pattern !== null))
const PHRASES_AND_WORDS_INDEX = indexByFirstKey([...OPT_OUT_PHRASES, ...STANDARD_WORDS].map(toPattern).filter((pattern) => pattern !== null))

const matchesAt = (words: readonly Word[], at: number, keys: readonly string[]): boolean =>
  keys.every((key, offset) => words[at + offset]?.key === key)

/** The first (leftmost, then longest) pattern that occurs in the words, with the index of its first word. */
const findFirst = (words: readonly Word[], index: Map<string, Pattern[]>): { pattern: Pattern; at: number } | null => {
  for (let at = 0; at < words.length; at++) {
    const candidates = index.get(words[at]?.key ?? '')
    const pattern = candidates?.find((candidate) => matchesAt(words, at, candidate.keys))
    if (pattern) return { pattern, at }
  }
  return null
}

/** Optimal-string-alignment Damerau-Levenshtein distance; returns `max + 1` as soon as it must exceed `max`. */
const editDistance = (a: string, b: string, max: number): number => {
  const s = Array.from(a)
  const t = Array.from(b)
  if (Math.abs(s.length - t.length) > max) return max + 1
  let before: number[] = []
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const row = [i]
    let rowMin = i
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let distance = Math.min((previous[j] ?? Infinity) + 1, (row[j - 1] ?? Infinity) + 1, (previous[j - 1] ?? Infinity) + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) distance = Math.min(distance, (before[j - 2] ?? Infinity) + 1)
      row.push(distance)
      rowMin = Math.min(rowMin, distance)
    }
    if (rowMin > max) return max + 1
    before = previous
    previous = row
  }
  return previous[t.length] ?? max + 1
}

/** At most EXCERPT_LENGTH characters of the normalised reply, around `at`, with "…" where it was cut. */
const excerpt = (text: string, at: number): string => {
  if (text.length <= EXCERPT_LENGTH) return text
  const start = Math.max(0, Math.min(at - 20, text.length - EXCERPT_LENGTH))
  const end = start + EXCERPT_LENGTH
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`
}

const startsQuotedPart = (lines: readonly string[], i: number): boolean => {
  const line = lines[i] ?? ''
  if (SIGNATURE.test(line) || SEPARATOR.test(line)) return true
  if (HEADER_FROM.test(line)) return lines.slice(i + 1, i + 5).some((next) => HEADER_OTHER.test(next))
  const next = lines[i + 1] ?? ''
  if (ATTRIBUTION_START.test(line) && (ATTRIBUTION_END.test(line) || (ATTRIBUTION_END.test(next) && !QUOTED_LINE.test(next)))) return true
  if (/\swrote:\s*$/i.test(line)) return QUOTED_LINE.test(lines.slice(i + 1).find((later) => later.trim() !== '') ?? '')
  return false
}

/** What the person wrote in an email reply: quoted history, forwarded headers, signature and mobile footers removed. */
const reduceEmailReply = (text: string): string => {
  const lines = text.split(/\r\n|\r|\n/)
  const kept: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (startsQuotedPart(lines, i)) break
    const line = lines[i] ?? ''
    if (!QUOTED_LINE.test(line) && !MOBILE_FOOTER.test(line)) kept.push(line)
  }
  return kept.join('\n')
}

const resolveKeywords = (keywords: readonly string[] | null | undefined, channel: Channel): Pattern[] => {
  const own = (keywords ?? []).filter((keyword) => typeof keyword === 'string').map(toPattern).filter((pattern) => pattern !== null)
  if (own.length) return own
  return DEFAULT_OPT_OUT_KEYWORDS[channel].map(toPattern).filter((pattern) => pattern !== null)
}

/** Whether an inbound reply opts out: see the rules at the top of this module. */
export const matchOptOutKeyword = ({
  text,
  channel,
  keywords,
}: {
  text: string
  channel: Channel
  keywords?: readonly string[] | null
}): OptOutMatch => {
  const normalised = normalise(channel === 'email' ? reduceEmailReply(text) : text)
  const words = toWords(normalised)
  if (!words.length) return { kind: 'none' }
  const configured = resolveKeywords(keywords, channel)

  const exact = configured.find((pattern) => pattern.keys.length === words.length && matchesAt(words, 0, pattern.keys))
  if (exact) return { kind: 'exact', keyword: exact.keyword }

  const contained = findFirst(words, indexByFirstKey(configured))
  if (contained) {
    const quote = excerpt(normalised, words[contained.at]?.start ?? 0)
    const reason = `Reply contains "${contained.pattern.display}" among other words: "${quote}"`
    return { kind: 'fuzzy', keyword: contained.pattern.keyword, reason }
  }

  const withStandardWords = channel === 'sms' || words.length <= SHORT_EMAIL_REPLY_WORDS
  const phrase = findFirst(words, withStandardWords ? PHRASES_AND_WORDS_INDEX : PHRASES_INDEX)
  if (phrase) {
    const quote = excerpt(normalised, words[phrase.at]?.start ?? 0)
    return { kind: 'fuzzy', keyword: phrase.pattern.keyword, reason: `Reply contains the opt-out phrase "${phrase.pattern.display}": "${quote}"` }
  }

  const only = words.length === 1 ? words[0]?.key : undefined
  if (only && !NEAR_MISS_WORDS.has(only)) {
    let best: { pattern: Pattern; distance: number } | null = null
    for (const pattern of configured) {
      const target = pattern.keys.join(' ')
      const length = Array.from(target).length
      if (length < 4) continue
      const max = length >= 8 ? 2 : 1
      const distance = editDistance(only, target, max)
      if (distance <= max && (!best || distance < best.distance)) best = { pattern, distance }
    }
    if (best) {
      const reason = `Reply "${excerpt(normalised, 0)}" looks like a misspelling of "${best.pattern.display}"`
      return { kind: 'fuzzy', keyword: best.pattern.keyword, reason }
    }
  }

  return { kind: 'none' }
}
