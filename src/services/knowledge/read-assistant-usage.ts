import type { Payload, TypedUser } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'
import { resolveAssistantProvider } from '@/integrations/assistant'

import { AppError, nullIfNotFound } from '../errors/app-error'
import { DEFAULT_MONTHLY_TOKENS, DEFAULT_PER_MINUTE } from './assistant-limits'

export type AssistantUsage = {
  org: number
  provider: string
  model: string
  notice: null | string
  month: string
  requests: number
  tokens: number
  costUSD: number
  monthlyTokenLimit: number
  perMinuteLimit: number
  publishedArticles: number
}

/** This month's assistant usage of an org and what answers there, for a member allowed `assistant.use`. */
export const readAssistantUsage = async ({ payload, user, org }: { payload: Payload; user: TypedUser | null; org: number }): Promise<AssistantUsage> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to use the assistant.')
  const organisation = await payload.findByID({ collection: 'organizations', id: org, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!organisation) throw new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it.')
  if (!hasOrgPermission(user, org, 'assistant.use')) throw new AppError('FORBIDDEN', 'Your role in this organisation does not allow asking the assistant (assistant.use).')
  const { rows } = await dbPool(payload).query<{ month: string; requests: number; tokens: string; cost: string; articles: number }>(
    `SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
            coalesce(u.requests, 0) AS requests, coalesce(u.prompt_tokens + u.completion_tokens, 0)::text AS tokens, coalesce(u.cost_usd, 0)::text AS cost,
            (SELECT count(DISTINCT article_id)::int FROM kb_chunks WHERE org_id = $1) AS articles
       FROM (SELECT 1) one LEFT JOIN assistant_usage u ON u.org_id = $1 AND u.month = date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
    [org],
  )
  const provider = resolveAssistantProvider(organisation)
  const row = rows[0]!
  return {
    org,
    provider: provider.name,
    model: provider.model,
    notice: provider.disabledReason ?? null,
    month: row.month,
    requests: row.requests,
    tokens: Number(row.tokens),
    costUSD: Number(row.cost),
    monthlyTokenLimit: organisation.assistant?.monthlyTokenLimit || DEFAULT_MONTHLY_TOKENS,
    perMinuteLimit: organisation.assistant?.perMinuteLimit || DEFAULT_PER_MINUTE,
    publishedArticles: row.articles,
  }
}
