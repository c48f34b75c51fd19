import addressparser from 'nodemailer/lib/addressparser'
import { simpleParser } from 'mailparser'

import type { InboundPost } from './parse-inbound-post'

export type InboundEmail = {
  mode: 'parsed' | 'raw'
  messageID: null | string
  inReplyTo: null | string
  references: string[]
  from: { address: string; name: string } | null
  /** Every recipient address (To, Cc and the envelope), lower case. */
  recipients: string[]
  subject: string
  text: string
  html: null | string
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>
  attachments: { filename: string; contentType: string; size: number; inline: boolean; content: Buffer }[]
}

const decode = (bytes: Buffer | undefined, charset: string | undefined): string => {
  if (!bytes) return ''
  try {
    return new TextDecoder(charset?.trim() || 'utf-8').decode(bytes)
  } catch {
    // A charset name TextDecoder does not know: UTF-8, with replacement characters where it does not fit.
    return new TextDecoder('utf-8').decode(bytes)
  }
}

/** A header block (`Name: value` lines, folded lines continued) as a map, names in lower case. */
export const parseHeaderBlock = (block: string): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] ? `${headers[name]}, ${value}` : value
  }
  return headers
}

const addresses = (value: string | undefined): { address: string; name: string }[] =>
  value
    ? (addressparser(value, { flatten: true }) as { address?: string; name?: string }[])
        .filter((a) => a.address)
        .map((a) => ({ address: a.address!.trim().toLowerCase(), name: (a.name ?? '').trim() }))
    : []

const messageIDs = (value: string | undefined): string[] => (value ? (value.match(/<[^<>\s]{1,900}>/g) ?? []) : [])

/**
 * An inbound post (SendGrid Inbound Parse) as one email, the same whichever mode it came in:
 * - parsed mode: the fields `from`, `to`, `cc`, `subject`, `text`, `html`, `headers`, `envelope`,
 *   each decoded with the charset `charsets` names for it, and the attachment files;
 * - raw mode: the `email` field, the whole MIME message, read by mailparser (charsets, encodings,
 *   inline parts).
 */
export const normalizeInboundEmail = async (post: InboundPost): Promise<InboundEmail> => {
  const raw = post.fields.get('email')
  let envelopeTo: string[] = []
  const envelope = post.fields.get('envelope')
  if (envelope) {
    try {
      const parsed = JSON.parse(envelope.toString('utf8')) as { to?: unknown }
      if (Array.isArray(parsed.to)) envelopeTo = parsed.to.filter((a): a is string => typeof a === 'string').map((a) => a.trim().toLowerCase())
    } catch {
      // an unreadable envelope adds nothing
    }
  }
  if (raw) {
    const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true })
    const headers: Record<string, string> = {}
    for (const line of mail.headerLines) {
      const colon = line.line.indexOf(':')
      const value = line.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim()
      headers[line.key] = headers[line.key] ? `${headers[line.key]}, ${value}` : value
    }
    const listOf = (field: unknown) => (Array.isArray(field) ? field : field ? [field] : []) as { value: { address?: string; name?: string }[] }[]
    const from = mail.from?.value[0]
    return {
      mode: 'raw',
      messageID: mail.messageId ?? null,
      inReplyTo: mail.inReplyTo ?? null,
      references: typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []),
      from: from?.address ? { address: from.address.toLowerCase(), name: from.name ?? '' } : null,
      recipients: [...new Set([...[...listOf(mail.to), ...listOf(mail.cc)].flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean), ...envelopeTo])],
      subject: mail.subject ?? '',
      text: mail.text ?? '',
      html: typeof mail.html === 'string' ? mail.html : null,
      headers,
      attachments: mail.attachments.map((a) => ({ filename: a.filename ?? 'attachment', contentType: a.contentType, size: a.size, inline: a.contentDisposition === 'inline', content: a.content })),
    }
  }
  let charsets: Record<string, string> = {}
  try {
    charsets = JSON.parse(post.fields.get('charsets')?.toString('utf8') ?? '{}') as Record<string, string>
  } catch {
    charsets = {}
  }
  const field = (name: string) => decode(post.fields.get(name), charsets[name])
  const headers = parseHeaderBlock(field('headers'))
  const from = addresses(field('from') || headers.from)[0] ?? null
  const recipients = [...addresses(field('to') || headers.to), ...addresses(field('cc') || headers.cc)].map((a) => a.address)
  const html = field('html')
  return {
    mode: 'parsed',
    messageID: messageIDs(headers['message-id'])[0] ?? null,
    inReplyTo: messageIDs(headers['in-reply-to'])[0] ?? null,
    references: messageIDs(headers.references),
    from,
    recipients: [...new Set([...recipients, ...envelopeTo])],
    subject: field('subject'),
    text: field('text'),
    html: html || null,
    headers,
    attachments: post.files.map((file) => ({ filename: file.filename, contentType: file.mimeType, size: file.data.length, inline: false, content: file.data })),
  }
}

/**
 * Why an email is no reply from a person (auto-replies, bounces, lists, our own mail), or null.
 * RFC 3834 Auto-Submitted, the common X-Autoreply/X-Autorespond, Precedence bulk/junk/list, delivery
 * reports (multipart/report) and mailer daemons, and messages we sent (our X-Outpost-Recipient header).
 */
export const automatedReason = (email: InboundEmail): null | string => {
  const h = email.headers
  if (h['auto-submitted'] && h['auto-submitted'].toLowerCase() !== 'no') return `An automatic message (Auto-Submitted: ${h['auto-submitted'].slice(0, 40)}).`
  if (h['x-autoreply'] || h['x-autorespond'] || h['x-auto-response-suppress']?.toLowerCase().includes('all')) return 'An automatic reply (X-Autoreply).'
  if (/^(bulk|junk|list)$/i.test(h.precedence ?? '')) return `A bulk or list message (Precedence: ${h.precedence}).`
  if (/multipart\/report/i.test(h['content-type'] ?? '') || /^(mailer-daemon|postmaster)@/i.test(email.from?.address ?? '')) return 'A delivery report (bounce).'
  if (h['x-outpost-recipient']) return 'Our own outgoing message came back.'
  return null
}
