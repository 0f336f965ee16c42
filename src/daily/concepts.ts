import { catalogOf } from '../knowledge/catalog.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';

/**
 * The next concept of the day for a channel, given the ids it was already sent (oldest first):
 * none repeats until every concept of its topics (and subtopics) has been posted, and a concept whose
 * prerequisites (within those topics) have not been posted in the current round waits for them.
 */
export function nextConcept(kb: KnowledgeBase, topics: string[], history: string[], random: () => number, avoid: ReadonlySet<string> = new Set()): Concept | undefined {
  const pool = catalogOf(kb).concepts(topics);
  if (pool.length === 0) return undefined;
  const inPool = new Set(pool.map((c) => c.id));
  // The current round: what was posted since the last time every concept had been posted.
  let round = new Set<string>();
  for (const id of history) {
    if (!inPool.has(id)) continue;
    round.add(id);
    if (round.size === pool.length) round = new Set();
  }
  const remaining = pool.filter((c) => !round.has(c.id));
  const ready = remaining.filter((c) => c.prerequisites.every((p) => !inPool.has(p) || round.has(p)));
  // Prerequisites have no cycles, so something is always ready; fall back anyway rather than stall.
  const choices = ready.length ? ready : remaining;
  const preferred = choices.filter((c) => !avoid.has(c.id));
  const from = preferred.length ? preferred : choices;
  return from[Math.floor(random() * from.length)];
}
