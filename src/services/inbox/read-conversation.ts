import type { PayloadRequest } from 'payload'

import { hasOrgPermission, relationID } from '@/access/orgAccess'
import type { OrgAction } from '@/access/roles'
import type { Conversation } from '@/payload-types'

import { AppError, nullIfNotFound } from '../errors/app-error'

/**
 * A conversation the user may see (read as the user: another org's is "no such conversation") and, when
 * `action` is given, may act on in its org (`inbound.reply`, `inbound.link`), or the reason not.
 */
export const readConversation = async (req: PayloadRequest, conversationID: number, action?: OrgAction, refused = 'Your role cannot do that here.'): Promise<Conversation> => {
  const user = req.user
  if (!user || user.collection !== 'users') throw new AppError('UNAUTHORIZED', 'Log in to work in the inbox.')
  const conversation = await req.payload.findByID({ collection: 'conversations', id: conversationID, depth: 0, req, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!conversation) throw new AppError('NOT_FOUND', 'No such conversation, or you cannot see it.')
  if (action && !hasOrgPermission(user, relationID(conversation.org)!, action)) throw new AppError('FORBIDDEN', refused)
  return conversation
}
