import type { Payload } from 'payload'

import type { OrgRole } from '@/access/roles'

import { demoContacts } from './demo-data'

type DemoUser = { email: string; name: string; org?: string; roles?: OrgRole[]; superAdmin?: boolean }

export const DEMO_ORGS = [
  { name: 'Demo Org', slug: 'demo-org', postalAddress: '1 Demo Street, London EC1A 1AA, United Kingdom', contacts: 50, offset: 0 },
  { name: 'Other Org', slug: 'other-org', postalAddress: '9 Other Road, Leeds LS1 4AP, United Kingdom', contacts: 5, offset: 50 },
] as const

export const DEMO_USERS: DemoUser[] = [
  { email: 'super@demo.test', name: 'Sam Super', superAdmin: true },
  { email: 'admin@demo.test', name: 'Ada Admin', org: 'demo-org', roles: ['admin'] },
  { email: 'approver@demo.test', name: 'Avery Approver', org: 'demo-org', roles: ['approver'] },
  { email: 'sender@demo.test', name: 'Sasha Sender', org: 'demo-org', roles: ['sender'] },
  { email: 'viewer@demo.test', name: 'Vic Viewer', org: 'demo-org', roles: ['viewer'] },
  { email: 'admin@other.test', name: 'Olu Other', org: 'other-org', roles: ['admin'] },
]

/** Demo Org's knowledge base (published): what the assistant answers from on a first start. */
export const DEMO_ARTICLES = [
  {
    title: 'Office hours and how to reach us',
    tags: ['contact'],
    body: '## Office hours\n\nThe Demo Org office at 1 Demo Street is open Monday to Friday, 9:00 to 17:30. It is closed on weekends and bank holidays.\n\n## Reaching us\n\nWrite to hello@demo.example or call 020 7946 0000. We answer emails within two working days.',
  },
  {
    title: 'Membership fees and refunds',
    tags: ['membership'],
    body: '## Fees\n\nAnnual membership costs £36, or £18 for students and people over 65. Family membership covers two adults and up to three children for £60.\n\n## Refunds\n\nYou can cancel within 14 days of joining for a full refund. After that, fees are not refunded, but you can pass your membership to someone else once a year.',
  },
  {
    title: 'Volunteering',
    tags: ['volunteers'],
    body: '## Getting started\n\nVolunteers join a one-hour induction on the first Tuesday of each month at 18:00. No experience is needed.\n\n## Expenses\n\nTravel expenses up to £10 a day are paid back when you bring your receipts.',
  },
] as const

export const demoPassword = (): string => process.env.DEMO_PASSWORD || 'demo-password'

export type SeedReport = { created: string[]; existing: string[] }

/**
 * Idempotent: creates what is missing, never changes what exists. System work, so it acts without a
 * user (access control is skipped on purpose).
 */
export const seedDemo = async (payload: Payload): Promise<SeedReport> => {
  const report: SeedReport = { created: [], existing: [] }
  const orgIDs = new Map<string, number>()

  for (const spec of DEMO_ORGS) {
    const found = await payload.find({ collection: 'organizations', where: { slug: { equals: spec.slug } }, limit: 1 })
    const org =
      found.docs[0] ??
      (await payload.create({
        collection: 'organizations',
        data: { name: spec.name, slug: spec.slug, postalAddress: spec.postalAddress },
      }))
    report[found.docs[0] ? 'existing' : 'created'].push(`organization ${spec.name}`)
    orgIDs.set(spec.slug, org.id)

    const contacts = demoContacts(spec.contacts, spec.offset)
    const existing = await payload.find({
      collection: 'contacts',
      where: { and: [{ org: { equals: org.id } }, { email: { in: contacts.map((c) => c.email) } }] },
      limit: contacts.length,
      depth: 0,
      select: { email: true },
    })
    const have = new Set(existing.docs.map((doc) => doc.email))
    const missing = contacts.filter((contact) => !have.has(contact.email))
    for (const contact of missing) {
      await payload.create({ collection: 'contacts', data: { ...contact, org: org.id } })
    }
    if (missing.length) report.created.push(`${missing.length} contacts in ${spec.name}`)
    if (have.size) report.existing.push(`${have.size} contacts in ${spec.name}`)
  }

  // A small published knowledge base, so the assistant answers something on a first start.
  const demoOrg = orgIDs.get('demo-org')
  if (demoOrg !== undefined) {
    for (const article of DEMO_ARTICLES) {
      const found = await payload.find({ collection: 'kb-articles', where: { and: [{ org: { equals: demoOrg } }, { title: { equals: article.title } }] }, limit: 1, depth: 0 })
      if (found.docs[0]) {
        report.existing.push(`article ${article.title}`)
        continue
      }
      await payload.create({ collection: 'kb-articles', data: { ...article, tags: [...article.tags], org: demoOrg, status: 'published' } })
      report.created.push(`article ${article.title}`)
    }
  }

  for (const user of DEMO_USERS) {
    const found = await payload.find({ collection: 'users', where: { email: { equals: user.email } }, limit: 1 })
    if (found.docs[0]) {
      report.existing.push(`user ${user.email}`)
      continue
    }
    const orgID = user.org ? orgIDs.get(user.org) : undefined
    await payload.create({
      collection: 'users',
      data: {
        email: user.email,
        name: user.name,
        password: demoPassword(),
        isSuperAdmin: Boolean(user.superAdmin),
        orgs: orgID && user.roles ? [{ org: orgID, roles: user.roles }] : [],
      },
    })
    report.created.push(`user ${user.email}`)
  }
  return report
}

export const formatDemoLogins = (): string =>
  [
    'Demo logins (password: ' + (process.env.DEMO_PASSWORD ? '$DEMO_PASSWORD' : 'demo-password') + '):',
    ...DEMO_USERS.map(
      (user) =>
        `  ${user.email.padEnd(22)} ${user.superAdmin ? 'super admin' : `${user.roles?.join(', ')} in ${DEMO_ORGS.find((o) => o.slug === user.org)?.name}`}`,
    ),
  ].join('\n')
