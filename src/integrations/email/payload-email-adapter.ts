import { nodemailerAdapter } from '@payloadcms/email-nodemailer'
import type { EmailAdapter } from 'payload'

/**
 * Payload's own mail (password resets, alerts) goes through SMTP_* when SMTP_HOST is set; without it
 * Payload prints outgoing mail to the log, which is what a newcomer on `npm run dev` wants.
 */
export const emailAdapter = (env: Record<string, string | undefined> = process.env): EmailAdapter | Promise<EmailAdapter> | undefined => {
  if (!env.SMTP_HOST) return undefined
  const fromAddress = env.SMTP_FROM_ADDRESS || 'outpost@localhost'
  return nodemailerAdapter({
    defaultFromAddress: fromAddress,
    defaultFromName: env.SMTP_FROM_NAME || 'Outpost',
    skipVerify: true,
    transportOptions: {
      host: env.SMTP_HOST,
      port: Number(env.SMTP_PORT || 587),
      secure: env.SMTP_SECURE === 'true',
      auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD } : undefined,
    },
  })
}
