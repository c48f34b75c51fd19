import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { AUDIT_ACTIONS } from '@/services/audit/record-audit'
import { AppError } from '@/services/errors/app-error'

/**
 * Append-only. Nobody, super admin included, creates, changes or deletes entries through the admin,
 * REST, GraphQL or the Local API acting as a user; only `recordAudit` (a system write) adds them.
 */
export const AuditLogs: CollectionConfig = {
  slug: 'audit-logs',
  labels: { singular: 'Audit entry', plural: 'Audit log' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'summary',
    defaultColumns: ['createdAt', 'action', 'actorLabel', 'summary', 'org'],
    listSearchableFields: ['summary', 'actorLabel', 'targetID'],
    group: 'Settings',
    description: 'Every approval, rejection, test send, role and settings change. Entries cannot be edited or deleted.',
  },
  defaultSort: '-createdAt',
  disableDuplicate: true,
  access: {
    read: orgScoped('audit.read'),
    create: nobody,
    update: nobody,
    delete: nobody,
    readVersions: nobody,
  },
  hooks: {
    // Even code that skips access control cannot rewrite history.
    beforeChange: [
      ({ data, operation }) => {
        if (operation === 'update') throw new AppError('FORBIDDEN', 'Audit entries cannot be changed.')
        return data
      },
    ],
    beforeDelete: [
      () => {
        throw new AppError('FORBIDDEN', 'Audit entries cannot be deleted.')
      },
    ],
  },
  fields: [
    { name: 'action', type: 'select', required: true, index: true, options: AUDIT_ACTIONS.map((a) => ({ label: a, value: a })) },
    { name: 'actor', type: 'relationship', relationTo: 'users', index: true },
    { name: 'actorLabel', type: 'text', label: 'Actor' },
    { name: 'org', type: 'relationship', relationTo: 'organizations', index: true },
    { type: 'row', fields: [{ name: 'targetCollection', type: 'text', label: 'Target collection' }, { name: 'targetID', type: 'text', label: 'Target id', index: true }] },
    { name: 'summary', type: 'text', required: true },
    { name: 'changes', type: 'json', admin: { components: { Field: '@/components/JsonView#JsonView' } } },
    { name: 'ip', type: 'text', label: 'Request IP' },
  ],
  timestamps: true,
}
