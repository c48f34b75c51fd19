import type { Field, PayloadRequest } from 'payload'

import { encryptSecret } from '@/services/crypto/secrets'

// Which credentials a request stored or removed, for the settings audit (the values never reach it).
const secretChanges = new WeakMap<object, Map<string, 'removed' | 'replaced'>>()
const noteChange = (req: PayloadRequest, name: string, change: 'removed' | 'replaced') => {
  const changes = secretChanges.get(req) ?? new Map<string, 'removed' | 'replaced'>()
  changes.set(name, change)
  secretChanges.set(req, changes)
}

/** The credentials this request replaced or removed (once: the entry is taken). */
export const takeSecretChanges = (req: PayloadRequest): Map<string, 'removed' | 'replaced'> => {
  const changes = secretChanges.get(req) ?? new Map<string, 'removed' | 'replaced'>()
  secretChanges.delete(req)
  return changes
}

/**
 * A write-only credential. What a user types is stored only as a Fernet token in a hidden field,
 * which no API (REST, GraphQL, admin) ever returns; the input's own column always stays empty (it is
 * not virtual because the admin renders virtual fields read-only). Leaving the input
 * empty keeps the stored secret; `<name>Clear` removes it. `<name>IsSet` tells the admin whether one
 * is stored.
 */
export const secretFields = (name: string, label: string): Field[] => {
  const stored = `${name}Encrypted`
  return [
    {
      name: `${name}IsSet`,
      type: 'checkbox',
      virtual: true,
      label: `${label} stored`,
      admin: { readOnly: true, condition: (_data, sibling) => Boolean(sibling?.[`${name}IsSet`]) },
      hooks: { afterRead: [({ siblingData }) => Boolean(siblingData?.[stored])] },
    },
    {
      name,
      type: 'text',
      label,
      maxLength: 500,
      admin: { description: 'Write-only: stored encrypted and never shown again. Leave empty to keep the stored value.' },
      hooks: {
        beforeChange: [
          ({ req, siblingData, value }) => {
            if (typeof value === 'string' && value.trim()) {
              siblingData[stored] = encryptSecret(value.trim())
              noteChange(req, name, 'replaced')
            }
            return null
          },
        ],
        afterRead: [() => null],
      },
    },
    {
      name: `${name}Clear`,
      type: 'checkbox',
      label: `Remove the stored ${label}`,
      admin: { condition: (_data, sibling) => Boolean(sibling?.[`${name}IsSet`]) },
      hooks: {
        beforeChange: [
          ({ req, siblingData, value }) => {
            if (value === true) {
              siblingData[stored] = null
              noteChange(req, name, 'removed')
            }
            return false
          },
        ],
      },
    },
    // Written only by the hooks above (field access runs before them), never through an API.
    { name: stored, type: 'text', hidden: true, access: { create: () => false, update: () => false } },
  ]
}
