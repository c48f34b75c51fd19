import { formatNames, type CollectionSlug, type Field, type Payload, type SanitizedCollectionConfig, type TypedUser } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, type ApiResponse, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeMedia, makeUser, unique } from './helpers/fixtures'

/**
 * Tenant isolation proven from the configuration itself. The test walks every collection and global
 * of the running config (ours, and those Payload and its plugins add: locked documents, preferences,
 * jobs, key-value store, migrations, version tables) and every relationship and upload field, and
 * shows that an admin of Other Org can neither read, list, count, create, update, delete nor
 * reference Demo Org's documents: through REST, GraphQL and the Local API with `user` and
 * `overrideAccess: false`.
 *
 * A collection added later needs a victim fixture below, and this test fails until it has one: the
 * fixture is where its author decides how it belongs to an organisation.
 */

type Doc = Record<string, unknown> & { id: number }
type Victim = {
  /** A document of Demo Org (made by the system). */
  make: () => Promise<Doc>
  /** A harmless change to try on it. */
  patch: Record<string, unknown>
  /** GraphQL input for the same change (GraphQL literal syntax). */
  gqlPatch?: string
  /** Data that would create a document in Demo Org (or naming Demo Org's documents). */
  create: () => Promise<Record<string, unknown>>
  /** True when a created document, though the request succeeded, belongs to the attacker alone. */
  createdIsHarmless?: (doc: Doc) => boolean
  /** A document of the attacker's own org that the attacker may update (to try references from). */
  own?: () => Promise<Doc>
}

const payload: Payload = await getTestPayload()
let demo: number
let other: number
let attacker: ApiClient
let attackerUser: TypedUser
let demoAdminID: number
let demoTemplateID: number
let otherTemplateID: number
const victims = new Map<string, Doc>()

const system = { overrideAccess: true as const, depth: 0 }
const asAttacker = () => ({ user: attackerUser, overrideAccess: false as const, depth: 0 })

const demoTemplate = () => demoTemplateID
const demoConversation = () =>
  payload.create({ collection: 'conversations', data: { org: demo, title: 'A Demo sender', address: `+1415555${String(Math.floor(1000 + Math.random() * 8999))}`, status: 'open' }, ...system })
const job = (org: number, template: number) =>
  payload.create({ collection: 'email-jobs', data: { org, name: unique('job'), template } as never, ...system }) as Promise<unknown> as Promise<Doc>

