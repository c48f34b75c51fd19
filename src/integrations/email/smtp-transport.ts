import net from 'node:net'

import nodemailer from 'nodemailer'

import { applySubstitutions } from './apply-substitutions'
import {
  type BatchResult,
  EmailSendError,
  type EmailTransport,
  type OutgoingEmail,
  type SmtpSettings,
} from './types'

type SmtpError = { code?: string; message?: string; responseCode?: number; response?: string }

const describeSmtpError = (error: SmtpError): EmailSendError => {
  const code = error.responseCode ? String(error.responseCode) : (error.code ?? null)
  if (error.responseCode && error.responseCode >= 500) {
    return new EmailSendError(`The mail server refused the message permanently (${error.response ?? error.message}).`, 'permanent', code)
  }
  if (error.responseCode && error.responseCode >= 400) {
    return new EmailSendError(`The mail server asked to try again later (${error.response ?? error.message}).`, 'transient', code)
  }
  // nodemailer files socket failures under ESOCKET; the system code (ECONNREFUSED, ...) is in the message.
  const message = error.message ?? 'unknown error'
  const networkCode = /\bE[A-Z]{4,}\b/.exec(message)?.[0] ?? code
  return new EmailSendError(
    `Could not reach the mail server: ${message}${networkCode && !message.includes(networkCode) ? ` (${networkCode})` : ''}.`,
    'transient',
    networkCode,
  )
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
    const standIn = new net.Socket()
    // nodemailer attaches its own error handler inside the callback; this one only makes sure a
    // stand-in nobody listens to can never crash the process.
    standIn.on('error', () => {})
    // `secured` keeps nodemailer from starting a TLS handshake on the stand-in.
    callback(null, { connection: standIn, secured: true })
    standIn.destroy(error)
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
    getSocket: connectWithNoDelay,
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
