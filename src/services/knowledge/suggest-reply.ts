import type { Payload, TypedUser } from 'payload'

import { relationID } from '@/access/orgAccess'
import { parseStoredID } from '@/services/http/stored-id'

import { AppError, nullIfNotFound } from '../errors/app-error'
import { type AssistantAnswer, answerQuestion } from './answer-question'
import { draftFromAnswer } from './draft-from-answer'
import { MAX_QUESTION_CHARS } from './knowledge-settings'

/**
 * A draft reply to a conversation's latest inbound message, written by the assistant from the org's
 * knowledge base for a person to edit and send (plain text: no citation marks or Markdown; the full
 * answer with its sources is returned beside it): nothing is sent here. The conversation is read as the
 * user (another org's is a 404); the question is the message's text, cut to the longest question.
 */
export const suggestReply = async ({ payload, user, conversation }: { payload: Payload; user: TypedUser | null; conversation: unknown }): Promise<AssistantAnswer & { draft: string }> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to ask the assistant.')
  const id = parseStoredID(conversation)
  if (id === null) throw new AppError('INVALID_INPUT', '`conversation` must be a conversation id.')
  const found = await payload.findByID({ collection: 'conversations', id, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!found) throw new AppError('NOT_FOUND', 'No such conversation, or you cannot see it.')
  const latest = await payload.find({
    collection: 'messages',
    where: { and: [{ conversation: { equals: id } }, { direction: { equals: 'inbound' } }] },
    sort: '-createdAt',
    limit: 1,
    depth: 0,
    user,
    overrideAccess: false,
  })
  const text = latest.docs[0]?.bodyText?.trim()
  if (!text) throw new AppError('CONFLICT', 'This conversation has no message from the other side to answer yet.')
  const answer = await answerQuestion({ payload, user, org: Number(relationID(found.org as never)), question: text.slice(0, MAX_QUESTION_CHARS), kind: 'suggest-reply' })
  const usable = answer.outcome === 'answered'
  return { ...answer, draft: usable ? draftFromAnswer(answer.answer) : '' }
}
