import net from 'node:net'

import nodemailer from 'nodemailer'

import { applySubstitutions } from './apply-substitutions'
import { OutboundRefused, type OutboundPolicy, resolveOutboundAddress } from '../outbound/outbound-policy'
import {
  type BatchResult,
  EmailSendError,
  type EmailTransport,
  type OutgoingEmail,
  type SmtpSettings,
} from './types'

type SmtpError = { code?: string; message?: string; responseCode?: number; response?: string; command?: string }

/** What an enhanced status code (RFC 3463) says, in words; the server's own text is never shown. */
const ENHANCED: [RegExp, string][] = [
  [/^5\.1\.1$/, 'the mailbox does not exist'],
  [/^5\.1\.[0-9]+$/, 'the address is not valid'],
  [/^[45]\.2\.1$/, 'the mailbox is disabled'],
  [/^[45]\.2\.2$/, 'the mailbox is full'],
  [/^[45]\.2\.[0-9]+$/, 'the mailbox cannot take mail now'],
  [/^[45]\.3\.4$/, 'the message is too large'],
  [/^[45]\.4\.[0-9]+$/, 'there was a network or routing problem'],
  [/^[45]\.7\.[0-9]+$/, 'it was refused by the receiving side’s policy (authentication, reputation or content)'],
]

const enhancedOf = (error: SmtpError): null | string => /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(error.response ?? '')?.[1] ?? null
const meaning = (enhanced: null | string) => (enhanced ? ENHANCED.find(([pattern]) => pattern.test(enhanced))?.[1] : undefined)

/**
 * Refused for the address itself, a hard bounce whose address is then suppressed: a 5xx whose enhanced
 * status says so (5.1.x: no such mailbox, bad domain or syntax; 5.2.1: mailbox disabled). A refusal
 * without that status, even at RCPT TO, may be about the sender or the relay ("550 5.7.1 relaying
 * denied" would otherwise suppress a whole list over one configuration mistake): it fails, no more.
 */
const isRecipientRejection = (error: SmtpError, enhanced: null | string) => (error.responseCode ?? 0) >= 500 && /^5\.(1\.\d+|2\.1)$/.test(enhanced ?? '')

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'The mail server refused the connection',
  ECONNRESET: 'The mail server closed the connection',
  ETIMEDOUT: 'The mail server did not answer in time',
  ENOTFOUND: 'The mail server’s name could not be resolved',
  EAI_AGAIN: 'The mail server’s name could not be resolved',
  EHOSTUNREACH: 'The mail server cannot be reached',
  ENETUNREACH: 'The mail server cannot be reached',
  ETLS: 'The secure (TLS) connection to the mail server failed',
  EPROTOCOL: 'The server did not answer like a mail server',
  EAUTH: 'The mail server did not accept the user name or password',
  ESOCKET: 'The connection to the mail server failed',
  ECONNECTION: 'The connection to the mail server failed',
}

/**
 * A sentence and a code for an SMTP failure. The remote server's own words (its greeting, its reply
 * text) are never repeated: an org can point the SMTP host anywhere, and the answer would let it read
 * whatever a service on that address says. Reply codes and enhanced status codes are kept.
 */
export const describeSmtpError = (error: SmtpError): EmailSendError => {
  // nodemailer files every socket failure under ESOCKET, this one included: the class tells it apart.
  if (error instanceof OutboundRefused) return new EmailSendError(error.message, 'permanent', OutboundRefused.CODE, false, true)
  const enhanced = enhancedOf(error)
  const code = error.responseCode ? [String(error.responseCode), enhanced].filter(Boolean).join(' ') : null
  const why = meaning(enhanced)
  if (error.code === 'EAUTH') return new EmailSendError(`${NETWORK.EAUTH} (${code ?? 'EAUTH'}).`, 'permanent', code ?? 'EAUTH', false, true)
  if (error.responseCode && error.responseCode >= 500) {
    return new EmailSendError(
      `The mail server refused the message permanently${why ? `: ${why}` : ''} (${code}).`,
      'permanent',
      code,
      isRecipientRejection(error, enhanced),
    )
  }
  if (error.responseCode && error.responseCode >= 400) {
    return new EmailSendError(`The mail server asked to try again later${why ? `: ${why}` : ''} (${code}).`, 'transient', code)
  }
  // nodemailer files socket failures under ESOCKET; the system code (ECONNREFUSED, ...) is in the message.
  const systemCode = /\bE[A-Z_]{4,}\b/.exec(error.message ?? '')?.[0]
  const networkCode = (systemCode && NETWORK[systemCode] ? systemCode : null) ?? (error.code && NETWORK[error.code] ? error.code : null) ?? systemCode ?? error.code ?? 'ESOCKET'
  const sentence = NETWORK[networkCode] ?? 'Could not reach the mail server'
  return new EmailSendError(`${sentence} (${networkCode}).`, 'transient', networkCode)
}

// Every wait ends well inside a send's 60-second lease, so a slow or silent server gives a transient
// error (retried) rather than an expired lease (unknown, for a person to decide).
const CONNECTION_TIMEOUT_MS = 20_000
const GREETING_TIMEOUT_MS = 20_000
const SOCKET_TIMEOUT_MS = 40_000

type SocketOptions = { connection: net.Socket; secured?: boolean }
type SocketCallback = (error: Error | null, socketOptions?: SocketOptions) => void

