import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { embeddingModel } from './embed-kb-chunks'
import { extractTerms } from './extract-terms'
import { fuseRankings } from './fuse-rankings'
import { type KbLanguage, kbLanguageOf } from './knowledge-settings'
import { maskPersonalData } from './mask-personal-data'

export type KnowledgeHit = {
  chunkID: number
  articleID: number
  title: string
  headingPath: string
  content: string
  tokens: number
  /** The fused (reciprocal rank) score. */
  score: number
  /** ts_rank_cd of the full-text match (0: no word matched). */
  textRank: number
  /** The share of the question's words (weighted by rarity; words no passage has count fully) found here. */
  coverage: number
  /** How many distinct words of the question (stemmed, stop words aside) this passage holds. */
  matched: number
  /** Trigram word similarity of the article's title to the question (0 to 1). */
  titleSimilarity: number
  /** Cosine similarity of the embeddings, when both have one. */
  vectorSimilarity: null | number
}

type Queryable = { query: ReturnType<typeof dbPool>['query'] }

type Candidate = { id: string; article_id: number; position: number; title: string; heading_path: string; content: string; tokens: number; text_rank: number; coverage: number; matched: number; title_similarity: number }

/** A title or heading this close to (part of) the question counts as a trigram match. */
const TITLE_SIMILARITY = 0.5

/** How many candidates each ranking contributes before fusion. */
const CANDIDATES = 30

/**
 * The question with each word the org's articles never use replaced by the closest word they do use
 * (pg_trgm similarity ≥ 0.4), so "cancelation polcy" searches "cancellation policy". Known words, stop
 * words and words under four letters stay as they are.
 */
export const correctQuestion = async (db: Queryable, org: number, question: string, language: KbLanguage): Promise<{ text: string; corrections: Record<string, string> }> => {
  const words = extractTerms(question, 40)
  if (words.length === 0) return { text: question, corrections: {} }
  const { rows } = await db.query<{ word: string; suggestion: null | string }>(
    `SELECT w.word, s.term AS suggestion
       FROM unnest($2::text[]) AS w(word)
       CROSS JOIN LATERAL (
         SELECT t.term FROM kb_terms t
          WHERE length(w.word) >= 4
            AND to_tsvector($3::regconfig, w.word) <> ''::tsvector
            AND NOT EXISTS (SELECT 1 FROM kb_terms k WHERE k.org_id = $1 AND k.term = w.word)
            AND t.org_id = $1 AND t.term % w.word AND similarity(t.term, w.word) >= 0.4
          ORDER BY similarity(t.term, w.word) DESC, t.term LIMIT 1
       ) s`,
    [org, words, language],
  )
  const corrections: Record<string, string> = {}
  for (const row of rows) if (row.suggestion && row.suggestion !== row.word) corrections[row.word] = row.suggestion
  if (Object.keys(corrections).length === 0) return { text: question, corrections }
  const text = question.replace(/[\p{L}\p{N}]+/gu, (word) => corrections[word.toLowerCase()] ?? word)
  return { text, corrections }
}

/**
 * Hybrid retrieval over one organisation's published passages. Every query filters on the org in SQL
 * before anything is ranked. Two rankings (three with embeddings) are fused by reciprocal rank:
 * - full-text: each word of the question in the org's language (stemmed, stop words dropped) scores
 *   ts_rank_cd over the weighted vector (title, headings, text) times its rarity in the org's passages
 *   (BM25's idf), summed: a question rarely repeats every word of its answer, and a word every passage
 *   has ("bike" at a bike co-op) says little. Search syntax ("phrase", -word) also filters, as
 *   websearch_to_tsquery reads it;
 * - trigram: how closely an article's title appears in the question (typos included);
 * - embeddings (optional): cosine similarity of the question's vector to each passage's.
 */
