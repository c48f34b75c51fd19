import type { KnowledgeHit } from './search-knowledge'

/** A passage counts as evidence when it holds enough of the question's words (weighted by rarity) or its title matches the question well enough. */
/** Enough of the question's words alone… */
export const MIN_COVERAGE = 0.5
/** …or at least two of its words making up a fair share of it. */
export const MIN_SHARED_COVERAGE = 0.2
export const MIN_TITLE_SIMILARITY = 0.5
export const MIN_VECTOR_SIMILARITY = 0.5

/**
 * Whether a retrieved passage grounds an answer. Below it, the assistant says it does not know and no
 * model is called. Calibrated on the evaluation set (tests/knowledge-retrieval.int.test.ts): its
 * questions are grounded, off-topic ones are not.
 */
export const isGrounded = (hit: Pick<KnowledgeHit, 'coverage' | 'matched' | 'titleSimilarity' | 'vectorSimilarity'>): boolean =>
  hit.coverage >= MIN_COVERAGE ||
  (hit.matched >= 2 && hit.coverage >= MIN_SHARED_COVERAGE) || hit.titleSimilarity >= MIN_TITLE_SIMILARITY || (hit.vectorSimilarity ?? 0) >= MIN_VECTOR_SIMILARITY
