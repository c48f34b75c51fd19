import { nodemailerAdapter } from '@payloadcms/email-nodemailer'
import type { EmailAdapter } from 'payload'

import { smtpSettingsFromEnv } from '.'

/**
 * Payload's own mail (password resets, alerts) goes through SMTP_* when SMTP_HOST is set; without it
 * Payload prints outgoing mail to the log, which is what a newcomer on `npm run dev` wants.
 */
export const emailAdapter = (env: Record<string, string | undefined> = process.env): EmailAdapter | Promise<EmailAdapter> | undefined => {
  const smtp = smtpSettingsFromEnv(env)
  if (!smtp) return undefined
  return nodemailerAdapter({
    defaultFromAddress: env.SMTP_FROM_ADDRESS || 'outpost@localhost',
    defaultFromName: env.SMTP_FROM_NAME || 'Outpost',
    skipVerify: true,
    transportOptions: {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    },
  })
}
