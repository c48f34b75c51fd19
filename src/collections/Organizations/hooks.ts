import type { CollectionAfterChangeHook } from 'payload'

import { takeSecretChanges } from '@/fields/secret'
import { diffFields, recordAudit } from '@/services/audit/record-audit'

import { SENDING_AUDITED_FIELDS } from './sendingSettings'
import { SMS_AUDITED_FIELDS } from './smsSettings'
import { reindexOrgChunks } from '@/services/knowledge/index-article-chunks'
import { ensureDefaultTemplate } from '@/services/templates/ensure-default-template'

const ASSISTANT_AUDITED_FIELDS = ['provider', 'model', 'language', 'perMinuteLimit', 'monthlyTokenLimit'] as const
const SETTINGS_FIELDS = ['name', 'slug', 'postalAddress', 'requireFourEyes'] as const

export const auditSettingsChange: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  if (operation !== 'update') return doc
  const sending: Record<string, { from: unknown; to: unknown }> = diffFields(previousDoc?.sending ?? {}, doc.sending ?? {}, SENDING_AUDITED_FIELDS)
  // A replaced credential shows as such (never its value), also when one was stored before.
  const sms: Record<string, { from: unknown; to: unknown }> = diffFields(previousDoc?.sms ?? {}, doc.sms ?? {}, SMS_AUDITED_FIELDS)
  for (const [field, change] of takeSecretChanges(req)) {
    const group = field === 'twilioAuthToken' ? sms : sending
    const before = field === 'twilioAuthToken' ? previousDoc?.sms : previousDoc?.sending
    group[`${field}IsSet`] = { from: before?.[`${field}IsSet`] ? 'stored' : 'none', to: change === 'replaced' ? 'replaced' : 'removed' }
  }
  const changes = {
    ...diffFields(previousDoc, doc, SETTINGS_FIELDS),
    ...Object.fromEntries(Object.entries(sending).map(([field, change]) => [`sending.${field}`, change])),
    ...Object.fromEntries(Object.entries(sms).map(([field, change]) => [`sms.${field}`, change])),
    ...Object.fromEntries(Object.entries(diffFields(previousDoc?.inbound ?? {}, doc.inbound ?? {}, ['replyDomain'] as const)).map(([field, change]) => [`inbound.${field}`, change])),
    ...Object.fromEntries(Object.entries(diffFields(previousDoc?.assistant ?? {}, doc.assistant ?? {}, ASSISTANT_AUDITED_FIELDS)).map(([field, change]) => [`assistant.${field}`, change])),
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

/** A new knowledge-base language re-stems every stored chunk of the org (the search vector is generated from it). */
export const reindexOnLanguageChange: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  if (operation === 'update' && (previousDoc?.assistant?.language ?? null) !== (doc.assistant?.language ?? null)) {
    await reindexOrgChunks(req, doc.id, doc.assistant?.language)
  }
  return doc
}
