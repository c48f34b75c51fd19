import nodemailer from 'nodemailer'

import { EmailSendError, type EmailTransport, type OutgoingEmail, type SmtpSettings } from './types'

const describeSmtpError = (error: { code?: string; message?: string; responseCode?: number; response?: string }): EmailSendError => {
  const code = error.responseCode ? String(error.responseCode) : (error.code ?? null)
  if (error.responseCode && error.responseCode >= 500) {
    return new EmailSendError(`The mail server refused the message permanently (${error.response ?? error.message}).`, 'permanent', code)
  }
  if (error.responseCode && error.responseCode >= 400) {
    return new EmailSendError(`The mail server asked to try again later (${error.response ?? error.message}).`, 'transient', code)
  }
  return new EmailSendError(`Could not reach the mail server: ${error.message ?? 'unknown error'}.`, 'transient', code)
}

/** SMTP through nodemailer's pooled transport. */
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
  })
  return {
    kind: 'smtp',
    send: async (message: OutgoingEmail) => {
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
        })
        return { providerMessageID: info.messageId ?? null }
      } catch (error) {
        throw describeSmtpError(error as Parameters<typeof describeSmtpError>[0])
      }
    },
    close: async () => transporter.close(),
  }
}
