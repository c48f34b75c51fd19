import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { resolveAssistantProvider } from '@/integrations/assistant'

import { maskPersonalData } from './mask-personal-data'

/** The embedding model in use (ASSISTANT_EMBEDDING_MODEL); none: retrieval ranks by words and titles only. */
export const embeddingModel = (env: Record<string, string | undefined> = process.env): null | string => env.ASSISTANT_EMBEDDING_MODEL?.trim() || null

/**
 * Gives passages an embedding from their org's provider, where it offers embeddings: up to `batch`
 * passages per org per run, those without one from the current model first (a new model re-embeds
 * everything, a batch at a time). Text is masked (emails, phone numbers) before it leaves. Writing the
 * same vector twice is harmless, so two runs at once cost calls, never correctness. A provider failure
 * leaves the passages for the next run and is reported in the result.
 */
export const embedKbChunks = async ({ payload, batch = 100 }: { payload: Payload; batch?: number }): Promise<{ embedded: number; failures: string[] }> => {
  const model = embeddingModel()
  if (!model) return { embedded: 0, failures: [] }
  const pool = dbPool(payload)
  const { rows: pending } = await pool.query<{ org_id: number }>(
    'SELECT DISTINCT org_id FROM kb_chunks WHERE embedding_model IS DISTINCT FROM $1 LIMIT 500',
    [model],
  )
  if (pending.length === 0) return { embedded: 0, failures: [] }
  const orgs = await payload.find({ collection: 'organizations', where: { id: { in: pending.map((p) => p.org_id) } }, depth: 0, limit: pending.length, pagination: false })
  let embedded = 0
  const failures: string[] = []
  for (const org of orgs.docs) {
    let provider: ReturnType<typeof resolveAssistantProvider>
    try {
      provider = resolveAssistantProvider(org)
    } catch (error) {
      // One org's provider that cannot be set up never stops the other orgs' passages.
      failures.push(`org ${org.id}: ${(error as Error).message}`)
      continue
    }
    if (!provider.embed) continue
    const { rows } = await pool.query<{ id: string; content: string }>(
      'SELECT id::text AS id, content FROM kb_chunks WHERE org_id = $1 AND embedding_model IS DISTINCT FROM $2 ORDER BY id LIMIT $3',
      [org.id, model, batch],
    )
    if (rows.length === 0) continue
    try {
      const vectors = await provider.embed(rows.map((r) => maskPersonalData(r.content).text))
      if (vectors.length !== rows.length) throw new Error(`the provider returned ${vectors.length} embeddings for ${rows.length} passages`)
      await pool.query(
        `UPDATE kb_chunks c SET embedding = v.embedding, embedding_model = $3
           FROM (SELECT id, (SELECT array_agg(x::real) FROM jsonb_array_elements_text(e) x) AS embedding
                   FROM unnest($1::bigint[], $2::jsonb[]) AS u(id, e)) v
          WHERE c.id = v.id`,
        [rows.map((r) => r.id), vectors.map((v) => JSON.stringify(v)), model],
      )
      embedded += rows.length
    } catch (error) {
      failures.push(`${org.name}: ${(error as Error).message}`)
    }
  }
  return { embedded, failures }
}
