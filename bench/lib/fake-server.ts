/**
 * Runs one loopback fake in its own process, so a benchmark's client and server do not share a CPU
 * queue: `tsx bench/lib/fake-server.ts smtp|sendgrid`. Talks over IPC: sends `{ ready, port|url }`,
 * answers `'count'` with `{ count }` (messages or personalizations accepted).
 */
import { startSendGridFake } from '../../tests/fakes/sendgrid-fake'
import { startSmtpSink } from '../../tests/fakes/smtp-sink'

const kind = process.argv[2]

const main = async () => {
  if (kind === 'sendgrid') {
    const fake = await startSendGridFake({ apiKey: process.env.SENDGRID_API_KEY || 'SG.bench', record: false })
    process.on('message', (m) => m === 'count' && process.send!({ count: fake.accepted() }))
    process.send!({ ready: true, url: fake.url })
  } else {
    const sink = await startSmtpSink({ parse: false })
    let count = 0
    // Keep only the count: a benchmark sink must not grow with every message.
    const timer = setInterval(() => {
      count += sink.messages.length
      sink.reset()
    }, 200)
    timer.unref()
    process.on('message', (m) => m === 'count' && process.send!({ count: count + sink.messages.length }))
    process.send!({ ready: true, port: sink.port })
  }
  process.on('disconnect', () => process.exit(0))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
