/**
 * Words for a failed recipient's `provider_code`, as the send pipeline and the webhook store it: SMTP
 * reply codes (`550`) and network codes (`ECONNREFUSED`) from the SMTP transport, HTTP statuses (`400`)
 * from SendGrid's API, SendGrid's enhanced status codes (`5.1.1`) from bounce events, else
 * `sendgrid:<event>` when the event gave none. `unknown` stands for a failure without a code.
 */
const EXACT: Record<string, string> = {
  unknown: 'No code recorded',
  'sendgrid:bounce': 'Bounced (SendGrid gave no status)',
  'sendgrid:dropped': 'Dropped by SendGrid (earlier bounce, unsubscribe or spam report)',
  'sendgrid:spamreport': 'Marked as spam by the recipient',
  '421': 'Mail server unavailable (421)',
  '450': 'Mailbox busy or unavailable (450)',
  '451': 'Mail server error, try later (451)',
  '452': 'Mail server out of storage (452)',
  '550': 'Mailbox unavailable or unknown (550)',
  '551': 'User not local (551)',
  '552': 'Mailbox full or message too large (552)',
  '553': 'Address not accepted (553)',
  '554': 'Message refused (554)',
  '400': 'Rejected by SendGrid: bad request (HTTP 400)',
  '401': 'SendGrid refused the API key (HTTP 401)',
  '403': 'SendGrid refused the API key (HTTP 403)',
  '413': 'Message too large for SendGrid (HTTP 413)',
  '429': 'Rate limited by the provider (429)',
  ECONNREFUSED: 'Mail server refused the connection',
  ECONNRESET: 'Connection to the mail server was reset',
  ETIMEDOUT: 'Mail server did not answer in time',
  ECONNABORTED: 'Provider did not answer in time',
  ENOTFOUND: 'Mail server host not found',
  EAUTH: 'Mail server refused the login',
  EENVELOPE: 'Mail server refused the sender or recipient',
  EMESSAGE: 'Message could not be built',
}

const ENHANCED: Record<string, string> = {
  '5.1.1': 'Mailbox does not exist',
  '5.1.2': 'Domain does not exist',
  '5.1.10': 'Address does not exist',
  '5.2.1': 'Mailbox disabled',
  '5.2.2': 'Mailbox full',
  '5.3.4': 'Message too large',
  '5.4.1': 'Recipient address rejected',
  '5.7.1': 'Rejected by the receiving server’s policy',
  '5.7.26': 'Failed sender authentication (SPF/DKIM/DMARC)',
}

export const failureReasonLabel = (code: string): string => {
  const exact = EXACT[code]
  if (exact) return exact
  const enhanced = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code)
  if (enhanced) {
    const known = ENHANCED[code]
    if (known) return `${known} (${code})`
    if (enhanced[1] === '4') return `Temporary failure (${code})`
    if (enhanced[2] === '7') return `Rejected by policy (${code})`
    return `Permanent failure (${code})`
  }
  if (/^5\d\d$/.test(code)) return `Server error (${code})`
  if (/^4\d\d$/.test(code)) return `Refused (${code})`
  if (/^E[A-Z]{3,}$/.test(code)) return `Network error (${code})`
  return `Other (${code})`
}
