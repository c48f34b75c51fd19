import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

import { describe, expect, it } from 'vitest'

import { getTestPayload } from './helpers/app'

const run = promisify(execFile)

const seedDefault = async () => {
  const { stdout } = await run('node_modules/.bin/tsx', ['src/seed/cli.ts', 'default'], {
    env: { ...process.env, NODE_OPTIONS: '--no-deprecation --conditions=development' },
    timeout: 60_000,
  })
  return stdout
}

describe('npm run seed:default', () => {
  it('run twice: the second run creates nothing and changes nothing', async () => {
    const payload = await getTestPayload()
    const org = await payload.create({ collection: 'organizations', data: { name: 'Seedless Org', slug: `seedless-${Date.now()}` } })
    // an org whose default was removed gets a new one; edited defaults elsewhere are kept
    await payload.delete({ collection: 'email-templates', where: { org: { equals: org.id } } })

    const first = await seedDefault()
    expect(first).toMatch(/created\s+default template of Seedless Org/)
    const snapshot = async () =>
      (await payload.find({ collection: 'email-templates', pagination: false, sort: 'id', depth: 0 })).docs.map((d) => JSON.stringify(d))
    const before = await snapshot()

    const second = await seedDefault()
    expect(second).not.toMatch(/^created/m)
    expect(second).toMatch(/kept\s+default template of Seedless Org/)
    expect(await snapshot()).toEqual(before)
  })
})
