import type { CollectionAfterChangeHook } from 'payload'

import { takeSecretChanges } from '@/fields/secret'
import { diffFields, recordAudit } from '@/services/audit/record-audit'

import { SENDING_AUDITED_FIELDS } from './sendingSettings'
import { ensureDefaultTemplate } from '@/services/templates/ensure-default-template'

const SETTINGS_FIELDS = ['name', 'slug', 'postalAddress', 'requireFourEyes'] as const

export const auditSettingsChange: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  if (operation !== 'update') return doc
  const sending: Record<string, { from: unknown; to: unknown }> = diffFields(previousDoc?.sending ?? {}, doc.sending ?? {}, SENDING_AUDITED_FIELDS)
  // A replaced credential shows as such (never its value), also when one was stored before.
  for (const [field, change] of takeSecretChanges(req)) {
    sending[`${field}IsSet`] = { from: previousDoc?.sending?.[`${field}IsSet`] ? 'stored' : 'none', to: change === 'replaced' ? 'replaced' : 'removed' }
  }
  const changes = {
    ...diffFields(previousDoc, doc, SETTINGS_FIELDS),
    ...Object.fromEntries(Object.entries(sending).map(([field, change]) => [`sending.${field}`, change])),
  }
  if (Object.keys(changes).length === 0) return doc
  await recordAudit(req, {
    action: 'settings.change',
    org: doc.id,
    target: { collection: 'organizations', id: doc.id },
    summary: `Settings changed: ${Object.keys(changes).join(', ')}`,
    changes,
  })
  return doc
}

/** Every new org starts with an approved default template containing {{unsubscribe_link}}. */
export const seedDefaultTemplateForNewOrg: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation === 'create') await ensureDefaultTemplate({ payload: req.payload, req, org: doc })
  return doc
}
