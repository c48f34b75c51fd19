import type { Payload, PayloadRequest } from 'payload'

import { inTransaction } from '@/db/transaction'

import { listOrgTags } from './list-org-tags'
import { requireContactsReader } from './require-contacts-reader'

/** The tags an org's contacts carry (listOrgTags), for a member who may read its contacts. */
export const readOrgTags = async ({ payload, user, org }: { payload: Payload; user: PayloadRequest['user']; org: number }): Promise<string[]> => {
  await requireContactsReader({ payload, user, org, action: 'list tags' })
  return inTransaction(payload, (client) => listOrgTags(client, org), 'BEGIN READ ONLY')
}
