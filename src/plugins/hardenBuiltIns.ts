import type { SanitizedConfig } from 'payload'

import { keepLocksHonest, LOCKED_DOCUMENTS, lockedDocumentsAccess } from '@/access/lockedDocuments'
import { superAdminOnly } from '@/access/orgAccess'
import { deletePreferenceHandler } from '@/endpoints/delete-preference'
import { guardEndpoint } from '@/endpoints/request-guards'

/**
 * Tenant rules and input checks for what Payload adds to the config itself while sanitising it, after
 * every plugin has run (locked documents, migrations, the job statistics global, and the default REST
 * endpoints of every collection and global), applied to the sanitised config before Payload starts:
 * - `payload-locked-documents` follows the locked document (lockedDocumentsAccess); by default any
 *   logged-in user could list, create, take over or delete every organisation's locks;
 * - `payload-migrations` and the `payload-jobs-stats` global are the super admin's (by default any
 *   logged-in user could read them, and rewrite the scheduler's statistics);
 * - every REST endpoint checks its input first (guardEndpoint);
 * - deleting one's own preference works (deletePreferenceHandler replaces a handler that fails on PostgreSQL).
 * `payload-preferences` already keeps each user to their own rows; `payload-jobs` allows nothing.
 */
export const hardenBuiltIns = (config: SanitizedConfig): SanitizedConfig => {
  for (const collection of config.collections) {
    if (collection.slug === LOCKED_DOCUMENTS) {
      collection.access = { ...collection.access, ...lockedDocumentsAccess }
      collection.hooks.beforeChange = [...(collection.hooks.beforeChange ?? []), keepLocksHonest]
    }
    if (collection.slug === 'payload-preferences' && Array.isArray(collection.endpoints)) {
      collection.endpoints = collection.endpoints.map((endpoint) =>
        endpoint.method === 'delete' && endpoint.path === '/:key' ? { ...endpoint, handler: deletePreferenceHandler } : endpoint,
      )
    }
    if (collection.slug === 'payload-migrations') {
      collection.access = { ...collection.access, read: superAdminOnly, create: superAdminOnly, update: superAdminOnly, delete: superAdminOnly }
    }
    if (Array.isArray(collection.endpoints)) collection.endpoints = collection.endpoints.map((endpoint) => guardEndpoint(endpoint, { collection }))
  }
  for (const global of config.globals) {
    if (global.slug === 'payload-jobs-stats') {
      global.access = { ...global.access, read: superAdminOnly, update: superAdminOnly, readVersions: superAdminOnly }
    }
    if (Array.isArray(global.endpoints)) global.endpoints = global.endpoints.map((endpoint) => guardEndpoint(endpoint, { global }))
  }
  return config
}
