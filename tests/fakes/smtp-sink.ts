import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'

export type SinkMessage = { from: string; to: string[]; raw: Buffer; parsed: ParsedMail; receivedAt: Date; user?: string }

/** Returns an SMTP reply to refuse a recipient (e.g. `{ code: 550, message: 'No such user' }`), or null to accept. */
export type RecipientRule = (address: string) => { code: number; message: string } | null

export type SmtpSink = {
  port: number
  messages: SinkMessage[]
  /** Resolves when at least `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<SinkMessage[]>
  setRecipientRule: (rule: RecipientRule | null) => void
  reset: () => void
  close: () => Promise<void>
}

/**
 * A real SMTP server on loopback that records every message it accepts, parsed. Tests can make it
 * refuse recipients with any SMTP code to exercise transient (4xx) and permanent (5xx) failures.
 */
/** With `auth`, only a client that logs in with that user and password may send (over plain SMTP, as a relay on loopback would allow). */
export const startSmtpSink = async (options: { parse?: boolean; delayMs?: number; auth?: { user: string; pass: string }; port?: number } = {}): Promise<SmtpSink> => {
  const messages: SinkMessage[] = []
  const waiters: { count: number; resolve: (m: SinkMessage[]) => void }[] = []
  let rule: RecipientRule | null = null
  const shouldParse = options.parse ?? true

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(messages.slice())
      }
    }
  }

  const auth = options.auth
  const server = new SMTPServer({
    authOptional: !auth,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(login, _session, callback) {
      if (auth && login.username === auth.user && login.password === auth.pass) return callback(null, { user: login.username })
      callback(new Error('Invalid username or password'))
    },
    logger: false,
    size: 30 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = rule?.(address.address)
      if (refusal) {
        const error = new Error(refusal.message) as Error & { responseCode: number }
        error.responseCode = refusal.code
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        const parsed = shouldParse ? await simpleParser(raw) : ({} as ParsedMail)
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed,
          receivedAt: new Date(),
          user: typeof session.user === 'string' ? session.user : undefined,
        })
        notify()
        // A slow server (the chaos test's): the reply to DATA comes late, after the message was received.
        if (options.delayMs) setTimeout(callback, options.delayMs)
        else callback()
      })
    },
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  // A client that dies mid-session (the chaos test kills workers) resets its connection: that is the
  // client's problem, not the server's.
  server.on('error', () => {})
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    port,
    messages,
    waitFor: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (messages.length >= count) return resolve(messages.slice())
        const timer = setTimeout(
          () => reject(new Error(`SMTP sink: expected ${count} messages, got ${messages.length} in ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiters.push({ count, resolve: (m) => (clearTimeout(timer), resolve(m)) })
      }),
    setRecipientRule: (next) => {
      rule = next
    },
    reset: () => {
      messages.length = 0
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
