import { randomBytes } from 'node:crypto'

import type { Payload } from 'payload'

import type { OrgRole } from '@/access/roles'
import type { Contact, Media, User } from '@/payload-types'

export const unique = (prefix = 't'): string => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`

/** System-made fixtures (Local API without a user: setup, not the behaviour under test). */
export const makeContact = (payload: Payload, org: number, data: Partial<Contact> = {}): Promise<Contact> =>
  payload.create({ collection: 'contacts', data: { email: `${unique('c')}@example.com`, firstName: 'Fix', ...data, org } })

export const makeUser = (
  payload: Payload,
  memberships: { org: number; roles: OrgRole[] }[],
  data: Partial<User> = {},
): Promise<User> =>
  payload.create({
    collection: 'users',
    data: { email: `${unique('u')}@example.test`, password: 'fixture-password', name: 'Fixture User', orgs: memberships, ...data },
  })

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

export const pngFile = () => ({ data: PNG_1x1, mimetype: 'image/png', name: `${unique('img')}.png`, size: PNG_1x1.length })

export const makeMedia = (payload: Payload, org: number): Promise<Media> =>
  payload.create({ collection: 'media', data: { org, alt: 'fixture' }, file: pngFile() })

/** multipart body as the admin panel sends it: the file plus `_payload` JSON. */
export const uploadForm = (data: Record<string, unknown>, file = pngFile()): FormData => {
  const form = new FormData()
  form.append('file', new Blob([file.data], { type: file.mimetype }), file.name)
  form.append('_payload', JSON.stringify(data))
  return form
}