/** One Demo Org document per collection: the victims. Every collection in the config must be here. */
const VICTIMS: Record<string, Victim> = {
  organizations: {
    make: async () => (await payload.findByID({ collection: 'organizations', id: demo, ...system })) as unknown as Doc,
    patch: { name: 'Pwned Org' },
    gqlPatch: 'name: "Pwned Org"',
    create: async () => ({ name: 'Sneaky Org', slug: unique('sneaky') }),
  },
  users: {
    make: async () => (await makeUser(payload, [{ org: demo, roles: ['sender'] }])) as unknown as Doc,
    patch: { name: 'Pwned' },
    gqlPatch: 'name: "Pwned"',
    create: async () => ({ email: `${unique('intruder')}@example.test`, password: 'intruder-password-1', orgs: [{ org: demo, roles: ['admin'] }] }),
    own: async () => (await makeUser(payload, [{ org: other, roles: ['viewer'] }])) as unknown as Doc,
  },
  contacts: {
    make: async () => (await makeContact(payload, demo)) as unknown as Doc,
    patch: { firstName: 'Pwned' },
    gqlPatch: 'firstName: "Pwned"',
    create: async () => ({ email: `${unique('x')}@example.com`, org: demo }),
    own: async () => (await makeContact(payload, other)) as unknown as Doc,
  },
  'email-templates': {
    make: async () =>
      (await payload.create({
        collection: 'email-templates',
        data: { org: demo, name: unique('tpl'), subject: 'S', html: '<p>{{unsubscribe_link}}</p>', status: 'draft' },
        ...system,
      })) as unknown as Doc,
    patch: { name: 'Pwned' },
    gqlPatch: 'name: "Pwned"',
    create: async () => ({ org: demo, name: unique('tpl'), subject: 'S', html: '<p>{{unsubscribe_link}}</p>' }),
    own: async () =>
      (await payload.create({
        collection: 'email-templates',
        data: { org: other, name: unique('tpl'), subject: 'S', html: '<p>{{unsubscribe_link}}</p>', status: 'draft' },
        ...system,
      })) as unknown as Doc,
  },
  'email-jobs': {
    make: () => job(demo, demoTemplate()),
    patch: { name: 'Pwned' },
    gqlPatch: 'name: "Pwned"',
    create: async () => ({ org: demo, name: unique('job'), template: demoTemplate() }),
    own: () => job(other, otherTemplateID),
  },
  segments: {
    make: async () => (await payload.create({ collection: 'segments', data: { org: demo, name: unique('seg'), rules: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['vip'] }] } }, ...system })) as unknown as Doc,
    patch: { name: 'Pwned' },
    gqlPatch: 'name: "Pwned"',
    create: async () => ({ org: demo, name: unique('seg'), rules: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['vip'] }] } }),
    own: async () => (await payload.create({ collection: 'segments', data: { org: other, name: unique('seg'), rules: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['vip'] }] } }, ...system })) as unknown as Doc,
  },
  imports: {
    make: async () => (await payload.create({ collection: 'imports', data: { org: demo, fileName: 'demo-contacts.csv', status: 'uploaded' }, context: { importUpload: true }, ...system })) as unknown as Doc,
    patch: { fileName: 'pwned.csv' },
    gqlPatch: 'fileName: "pwned.csv"',
    create: async () => ({ org: demo, fileName: 'sneaky.csv' }),
    own: async () => (await payload.create({ collection: 'imports', data: { org: other, fileName: 'own.csv', status: 'uploaded' }, context: { importUpload: true }, ...system })) as unknown as Doc,
  },
  exports: {
    make: async () => (await payload.create({ collection: 'exports', data: { org: demo, source: { kind: 'contacts' }, status: 'queued' }, ...system })) as unknown as Doc,
    patch: { fileName: 'pwned.csv' },
    gqlPatch: 'fileName: "pwned.csv"',
    create: async () => ({ org: demo, source: { kind: 'contacts' } }),
    own: async () => (await payload.create({ collection: 'exports', data: { org: other, source: { kind: 'contacts' }, status: 'queued' }, ...system })) as unknown as Doc,
  },
  'email-recipients': {
    make: async () => {
      const parent = await job(demo, demoTemplate())
      return (await payload.create({ collection: 'email-recipients', data: { org: demo, job: parent.id, email: `${unique('r')}@example.com`, status: 'pending' }, ...system })) as unknown as Doc
    },
    patch: { status: 'sent' },
    gqlPatch: 'status: sent',
    create: async () => ({ org: demo, job: (await job(demo, demoTemplate())).id, email: `${unique('r')}@example.com` }),
  },
  media: {
    make: async () => (await makeMedia(payload, demo)) as unknown as Doc,
    patch: { alt: 'Pwned' },
    gqlPatch: 'alt: "Pwned"',
    create: async () => ({ org: demo, alt: 'x' }),
    own: async () => (await makeMedia(payload, other)) as unknown as Doc,
  },
  suppressions: {
    make: async () => (await payload.create({ collection: 'suppressions', data: { org: demo, address: `${unique('s')}@example.com`, reason: 'manual' } as never, ...system })) as unknown as Doc,
    patch: { note: 'Pwned' },
    gqlPatch: 'note: "Pwned"',
    create: async () => ({ org: demo, address: `${unique('s')}@example.com`, reason: 'manual' }),
    own: async () => (await payload.create({ collection: 'suppressions', data: { org: other, address: `${unique('s')}@example.com`, reason: 'manual' } as never, ...system })) as unknown as Doc,
  },
  'audit-logs': {
    make: async () => (await payload.create({ collection: 'audit-logs', data: { org: demo, action: 'settings.change', summary: 'Demo secret change' }, ...system })) as unknown as Doc,
    patch: { summary: 'Pwned' },
    gqlPatch: 'summary: "Pwned"',
    create: async () => ({ org: demo, action: 'settings.change', summary: 'Forged' }),
  },
  'webhook-events': {
    make: async () =>
      (await payload.create({
        collection: 'webhook-events',
        data: { org: demo, provider: 'sendgrid', channel: 'email', eventID: unique('ev'), type: 'delivered', address: 'a@example.com', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString(), payload: {} },
        ...system,
      })) as unknown as Doc,
    patch: { address: 'pwned@example.com' },
    gqlPatch: 'address: "pwned@example.com"',
    create: async () => ({ org: demo, provider: 'sendgrid', eventID: unique('ev'), type: 'delivered', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString(), payload: {} }),
  },
  'sms-outbox': {
    make: async () =>
      (await payload.create({
        collection: 'sms-outbox',
        data: { org: demo, to: '+14155550111', from: '+14155550100', body: 'Hello from Demo. Reply STOP to opt out', segments: 1, encoding: 'GSM-7', messageSid: `SM${unique('x').replace(/[^a-f0-9]/g, '').padEnd(32, '0').slice(0, 32)}` },
        ...system,
      })) as unknown as Doc,
    patch: { body: 'Pwned' },
    gqlPatch: 'body: "Pwned"',
    create: async () => ({ org: demo, to: '+14155550112', body: 'Sneaky' }),
  },
  conversations: {
    make: async () => (await demoConversation()) as unknown as Doc,
    patch: { status: 'closed' },
    gqlPatch: 'status: closed',
    create: async () => ({ org: demo, title: 'Sneaky', address: '+14155550115' }),
  },
  messages: {
    make: async () =>
      (await payload.create({
        collection: 'messages',
        data: { org: demo, conversation: (await demoConversation()).id, direction: 'inbound', channel: 'sms', provider: 'twilio', providerMessageID: `SM${unique('in')}`, from: '+14155550113', bodyText: 'See you at 7', status: 'received' },
        ...system,
      })) as unknown as Doc,
    patch: { bodyText: 'Pwned' },
    gqlPatch: 'bodyText: "Pwned"',
    create: async () => ({ org: demo, conversation: (await demoConversation()).id, direction: 'inbound', channel: 'sms', provider: 'twilio', providerMessageID: unique('in'), from: '+14155550114', bodyText: 'Sneaky' }),
  },
  'inbound-emails': {
    make: async () =>
      (await payload.create({
        collection: 'inbound-emails',
        data: { org: demo, status: 'failed', reason: 'Unreadable', messageID: `<${unique('in')}@example.com>`, from: 'x@example.com', receivedAt: new Date().toISOString() },
        ...system,
      })) as unknown as Doc,
    patch: { reason: 'Pwned' },
    gqlPatch: 'reason: "Pwned"',
    create: async () => ({ org: demo, messageID: `<${unique('in')}@example.com>`, receivedAt: new Date().toISOString() }),
  },
  bookings: {
    make: async () =>
      (await payload.create({ collection: 'bookings', data: { org: demo, title: 'Demo check-up', owner: demoAdminID, start: '2027-01-05T09:00:00.000Z', end: '2027-01-05T09:30:00.000Z', allowOverlap: true } as never, ...system })) as unknown as Doc,
    patch: { title: 'Pwned' },
    gqlPatch: 'title: "Pwned"',
    create: async () => ({ org: demo, title: 'Sneaky', owner: demoAdminID, start: '2027-01-06T09:00:00.000Z', end: '2027-01-06T09:30:00.000Z' }),
    own: async () =>
      (await payload.create({ collection: 'bookings', data: { org: other, title: 'Own booking', owner: attackerUser.id as number, start: '2027-01-07T09:00:00.000Z', end: '2027-01-07T09:30:00.000Z', allowOverlap: true } as never, ...system })) as unknown as Doc,
  },
  'booking-invitations': {
    make: async () => {
      const booking = await payload.create({ collection: 'bookings', data: { org: demo, title: 'Demo invite', owner: demoAdminID, start: '2027-01-08T09:00:00.000Z', end: '2027-01-08T09:30:00.000Z', allowOverlap: true, sendInvitations: false } as never, ...system })
      return (await payload.create({ collection: 'booking-invitations', data: { org: demo, booking: booking.id, email: 'demo-guest@example.com', method: 'request', sequence: 0, status: 'sent' }, ...system })) as unknown as Doc
    },
    patch: { email: 'pwned@example.com' },
    gqlPatch: 'email: "pwned@example.com"',
    create: async () => ({ org: demo, booking: victims.get('bookings')?.id, email: 'sneaky@example.com', method: 'cancel', sequence: 99 }),
  },
  'calendar-connections': {
    // Demo's admin connected the org's shared Google calendar.
    make: async () =>
      (await payload.create({
        collection: 'calendar-connections',
        data: { org: demo, provider: 'google', accountEmail: `${unique('demo')}@calendar.example`, owner: demoAdminID, shared: true, status: 'connected', refreshTokenEncrypted: 'gAAAAA-not-a-real-token' },
        ...system,
      })) as unknown as Doc,
    patch: { calendarID: 'pwned' },
    create: async () => ({ org: demo, provider: 'google', accountEmail: 'sneaky@calendar.example', owner: attackerUser.id }),
  },
  'booking-syncs': {
    make: async () => {
      const booking = await payload.create({ collection: 'bookings', data: { org: demo, title: 'Demo synced', owner: demoAdminID, start: '2027-01-09T09:00:00.000Z', end: '2027-01-09T09:30:00.000Z', allowOverlap: true, sendInvitations: false } as never, ...system })
      // The booking's save queued it for Demo's shared calendar (the victim above): that row, failed.
      const queued = await payload.find({ collection: 'booking-syncs', where: { booking: { equals: booking.id } }, ...system })
      expect(queued.docs).toHaveLength(1)
      return (await payload.update({ collection: 'booking-syncs', id: queued.docs[0]!.id, data: { status: 'failed', lastError: 'Demo secret error' }, ...system })) as unknown as Doc
    },
    patch: { status: 'synced' },
    create: async () => ({ org: demo, booking: victims.get('bookings')?.id, connection: victims.get('calendar-connections')?.id, status: 'pending' }),
  },
  'kb-articles': {
    make: async () => (await payload.create({ collection: 'kb-articles', data: { org: demo, title: 'Demo opening hours', body: '## Weekdays\n\nDemo opens at 9.', status: 'published' }, ...system })) as unknown as Doc,
    patch: { title: 'Pwned' },
    gqlPatch: 'title: "Pwned"',
    create: async () => ({ org: demo, title: 'Sneaky', body: 'Planted text', status: 'published' }),
    own: async () => (await payload.create({ collection: 'kb-articles', data: { org: other, title: 'Own article', body: 'Own text', status: 'draft' }, ...system })) as unknown as Doc,
  },
  'assistant-logs': {
    make: async () => (await payload.create({ collection: 'assistant-logs', data: { org: demo, kind: 'ask', question: 'What are Demo’s prices?', outcome: 'answered', answer: 'Demo secret answer' }, ...system })) as unknown as Doc,
    patch: { answer: 'Pwned' },
    gqlPatch: 'answer: "Pwned"',
    create: async () => ({ org: demo, kind: 'ask', question: 'Forged', outcome: 'answered' }),
  },
  'payload-locked-documents': {
    // Demo's admin is editing a Demo contact.
    make: async () => {
      const contact = await makeContact(payload, demo)
      return (await payload.db.create({ collection: 'payload-locked-documents', data: { document: { relationTo: 'contacts', value: contact.id }, user: { relationTo: 'users', value: demoAdminID } } })) as unknown as Doc
    },
    // A takeover in the attacker's name would give the Demo admin a 423 on save.
    patch: { user: { relationTo: 'users', value: -1 } },
    create: async () => ({ document: { relationTo: 'contacts', value: (await makeContact(payload, demo)).id }, user: { relationTo: 'users', value: attackerUser.id } }),
  },
  'payload-preferences': {
    make: async () => (await payload.db.create({ collection: 'payload-preferences', data: { key: unique('pref'), value: { columns: ['secret'] }, user: { relationTo: 'users', value: demoAdminID } } })) as unknown as Doc,
    patch: { value: { pwned: true } },
    create: async () => ({ key: unique('pref'), value: {}, user: { relationTo: 'users', value: demoAdminID } }),
    // The preference's user is always the one who writes it: naming someone else makes one's own.
    createdIsHarmless: (doc) => JSON.stringify(doc.user).includes(String(attackerUser.id)) && !JSON.stringify(doc.user).includes(`"value":${demoAdminID}`),
  },
  'payload-jobs': {
    make: async () => (await payload.jobs.queue({ task: 'reconcileJobCounters', input: {}, queue: unique('isolation') })) as unknown as Doc,
    patch: { queue: 'pwned' },
    create: async () => ({ taskSlug: 'reconcileJobCounters', input: {} }),
  },
  'payload-kv': {
    make: async () => (await payload.create({ collection: 'payload-kv' as CollectionSlug, data: { key: unique('kv'), data: { secret: 'demo' } }, ...system })) as unknown as Doc,
    patch: { data: { pwned: true } },
    create: async () => ({ key: unique('kv'), data: {} }),
  },
  'payload-migrations': {
    make: async () => (await payload.find({ collection: 'payload-migrations', limit: 1, ...system })).docs[0] as unknown as Doc,
    patch: { name: 'pwned' },
    create: async () => ({ name: 'forged', batch: 99 }),
  },
}

