/**
 * Runs one loopback fake in its own process, so a benchmark's client and server do not share a CPU
 * queue: `tsx bench/lib/fake-server.ts smtp|sendgrid|twilio`. Talks over IPC: sends `{ ready, port|url }`,
 * answers `'count'` with `{ count }` (messages or personalizations accepted).
 */
import { startSendGridFake } from '../../tests/fakes/sendgrid-fake'
import { startSmtpSink } from '../../tests/fakes/smtp-sink'
import { startTwilioFake } from '../../tests/fakes/twilio-fake'

const kind = process.argv[2]

const main = async () => {
  if (kind === 'twilio') {
    const fake = await startTwilioFake({ accountSid: process.env.TWILIO_ACCOUNT_SID, authToken: process.env.TWILIO_AUTH_TOKEN, record: false })
    process.on('message', (m) => m === 'count' && process.send!({ count: fake.accepted() }))
    process.send!({ ready: true, url: fake.url })
  } else if (kind === 'sendgrid') {
    const fake = await startSendGridFake({ apiKey: process.env.SENDGRID_API_KEY || 'SG.bench', record: false })
    process.on('message', (m) => m === 'count' && process.send!({ count: fake.accepted() }))
    process.send!({ ready: true, url: fake.url })
  } else {
    const sink = await startSmtpSink({ parse: false })
    let count = 0
    // Keep only the count and the addresses (SMTP_FAKE_TRACK=1: for the soak's duplicate check), not the messages.
    const track = process.env.SMTP_FAKE_TRACK === '1'
    const seen = new Set<string>()
    let duplicates = 0
    const drain = () => {
      count += sink.messages.length
      if (track) {
        for (const message of sink.messages) {
          for (const to of message.to) {
            if (seen.has(to)) duplicates += 1
            else seen.add(to)
          }
        }
      }
      sink.reset()
    }
    const timer = setInterval(drain, 200)
    timer.unref()
    process.on('message', (m) => {
      if (m !== 'count') return
      drain()
      process.send!({ count, duplicates, addresses: seen.size })
    })
    process.send!({ ready: true, port: sink.port })
  }
  process.on('disconnect', () => process.exit(0))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