/**
 * nodemailer's `getSocket` hook: opens the TCP connection itself so it can set TCP_NODELAY. Without
 * it every message stalls on delayed ACK (about 45 ms each on Linux loopback), because nodemailer
 * writes small commands that Nagle holds back until the previous segment is acknowledged.
 *
 * nodemailer treats `{ connection }` as an already open socket (it starts reading the greeting at
 * once), so the callback fires only after 'connect'. `secured` is left unset: for `secure` (implicit
 * TLS) nodemailer upgrades the plain socket itself, with its TLS options and SNI, before the
 * greeting; STARTTLS later wraps the same TCP socket the same way, so NODELAY holds in every case.
 *
 * A failed connect is not passed to the callback as an error: nodemailer 7's pool then fails the
 * message but never frees the connection slot, so after `maxConnections` failures every later
 * message waits forever. Instead nodemailer gets a stand-in socket that fails with the connect
 * error, which goes through its own socket-error path: the message fails and the slot is freed.
 */
/**
 * Fails a connection attempt through nodemailer's own socket-error path: it gets a stand-in socket that
 * errors at once (see connectWithNoDelay for why the callback must not get the error itself).
 */
const failConnection = (error: Error, callback: SocketCallback) => {
  const standIn = new net.Socket()
  // nodemailer attaches its own error handler inside the callback; this one only makes sure a
  // stand-in nobody listens to can never crash the process.
  standIn.on('error', () => {})
  // `secured` keeps nodemailer from starting a TLS handshake on the stand-in.
  callback(null, { connection: standIn, secured: true })
  standIn.destroy(error)
}

export const connectWithNoDelay = (
  options: { host?: string; port?: number; secure?: boolean; connectionTimeout?: number },
  callback: SocketCallback,
) => {
  const host = options.host || 'localhost'
  const port = Number(options.port) || (options.secure ? 465 : 587)
  let settled = false
  const socket = net.connect({ host, port })
  const finish = (error: Error | null) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    socket.removeListener('error', finish)
    if (!error) return callback(null, { connection: socket })
    socket.destroy()
    failConnection(error, callback)
  }
  const timer = setTimeout(
    () => finish(Object.assign(new Error(`connecting to ${host}:${port} timed out (ETIMEDOUT)`), { code: 'ETIMEDOUT' })),
    options.connectionTimeout || CONNECTION_TIMEOUT_MS,
  )
  socket.once('error', finish)
  socket.once('connect', () => {
    socket.setNoDelay(true)
    socket.setKeepAlive(true)
    finish(null)
  })
}

/**
 * connectWithNoDelay to the address the outbound policy checked (the host is resolved once, every
 * address checked, and the connection goes to that address: no second lookup to rebind). TLS still
 * names and verifies the host, since nodemailer keeps its own `host` for SNI and the certificate.
 */
export const connectChecked =
  (policy: OutboundPolicy) =>
  (options: { host?: string; port?: number; secure?: boolean; connectionTimeout?: number }, callback: SocketCallback) => {
    resolveOutboundAddress(options.host || 'localhost', policy).then(
      (address) => connectWithNoDelay({ ...options, host: address }, callback),
      (error: Error) => failConnection(error, callback),
    )
  }

const NON_ASCII = /[^\x00-\x7F]/
const isAscii = (value: string) => !NON_ASCII.test(value)

/** SMTP through nodemailer's pooled transport, with TCP_NODELAY on every pooled connection. */
export const createSmtpTransport = (settings: SmtpSettings): EmailTransport => {
  const transporter = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ignoreTLS: !settings.secure && (settings.host === '127.0.0.1' || settings.host === 'localhost'),
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    pool: true,
    maxConnections: settings.pool?.maxConnections ?? 5,
    maxMessages: Infinity,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // An org's own host goes through the outbound policy; the operator's SMTP_* server is trusted.
    getSocket: settings.outbound ? connectChecked(settings.outbound) : connectWithNoDelay,
  })

  const send = async (original: OutgoingEmail) => {
    const message = applySubstitutions(original)
    try {
      const info = await transporter.sendMail({
        from: message.from.name ? { name: message.from.name, address: message.from.address } : message.from.address,
        to: message.to,
        replyTo: message.replyTo,
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers: message.headers,
        attachments: message.attachments,
        // nodemailer otherwise counts Latin and non-Latin characters of every part (two regex scans
        // with match arrays) to choose an encoding; plain ASCII is always quoted-printable.
        textEncoding: isAscii(message.html) && isAscii(message.text) ? 'quoted-printable' : undefined,
      })
      return { providerMessageID: info.messageId ?? null }
    } catch (error) {
      throw describeSmtpError(error as SmtpError)
    }
  }

  return {
    kind: 'smtp',
    // One message per pooled connection is on the wire at a time.
    maxInFlight: settings.pool?.maxConnections ?? 5,
    send,
    /** Every message is queued on the pool at once; the pool spreads them over its connections. */
    sendBatch: (messages) =>
      Promise.all(
        messages.map(async (message): Promise<BatchResult> => {
          try {
            return { ok: true, ...(await send(message)) }
          } catch (error) {
            return {
              ok: false,
              error: error instanceof EmailSendError ? error : describeSmtpError(error as SmtpError),
            }
          }
        }),
      ),
    close: async () => transporter.close(),
  }
}
