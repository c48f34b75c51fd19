/**
 * `npm run seed:demo` / `npm run seed:default`: run a seeder against the configured database
 * (DATABASE_URL, else the embedded one; if `npm run dev` already owns it, we connect to that).
 */
import config from '@payload-config'
import { getPayload } from 'payload'

import { ensureDefaultTemplates } from '@/services/templates/ensure-default-template'

import { formatDemoLogins, seedDemo } from './seed-demo'

const seeders: Record<string, () => Promise<void>> = {
  demo: async () => {
    const payload = await getPayload({ config })
    const report = await seedDemo(payload)
    for (const line of report.created) console.log(`created  ${line}`)
    for (const line of report.existing) console.log(`kept     ${line}`)
    console.log(`\n${formatDemoLogins()}`)
  },
  default: async () => {
    const payload = await getPayload({ config })
    for (const { org, outcome } of await ensureDefaultTemplates(payload)) {
      console.log(`${outcome === 'created' ? 'created' : 'kept   '}  default template of ${org}`)
    }
  },
}

const name = process.argv[2] ?? ''
const run = seeders[name]
if (!run) {
  console.error(`Unknown seeder "${name}". Known: ${Object.keys(seeders).join(', ')}`)
  process.exit(2)
}
run()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