/** The stored document, as the database has it (to prove a refused write changed nothing). */
const stored = async (slug: string, id: number) =>
  JSON.stringify(await payload.findByID({ collection: slug as CollectionSlug, id, ...system, showHiddenFields: true, disableErrors: true }))

const denied = (res: ApiResponse, what: string) => {
  expect(res.status, `${what}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400)
  expect(res.status, what).toBeLessThan(500)
}
const listHasNot = (res: ApiResponse, id: number, what: string) => {
  if (res.status >= 400) return denied(res, what)
  expect(res.status, what).toBe(200)
  expect((res.body.docs as Doc[]).some((doc) => doc.id === id), what).toBe(false)
}

let schemaQueries = new Set<string>()
let schemaMutations = new Set<string>()

const gqlNames = (collection: SanitizedCollectionConfig) => {
  const names = formatNames(collection.slug)
  const graphQL = collection.graphQL as false | { singularName?: string; pluralName?: string } | undefined
  const singular = graphQL && graphQL.singularName ? graphQL.singularName : names.singular
  let plural = graphQL && graphQL.pluralName ? graphQL.pluralName : names.plural
  if (singular === plural) plural = `all${singular}`
  return { singular, plural }
}

beforeAll(async () => {
  demo = await findOrgID(payload, 'demo-org')
  other = await findOrgID(payload, 'other-org')
  attacker = await loginAs('admin@other.test')
  attackerUser = { ...(await payload.find({ collection: 'users', where: { email: { equals: 'admin@other.test' } }, ...system })).docs[0]!, collection: 'users' } as TypedUser
  demoAdminID = (await payload.find({ collection: 'users', where: { email: { equals: 'admin@demo.test' } }, ...system })).docs[0]!.id
  const approved = { subject: 'S', html: '<p>{{unsubscribe_link}}</p>', status: 'approved' as const }
  demoTemplateID = (await payload.create({ collection: 'email-templates', data: { org: demo, name: unique('tpl'), ...approved }, ...system })).id
  otherTemplateID = (await payload.create({ collection: 'email-templates', data: { org: other, name: unique('tpl'), ...approved }, ...system })).id
  for (const collection of payload.config.collections) {
    const victim = VICTIMS[collection.slug]
    if (victim) victims.set(collection.slug, await victim.make())
  }
  const superAdmin = await loginAs('super@demo.test')
  const introspection = await superAdmin.gql('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }')
  schemaQueries = new Set(introspection.body.data.__schema.queryType.fields.map((f: { name: string }) => f.name))
  schemaMutations = new Set(introspection.body.data.__schema.mutationType.fields.map((f: { name: string }) => f.name))
})

describe('every collection in the config', () => {
  it('has an isolation fixture (a collection added without one fails here)', () => {
    const missing = payload.config.collections.map((c) => c.slug).filter((slug) => !VICTIMS[slug])
    expect(missing, 'collections without a victim fixture in tests/isolation.int.test.ts').toEqual([])
    // And the walk below really covers Payload's own additions.
    expect(payload.config.collections.map((c) => c.slug)).toEqual(expect.arrayContaining(['payload-locked-documents', 'payload-preferences', 'payload-jobs', 'payload-kv', 'payload-migrations']))
  })

  describe.each(payload.config.collections.map((c) => [c.slug, c] as const))('%s', (slug, collection) => {
    const restOpen = collection.endpoints !== false
    const gqlOpen = collection.graphQL !== false

    it('REST: not listed, counted, read, changed, deleted, or created in Demo Org', async () => {
      const victim = victims.get(slug)!
      const spec = VICTIMS[slug]!
      expect(victim?.id, `${slug} victim`).toBeGreaterThan(0)
      const before = await stored(slug, victim.id)
      if (!restOpen) {
        // No REST API at all for this collection.
        for (const res of [await attacker.get(`/${slug}`), await attacker.get(`/${slug}/${victim.id}`)]) expect([404, 501]).toContain(res.status)
        return
      }
      listHasNot(await attacker.get(`/${slug}?limit=100&depth=0`), victim.id, `${slug} list`)
      listHasNot(await attacker.get(`/${slug}?where[id][equals]=${victim.id}&depth=0`), victim.id, `${slug} list by id`)
      if (slug === 'payload-preferences') {
        // Preferences are read by key (GET /payload-preferences/:key), each user only their own.
        const byKey = await attacker.get(`/${slug}/${String(victim.key)}`)
        expect(JSON.stringify(byKey.body), `${slug} by key`).not.toContain('secret')
      } else {
        const count = await attacker.get(`/${slug}/count?where[id][equals]=${victim.id}`)
        if (count.status === 200) expect(count.body.totalDocs, `${slug} count`).toBe(0)
        else denied(count, `${slug} count`)
      }
      // Preferences are addressed by key, per user: /payload-preferences/<id> is the attacker's own (empty) key.
      const byKey = slug === 'payload-preferences'
      const read = await attacker.get(`/${slug}/${victim.id}?depth=0`)
      if (byKey && read.status === 200) expect(read.body.value ?? null, `${slug} read`).toBeNull()
      else denied(read, `${slug} read`)
      denied(await attacker.patch(`/${slug}/${victim.id}`, spec.patch), `${slug} update`)
      const bulk = await attacker.patch(`/${slug}?where[id][equals]=${victim.id}`, spec.patch)
      if (bulk.status < 400) expect(bulk.body.docs ?? [], `${slug} bulk update`).toHaveLength(0)
      const bulkDelete = await attacker.delete(`/${slug}?where[id][equals]=${victim.id}`)
      if (bulkDelete.status < 400) expect(bulkDelete.body.docs ?? [], `${slug} bulk delete`).toHaveLength(0)
      const removed = await attacker.delete(`/${slug}/${victim.id}`)
      if (!(byKey && removed.status === 200)) denied(removed, `${slug} delete`)
      expect(await stored(slug, victim.id), `${slug} unchanged`).toBe(before)

      if (slug !== 'media') {
        const created = await attacker.post(`/${slug}`, await spec.create())
        if (created.status < 400) {
          expect(spec.createdIsHarmless?.(created.body.doc as Doc), `${slug} create in Demo Org: ${JSON.stringify(created.body).slice(0, 300)}`).toBe(true)
        } else denied(created, `${slug} create`)
      }
    })

    it('Local API as the user (overrideAccess: false): the same', async () => {
      const victim = victims.get(slug)!
      const spec = VICTIMS[slug]!
      const before = await stored(slug, victim.id)
      const collectionSlug = slug as CollectionSlug
      const quiet = async (work: () => Promise<unknown>) => work().then((result) => ({ result, error: null as unknown }), (error: unknown) => ({ result: null, error }))

      const found = await quiet(() => payload.find({ collection: collectionSlug, where: { id: { equals: victim.id } }, ...asAttacker() }))
      if (!found.error) expect((found.result as { docs: Doc[] }).docs, `${slug} find`).toEqual([])
      const counted = await quiet(() => payload.count({ collection: collectionSlug, where: { id: { equals: victim.id } }, ...asAttacker() }))
      if (!counted.error) expect((counted.result as { totalDocs: number }).totalDocs, `${slug} count`).toBe(0)
      expect((await quiet(() => payload.findByID({ collection: collectionSlug, id: victim.id, ...asAttacker() }))).error, `${slug} findByID`).toBeTruthy()
      expect((await quiet(() => payload.update({ collection: collectionSlug, id: victim.id, data: spec.patch as never, ...asAttacker() }))).error, `${slug} update`).toBeTruthy()
      expect((await quiet(() => payload.delete({ collection: collectionSlug, id: victim.id, ...asAttacker() }))).error, `${slug} delete`).toBeTruthy()
      expect(await stored(slug, victim.id), `${slug} unchanged`).toBe(before)
      if (slug !== 'media') {
        const created = await quiet(async () => payload.create({ collection: collectionSlug, data: (await spec.create()) as never, ...asAttacker() }))
        if (!created.error) expect(spec.createdIsHarmless?.(created.result as Doc), `${slug} create in Demo Org`).toBe(true)
      }
    })

    it.runIf(gqlOpen)('GraphQL: the same', async () => {
      const victim = victims.get(slug)!
      const spec = VICTIMS[slug]!
      const before = await stored(slug, victim.id)
      const { singular, plural } = gqlNames(collection)
      // The operations exist: a check against a missing field would prove nothing.
      for (const name of [singular, plural, `count${plural}`]) expect(schemaQueries.has(name), `${slug}: query ${name}`).toBe(true)
      for (const name of [`create${singular}`, `update${singular}`, `delete${singular}`]) expect(schemaMutations.has(name), `${slug}: mutation ${name}`).toBe(true)

      const list = await attacker.gql(`{ ${plural}(where: { id: { equals: ${victim.id} } }) { totalDocs docs { id } } }`)
      if (!list.body.errors) expect(list.body.data![plural].totalDocs, `${slug} list`).toBe(0)
      const count = await attacker.gql(`{ count${plural}(where: { id: { equals: ${victim.id} } }) { totalDocs } }`)
      if (!count.body.errors) expect(count.body.data![`count${plural}`].totalDocs, `${slug} count`).toBe(0)
      const read = await attacker.gql(`{ ${singular}(id: ${victim.id}) { id } }`)
      expect(read.body.errors?.length, `${slug} read`).toBeGreaterThan(0)
      expect(read.body.data?.[singular] ?? null).toBeNull()
      if (spec.gqlPatch) {
        const update = await attacker.gql(`mutation { update${singular}(id: ${victim.id}, data: { ${spec.gqlPatch} }) { id } }`)
        expect(update.body.errors?.length, `${slug} update`).toBeGreaterThan(0)
      }
      const removed = await attacker.gql(`mutation { delete${singular}(id: ${victim.id}) { id } }`)
      expect(removed.body.errors?.length, `${slug} delete`).toBeGreaterThan(0)
      expect(removed.body.data?.[`delete${singular}`] ?? null).toBeNull()
      expect(await stored(slug, victim.id), `${slug} unchanged`).toBe(before)
    })

    it.runIf(Boolean(collection.versions))('versions: not listed, read or restored', async () => {
      const victim = victims.get(slug)!
      const versions = await payload.findVersions({ collection: slug as CollectionSlug, where: { parent: { equals: victim.id } }, ...system })
      expect(versions.totalDocs, `${slug} has a version to protect`).toBeGreaterThan(0)
      const version = versions.docs[0]!
      listHasNot(await attacker.get(`/${slug}/versions?where[parent][equals]=${victim.id}`), Number(version.id), `${slug} versions`)
      denied(await attacker.get(`/${slug}/versions/${version.id}`), `${slug} version read`)
      denied(await attacker.post(`/${slug}/versions/${version.id}`), `${slug} version restore`)
      const { singular, plural } = gqlNames(collection)
      const gqlList = await attacker.gql(`{ versions${plural}(where: { parent: { equals: ${victim.id} } }) { totalDocs } }`)
      if (!gqlList.body.errors) expect(gqlList.body.data![`versions${plural}`].totalDocs).toBe(0)
      expect((await attacker.gql(`{ version${singular}(id: ${version.id}) { id } }`)).body.errors?.length).toBeGreaterThan(0)
      expect((await attacker.gql(`mutation { restoreVersion${singular}(id: ${version.id}) { id } }`)).body.errors?.length).toBeGreaterThan(0)
      await expect(payload.findVersionByID({ collection: slug as CollectionSlug, id: String(version.id), ...asAttacker() })).rejects.toBeTruthy()
      const own = await payload.findVersions({ collection: slug as CollectionSlug, where: { parent: { equals: victim.id } }, ...asAttacker() }).catch(() => ({ totalDocs: 0 }))
      expect(own.totalDocs).toBe(0)
    })
  })
})

/** Every relationship and upload field, anywhere in a collection's fields (arrays, groups, tabs, rows), with its data path. */
type RefField = { path: string[]; inArray: string[] | null; field: Field & { relationTo: string | string[]; hasMany?: boolean; name: string } }
const referenceFields = (fields: Field[], path: string[] = [], inArray: string[] | null = null): RefField[] =>
  fields.flatMap((field): RefField[] => {
    const name = 'name' in field && typeof field.name === 'string' ? field.name : null
    if ((field.type === 'relationship' || field.type === 'upload') && name) return [{ path: [...path, name], inArray, field: field as RefField['field'] }]
    if (field.type === 'array' && name) return referenceFields(field.fields, [], [...path, name])
    if (field.type === 'group') return referenceFields(field.fields, name ? [...path, name] : path, inArray)
    if (field.type === 'row' || field.type === 'collapsible') return referenceFields(field.fields, path, inArray)
    if (field.type === 'tabs') return field.tabs.flatMap((tab) => referenceFields(tab.fields, 'name' in tab && tab.name ? [...path, tab.name] : path, inArray))
    return []
  })

const nest = (path: string[], value: unknown): Record<string, unknown> => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>
const refValue = (field: RefField['field'], target: string, id: number) => {
  const one = Array.isArray(field.relationTo) ? { relationTo: target, value: id } : id
  return field.hasMany ? [one] : one
}

describe('every relationship and upload field', () => {
  const cases = payload.config.collections.flatMap((collection) =>
    referenceFields(collection.fields).flatMap((ref) =>
      (Array.isArray(ref.field.relationTo) ? ref.field.relationTo : [ref.field.relationTo]).map((target) => [`${collection.slug}.${[...(ref.inArray ?? []), ...ref.path].join('.')} → ${target}`, collection.slug, ref, target] as const),
    ),
  )

  it('are all walked (upload fields included)', () => {
    const names = cases.map(([name]) => name)
    expect(names).toEqual(expect.arrayContaining(['email-jobs.attachments → media', 'email-jobs.audience.segments → segments', 'email-jobs.audience.excludeSegments → segments', 'exports.source.segment → segments', 'exports.source.job → email-jobs', 'email-jobs.template → email-templates', 'users.orgs.org → organizations', 'payload-locked-documents.document → contacts']))
    expect(cases.length).toBeGreaterThan(25)
  })

  it.each(cases)('%s: a member of Other Org cannot point at a Demo Org document', async (_name, slug, ref, target) => {
    const victim = victims.get(target)
    expect(victim, `a victim in ${target}`).toBeDefined()
    const value = refValue(ref.field, target, victim!.id)
    // The field's value inside the request body (array rows get the row's other required fields).
    const data = ref.inArray ? nest(ref.inArray, [{ ...nest(ref.path, value), roles: ['viewer'] }]) : nest(ref.path, value)
    const mentions = (doc: unknown) => {
      const text = JSON.stringify(doc ?? null)
      return Array.isArray(ref.field.relationTo) ? text.includes(`"relationTo":"${target}","value":${victim!.id}`) : new RegExp(`"${ref.field.name}":(\\[[^\\]]*\\b|)${victim!.id}\\b`).test(text)
    }
    const spec = VICTIMS[slug]!
    const collection = payload.config.collections.find((c) => c.slug === slug)!
    if (spec.own && collection.endpoints !== false) {
      // Update one of the attacker's own documents to point at the victim.
      const own = await spec.own()
      const res = await attacker.patch(`/${slug}/${own.id}`, data)
      const after = await payload.findByID({ collection: slug as CollectionSlug, id: own.id, ...system })
      if (res.status < 400) expect(mentions(after), `${slug} accepted a reference to Demo's ${target} ${victim!.id}: ${JSON.stringify(after).slice(0, 300)}`).toBe(false)
      else expect(res.status).toBeLessThan(500)
      expect(mentions(after)).toBe(false)
      // The Local API as the user refuses it too.
      const local = await payload.update({ collection: slug as CollectionSlug, id: own.id, data: data as never, ...asAttacker() }).then((doc) => doc, () => null)
      if (local) expect(mentions(await payload.findByID({ collection: slug as CollectionSlug, id: own.id, ...system }))).toBe(false)
    }
    // Creating a document of the attacker's own org that points at the victim.
    const base = slug === 'users' ? { email: `${unique('u')}@example.test`, password: 'a-password-123', orgs: [{ org: other, roles: ['viewer'] }] } : { org: other }
    if (collection.endpoints !== false && slug !== 'media') {
      const res = await attacker.post(`/${slug}`, { ...(await VICTIMS[slug]!.create()), ...base, ...data })
      if (res.status < 400) expect(mentions(res.body.doc), `${slug} created with a reference to Demo's ${target}`).toBe(false)
      else expect(res.status).toBeLessThan(500)
    }
  })

  it("a job's explicit selection and audience filters: another org's contacts and segments are refused (REST, GraphQL, Local API), never stored or queued", async () => {
    const victimContact = victims.get('contacts')!
    const victimSegment = victims.get('segments')!
    const selectionOf = async (jobID: number) =>
      (await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: { contact_id: number }[] }> } }).pool.query(
        'SELECT contact_id FROM job_audience_contacts WHERE job_id = $1 ORDER BY contact_id',
        [jobID],
      )).rows.map((row) => row.contact_id)
    const name = unique('job')
    const created = await attacker.post('/email-jobs', { org: other, name, template: otherTemplateID, contacts: [victimContact.id] })
    expect(created.status).toBe(400)
    expect(created.body.errors[0].message).toBe(`These are not contacts of this organisation: ${victimContact.id}.`)
    expect((await payload.count({ collection: 'email-jobs', where: { name: { equals: name } }, ...system })).totalDocs).toBe(0)

    const own = await job(other, otherTemplateID)
    const mine = await makeContact(payload, other)
    expect((await attacker.patch(`/email-jobs/${own.id}`, { contacts: [mine.id] })).status).toBe(200)
    for (const body of [{ contacts: [mine.id, victimContact.id] }, { selection: { add: [victimContact.id] } }]) {
      const res = await attacker.patch(`/email-jobs/${own.id}`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.errors[0].message).toContain(String(victimContact.id))
    }
    const byFilter = await attacker.patch(`/email-jobs/${own.id}`, { selection: { addMatching: { segment: victimSegment.id } } })
    expect(byFilter.status).toBe(400)
    expect(byFilter.body.errors[0].message).toBe(`There is no segment with id ${victimSegment.id} in this organisation, or you cannot see it.`)
    const gql = await attacker.gql(`mutation { updateEmailJob(id: ${own.id}, data: { contacts: [${victimContact.id}] }) { id } }`)
    expect(gql.body.errors?.[0]?.message).toContain(String(victimContact.id))
    await expect(payload.update({ collection: 'email-jobs', id: own.id, data: { contacts: [victimContact.id] } as never, ...asAttacker() })).rejects.toThrow(String(victimContact.id))
    expect(await selectionOf(own.id)).toEqual([mine.id])

    // Another org's job's selection is not even readable.
    const demoJob = await job(demo, demoTemplate())
    expect((await attacker.get(`/email-jobs/${demoJob.id}/selection`)).status).toBe(404)

    // A segment of Demo's written past every API into the attacker's job: queueing refuses it.
    await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<unknown> } }).pool.query(
      `INSERT INTO email_jobs_rels ("order", parent_id, path, segments_id) VALUES (1, $1, 'audience.segments', $2)`,
      [own.id, victimSegment.id],
    )
    const queued = await attacker.post(`/email-jobs/${own.id}/queue`)
    expect(queued.status).toBe(400)
    expect(queued.body.errors[0].message).toBe(`There is no segment with id ${victimSegment.id} in this organisation, or you cannot see it.`)
    expect((await payload.count({ collection: 'email-recipients', where: { job: { equals: own.id } }, ...system })).totalDocs).toBe(0)
  })

  it('the attachment of an email job: refused through REST and GraphQL with a field error, never queued or sent', async () => {
    const victimFile = victims.get('media')!
    const ownFile = await makeMedia(payload, other)
    const rest = await attacker.post('/email-jobs', { org: other, name: unique('job'), template: otherTemplateID, attachments: [victimFile.id] })
    expect(rest.status).toBe(400)
    expect(rest.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'attachments', message: `There is no attachment with id ${victimFile.id}, or you cannot see it.` })])
    const gql = await attacker.gql(`mutation { createEmailJob(data: { org: ${other}, name: "x", template: ${otherTemplateID}, attachments: [${victimFile.id}] }) { id } }`)
    expect(gql.body.errors?.[0]?.message).toMatch(/attachments/)
    // Its own org's file is fine.
    const fine = await attacker.post('/email-jobs', { org: other, name: unique('job'), template: otherTemplateID, attachments: [ownFile.id] })
    expect(fine.status, JSON.stringify(fine.body)).toBe(201)
    // A user of both orgs still cannot mix them: Demo's file on an Other Org job.
    const both = await makeUser(payload, [{ org: demo, roles: ['sender'] }, { org: other, roles: ['sender'] }])
    const bothClient = await loginAs(both.email, 'fixture-password')
    const mixed = await bothClient.post('/email-jobs', { org: other, name: unique('job'), template: otherTemplateID, attachments: [victimFile.id] })
    expect(mixed.status).toBe(400)
    expect(mixed.body.errors[0].data.errors[0].message).toBe(`The attachment with id ${victimFile.id} belongs to another organisation.`)
    // Written past every API (straight into the database), it is refused at queueing.
    const sneaky = await payload.create({ collection: 'email-jobs', data: { org: other, name: unique('job'), template: otherTemplateID, contacts: [(await makeContact(payload, other)).id] } as never, ...system })
    await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<unknown> } }).pool.query(
      `INSERT INTO email_jobs_rels ("order", parent_id, path, media_id) VALUES (1, $1, 'attachments', $2)`,
      [sneaky.id, victimFile.id],
    )
    const queued = await attacker.post(`/email-jobs/${sneaky.id}/queue`)
    expect(queued.status).toBe(400)
    expect(queued.body.errors[0].message).toBe(`Attachment ${victimFile.id} is not one of this organisation's files: remove it before queueing.`)
  })
})

describe('globals', () => {
  it.each(payload.config.globals.map((g) => [g.slug]))('%s: a member of an org can neither read nor change it', async (slug) => {
    const global = payload.config.globals.find((g) => g.slug === slug)!
    denied(await attacker.get(`/globals/${slug}`), `${slug} read`)
    denied(await attacker.post(`/globals/${slug}`, { stats: { pwned: true } }), `${slug} update`)
    await expect(payload.findGlobal({ slug: slug as never, ...asAttacker() })).rejects.toBeTruthy()
    if (global.graphQL !== false) {
      const name = formatNames(slug).singular
      expect(schemaQueries.has(name), `query ${name}`).toBe(true)
      expect((await attacker.gql(`{ ${name} { updatedAt } }`)).body.errors?.length).toBeGreaterThan(0)
    }
  })
})
