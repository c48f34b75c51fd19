/** Reciprocal rank fusion's constant: a hit's score from one ranking is 1 / (K + its rank), ranks from 1. */
export const RRF_K = 60

export type FusedHit<Id> = { id: Id; score: number; ranks: (null | number)[] }

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, 2009): each ranking (full-text, trigram, embeddings…)
 * lists ids best first; an id's score is the sum of 1 / (k + rank) over the rankings that list it. No
 * ranking's raw scores are compared with another's, so differently scaled searches combine fairly. Ties
 * keep the order of first appearance. `ranks` says where each ranking put the id (null: not listed).
 */
export const fuseRankings = <Id>(rankings: Id[][], { k = RRF_K, limit = Number.POSITIVE_INFINITY }: { k?: number; limit?: number } = {}): FusedHit<Id>[] => {
  const hits = new Map<Id, FusedHit<Id> & { first: number }>()
  let order = 0
  rankings.forEach((ranking, which) => {
    const seen = new Set<Id>()
    ranking.forEach((id, position) => {
      if (seen.has(id)) return // a ranking that lists an id twice counts it once, at its best rank
      seen.add(id)
      let hit = hits.get(id)
      if (!hit) {
        hit = { id, score: 0, ranks: rankings.map(() => null), first: order++ }
        hits.set(id, hit)
      }
      hit.score += 1 / (k + position + 1)
      hit.ranks[which] = position + 1
    })
  })
  return [...hits.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, limit)
    .map(({ id, score, ranks }) => ({ id, score, ranks }))
}
