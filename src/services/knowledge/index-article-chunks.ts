import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import { withRequestClient } from '@/db/request-client'

import { chunkArticle } from './chunk-article'
import { extractTerms } from './extract-terms'
import { kbLanguageOf } from './knowledge-settings'
import { planChunkChanges, type StoredChunk } from './plan-chunk-changes'

type ArticleLike = { id: number | string; org?: unknown; title?: null | string; body?: null | string; status?: null | string }

type Req = Pick<PayloadRequest, 'payload' | 'transactionID'>

/** The org's knowledge-base language, read on the same connection. */
const languageOf = async (client: { query: (text: string, values: unknown[]) => Promise<{ rows: { language: null | string }[] }> }, org: number) => {
  const { rows } = await client.query('SELECT assistant_language::text AS language FROM organizations WHERE id = $1', [org])
  return kbLanguageOf(rows[0]?.language)
}

/**
 * Brings an article's stored chunks in line with its saved text, in the saving request's transaction:
 * a published article keeps its unchanged chunks (by hash), gains the new ones and loses the rest; any
 * other status removes them all, so drafts are never retrieved. Returns what changed.
 */
export const indexArticleChunks = async (req: Req, article: ArticleLike): Promise<{ kept: number; inserted: number; removed: number }> => {
  const org = Number(relationID(article.org as never))
  const articleID = Number(article.id)
  return withRequestClient(req, async (client) => {
    if (article.status !== 'published' || !Number.isFinite(org)) {
      const { rowCount } = await client.query('DELETE FROM kb_chunks WHERE article_id = $1', [articleID])
      return { kept: 0, inserted: 0, removed: rowCount ?? 0 }
    }
    const language = await languageOf(client as never, org)
    const next = chunkArticle({ title: article.title ?? '', markdown: article.body ?? '' })
    const { rows: stored } = await client.query<StoredChunk>('SELECT id, hash, position AS index FROM kb_chunks WHERE article_id = $1', [articleID])
    const plan = planChunkChanges(stored, next)
    if (plan.remove.length > 0) await client.query('DELETE FROM kb_chunks WHERE id = ANY($1::bigint[])', [plan.remove])
    if (plan.keep.length > 0) {
      // An article moved to another org (super admin) takes its chunks along; positions follow the new order.
      await client.query(
        `UPDATE kb_chunks c SET position = k.position, org_id = $2, language = $3::regconfig
           FROM unnest($1::bigint[], $4::int[]) AS k(id, position) WHERE c.id = k.id`,
        [plan.keep.map((k) => k.id), org, language, plan.keep.map((k) => k.index)],
      )
    }
    if (plan.insert.length > 0) {
      await client.query(
        `INSERT INTO kb_chunks (org_id, article_id, position, title, heading_path, content, tokens, hash, language)
         SELECT $1, $2, c.position, $3, c.heading_path, c.content, c.tokens, c.hash, $4::regconfig
           FROM unnest($5::int[], $6::text[], $7::text[], $8::int[], $9::text[]) AS c(position, heading_path, content, tokens, hash)`,
        [
          org,
          articleID,
          article.title ?? '',
          language,
          plan.insert.map((c) => c.index),
          plan.insert.map((c) => c.headingPath.join(' › ')),
          plan.insert.map((c) => c.content),
          plan.insert.map((c) => c.tokens),
          plan.insert.map((c) => c.hash),
        ],
      )
      const terms = extractTerms(plan.insert.map((c) => c.content).join('\n'))
      await client.query('INSERT INTO kb_terms (org_id, term) SELECT $1, t FROM unnest($2::text[]) AS t ON CONFLICT DO NOTHING', [org, terms])
    }
    return { kept: plan.keep.length, inserted: plan.insert.length, removed: plan.remove.length }
  })
}

/** Re-stems every chunk of an org in its (new) knowledge-base language. */
export const reindexOrgChunks = async (req: Req, org: number | string, language: unknown): Promise<void> => {
  await withRequestClient(req, (client) => client.query('UPDATE kb_chunks SET language = $2::regconfig WHERE org_id = $1', [Number(org), kbLanguageOf(language)]))
}
