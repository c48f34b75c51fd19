/**
 * npm run bench:retrieval — knowledge-base retrieval at scale: BENCH_SIZE passages (default 100,000)
 * across 100 organisations, written as the app writes them (kb_chunks with the generated weighted
 * search vector, kb_terms for typo correction), from the evaluation set's articles (tests/fixtures/
 * kb-eval.json) with each org's own words mixed in; then VACUUM ANALYZE. Our path: searchKnowledge(),
 * the service POST /api/assistant/ask calls, in this process (the retrieval alone: no model, no log),
 * for BENCH_RUNS questions (default 300) of the evaluation set asked in random orgs, after a warm-up.
 * Baseline in the same run: the very same calls after dropping the indexes retrieval uses (the GIN
 * search index, the org index, the trigram index and key of kb_terms): what the query costs unindexed.
 * Target: p95 < 50 ms.
 * Last line: `bench:retrieval: <p95> ms p95 (<ratio>x without indexes <its p95> ms)`, ratio = baseline / ours.
 */
import { readFileSync } from 'node:fs'

import { startBenchApp } from './lib/bench-app'
import { formatMs, latencyOf, verdict } from './lib/http-load'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 100_000)
const RUNS = Number(process.env.BENCH_RUNS || 300)
const ORGS = 100
const TARGET_MS = 50

type EvalSet = { orgs: { articles: { title: string; body: string }[] }[]; questions: { question: string }[] }

const main = async () => {
  const { database, payload, server, pool } = await startBenchApp()
  const { searchKnowledge } = await import('../src/services/knowledge/search-knowledge')
  const db = await pool.connect()
  try {
    const evalSet = JSON.parse(readFileSync(new URL('../tests/fixtures/kb-eval.json', import.meta.url), 'utf8')) as EvalSet
    const sections = evalSet.orgs.flatMap((o) => o.articles.flatMap((a) => a.body.split(/\n(?=## )/).map((s) => ({ title: a.title, text: s.trim() }))))
    const perOrg = Math.max(1, Math.floor(N / ORGS))
    console.log(`retrieval: ${perOrg * ORGS} passages across ${ORGS} organisations (${sections.length} distinct sections); ${database.kind} PostgreSQL`)
    const t0 = performance.now()
    const orgIDs: number[] = []
    for (let o = 0; o < ORGS; o++) {
      orgIDs.push((await payload.create({ collection: 'organizations', data: { name: `Retrieval ${o}`, slug: `bench-retrieval-${o}`, postalAddress: '1 Bench Road' } as never })).id)
    }
    await db.query(
      `INSERT INTO kb_articles (org_id, title, body, status) SELECT o, 'Article ' || a, 'Bench article', 'published' FROM unnest($1::int[]) o, generate_series(1, $2) a`,
      [orgIDs, Math.ceil(perOrg / 10)],
    )
    // Each passage: an evaluation-set section, under its title, with words of its own org and position.
    await db.query(
      `INSERT INTO kb_chunks (org_id, article_id, position, title, heading_path, content, tokens, hash, language)
       SELECT o.id, a.id, g, s.title, '', s.title || E'\\n\\n' || s.text || ' Branch ' || o.id || ' note ' || g || ' keyword org' || o.id || 'term' || (g % 50) || '.',
              length(s.text) / 4, md5(o.id || '-' || g), 'english'
         FROM unnest($1::int[]) AS o(id)
         CROSS JOIN generate_series(0, $2 - 1) g
         JOIN LATERAL (SELECT ($3::text[])[1 + ((g + o.id * 7) % cardinality($3::text[]))] AS title, ($4::text[])[1 + ((g + o.id * 7) % cardinality($4::text[]))] AS text) s ON true
         JOIN LATERAL (SELECT id FROM kb_articles WHERE org_id = o.id ORDER BY id OFFSET g / 10 LIMIT 1) a ON true`,
      [orgIDs, perOrg, sections.map((s) => s.title), sections.map((s) => s.text)],
    )
    await db.query(
      `INSERT INTO kb_terms (org_id, term)
       SELECT DISTINCT c.org_id, w FROM kb_chunks c, regexp_split_to_table(lower(c.content), '[^[:alnum:]]+') w
        WHERE length(w) BETWEEN 3 AND 30 AND w !~ '^[0-9]+$' ON CONFLICT DO NOTHING`,
    )
    await db.query('VACUUM ANALYZE kb_chunks, kb_terms, organizations')
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_chunks')
    console.log(`seeded ${rows[0]!.n} passages in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    // The same pseudo-random questions and orgs for both passes.
    let seed = 42
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed)
    const asks = Array.from({ length: RUNS }, () => ({ org: orgIDs[next() % ORGS]!, question: evalSet.questions[next() % evalSet.questions.length]!.question }))
    const measure = async () => {
      for (const ask of asks.slice(0, 20)) await searchKnowledge({ payload, ...ask })
      const ms: number[] = []
      let found = 0
      for (const ask of asks) {
        const t = performance.now()
        const { hits } = await searchKnowledge({ payload, ...ask })
        ms.push(performance.now() - t)
        found += hits.length > 0 ? 1 : 0
      }
      return { latency: latencyOf(ms), found }
    }
    const ours = await measure()
    console.log(`indexed      p50 ${formatMs(ours.latency.p50).padStart(8)}  p95 ${formatMs(ours.latency.p95).padStart(8)}  (${ours.found} of ${RUNS} questions found passages)`)
    await db.query('DROP INDEX kb_chunks_search_idx; DROP INDEX kb_chunks_org_idx; DROP INDEX kb_terms_trgm_idx; ALTER TABLE kb_terms DROP CONSTRAINT kb_terms_pkey')
    await db.query('ANALYZE kb_chunks, kb_terms')
    const bare = await measure()
    console.log(`no indexes   p50 ${formatMs(bare.latency.p50).padStart(8)}  p95 ${formatMs(bare.latency.p95).padStart(8)}  (${bare.found} of ${RUNS} questions found passages)`)
    if (bare.found !== ours.found) throw new Error('the two passes found different results: the comparison would be unfair')
    const met = ours.latency.p95 < TARGET_MS
    console.log(`target p95 < ${TARGET_MS} ms: ${verdict(met)}`)
    console.log(`bench:retrieval: ${ours.latency.p95.toFixed(1)} ms p95 (${(bare.latency.p95 / ours.latency.p95).toFixed(2)}x without indexes ${formatMs(bare.latency.p95)})`)
  } finally {
    db.release()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