export const searchKnowledge = async ({
  payload,
  org,
  question,
  limit = 5,
  questionEmbedding,
  language: knownLanguage,
}: {
  payload: Payload
  /** The org's knowledge-base language, when the caller has read the org already. */
  language?: null | string
  org: number
  question: string
  limit?: number
  questionEmbedding?: null | number[]
}): Promise<{ hits: KnowledgeHit[]; corrections: Record<string, string> }> => {
  const db = dbPool(payload)
  // A caller that has the organisation already says its language; otherwise it is read here.
  let language: KbLanguage
  if (knownLanguage !== undefined) language = kbLanguageOf(knownLanguage)
  else {
    const { rows: settings } = await db.query<{ language: null | string }>('SELECT assistant_language::text AS language FROM organizations WHERE id = $1', [org])
    if (settings.length === 0) return { hits: [], corrections: {} }
    language = kbLanguageOf(settings[0]!.language)
  }
  // An address or a number someone gives about themselves says nothing about the topic.
  const topical = maskPersonalData(question).text.replace(/\[(?:email|phone) \d+\]/g, ' ')
  const { text, corrections } = await correctQuestion(db, org, topical, language)
  // Search syntax ("exact phrase", -without) narrows the passages as websearch_to_tsquery reads it.
  const explicitSyntax = /"|(^|\s)-[\p{L}\p{N}]/u.test(question)
  // Each word's matches are read once, through the GIN index and the org's index together; its rarity
  // (idf) comes from how many of the org's passages it matched.
  const { rows } = await db.query<Candidate>(
    `WITH words AS (
       SELECT DISTINCT quote_literal(l)::tsquery AS q
         FROM unnest(tsvector_to_array(to_tsvector($2::regconfig, $3))) AS l
        WHERE l !~ '[''\\\\]'
     ),
     matches AS MATERIALIZED (
       SELECT m.id, w.q, ts_rank_cd(m.search, w.q, 1) AS rank
         FROM words w JOIN kb_chunks m ON m.org_id = $1 AND m.search @@ w.q
        WHERE NOT $5::boolean OR m.search @@ websearch_to_tsquery($2::regconfig, $3)
     ),
     total AS (SELECT count(*)::float8 AS n FROM kb_chunks WHERE org_id = $1),
     weighted AS (
       SELECT w.q, ln(1 + (t.n - coalesce(d.df, 0) + 0.5) / (coalesce(d.df, 0) + 0.5)) AS idf
         FROM words w CROSS JOIN total t LEFT JOIN (SELECT q, count(*)::float8 AS df FROM matches GROUP BY q) d ON d.q = w.q
     ),
     by_text AS (
       SELECT x.id, sum(w.idf * x.rank) AS text_rank, sum(w.idf) / (SELECT nullif(sum(idf), 0) FROM weighted) AS coverage, count(*)::int AS matched
         FROM matches x JOIN weighted w ON w.q = x.q
        GROUP BY x.id ORDER BY text_rank DESC, x.id LIMIT $4
     ),
     by_title AS (
       SELECT t.title, word_similarity(t.title, $3) AS title_similarity
         FROM (SELECT DISTINCT title FROM kb_chunks WHERE org_id = $1) t
        ORDER BY title_similarity DESC, t.title LIMIT 10
     ),
     picked AS (
       SELECT id FROM by_text
       UNION
       (SELECT c.id FROM by_title b JOIN kb_chunks c ON c.org_id = $1 AND c.title = b.title
         WHERE b.title_similarity >= ${TITLE_SIMILARITY} AND (NOT $5::boolean OR c.search @@ websearch_to_tsquery($2::regconfig, $3))
         ORDER BY b.title_similarity DESC, c.position, c.id LIMIT $4)
     )
     SELECT c.id::text AS id, c.article_id, c.title, c.heading_path, c.content, c.tokens, c.position,
            coalesce(t.text_rank, 0)::float8 AS text_rank, coalesce(t.coverage, 0)::float8 AS coverage, coalesce(t.matched, 0)::int AS matched,
            coalesce(b.title_similarity, 0)::float8 AS title_similarity
       FROM picked p JOIN kb_chunks c ON c.id = p.id
       LEFT JOIN by_text t ON t.id = p.id LEFT JOIN by_title b ON b.title = c.title`,
    [org, language, text, CANDIDATES, explicitSyntax],
  )
  const byText = rows.filter((r) => r.text_rank > 0).sort((a, b) => b.text_rank - a.text_rank || Number(a.id) - Number(b.id)).map((r) => r.id)
  const byTitle = rows
    .filter((r) => r.title_similarity >= TITLE_SIMILARITY)
    .sort((a, b) => b.title_similarity - a.title_similarity || b.text_rank - a.text_rank || a.position - b.position || Number(a.id) - Number(b.id))
    .map((r) => r.id)
  const rankings = [byText, byTitle]
  const vectorScores = new Map<string, number>()
  if (questionEmbedding && questionEmbedding.length > 0) {
    const { rows: vectors } = await db.query<{ id: string; similarity: number }>(
      `SELECT c.id::text AS id, (
           SELECT sum(a * b) / nullif(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0)
             FROM unnest(c.embedding, $2::real[]) AS v(a, b)
         )::float8 AS similarity
         FROM kb_chunks c WHERE c.org_id = $1 AND c.embedding_model = $4 AND cardinality(c.embedding) = cardinality($2::real[])
        ORDER BY similarity DESC NULLS LAST, c.id LIMIT $3`,
      [org, questionEmbedding, CANDIDATES, embeddingModel()],
    )
    for (const v of vectors) vectorScores.set(v.id, v.similarity)
    rankings.push(vectors.filter((v) => v.similarity > 0).map((v) => v.id))
    const missing = vectors.map((v) => v.id).filter((id) => !rows.some((r) => r.id === id))
    if (missing.length > 0) {
      const { rows: extra } = await db.query<Candidate>(
        `SELECT id::text AS id, article_id, title, heading_path, content, tokens, position, 0::float8 AS text_rank, 0::float8 AS coverage, 0 AS matched, 0::float8 AS title_similarity
           FROM kb_chunks WHERE org_id = $1 AND id = ANY($2::bigint[])`,
        [org, missing],
      )
      rows.push(...extra)
    }
  }
  const byID = new Map(rows.map((r) => [r.id, r]))
  const hits = fuseRankings(rankings, { limit }).map(({ id, score }) => {
    const row = byID.get(id)!
    return {
      chunkID: Number(row.id),
      articleID: row.article_id,
      title: row.title,
      headingPath: row.heading_path,
      content: row.content,
      tokens: row.tokens,
      score,
      textRank: row.text_rank,
      coverage: row.coverage,
      matched: row.matched,
      titleSimilarity: row.title_similarity,
      vectorSimilarity: vectorScores.get(id) ?? null,
    }
  })
  return { hits, corrections }
}
