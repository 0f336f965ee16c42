import { nearMisses } from '../core/text.js';
import { catalogOf } from './catalog.js';
import { idPattern } from './limits.js';
import type { SearchHit } from '../search/engine.js';
import type { Concept, KnowledgeBase } from './schema.js';

/**
 * The cards whose ids are spelt nearly as the query, nearest first (`kafka/ack` → kafka/acks), when
 * the query reads as a card id: `topic/slug` with a topic or subtopic the knowledge base names
 * (`spark/shufle`, `hive/metastor`), or a dashed slug after any word (`nosuch/card-id`). Undefined
 * when it does not read as one: `ci/cd` and `tcp/ip` are words, for search to read.
 */
export function nearCardIds(kb: KnowledgeBase, query: string, limit = 3): SearchHit[] | undefined {
  const id = query.trim().toLowerCase();
  if (!idPattern.test(id)) return undefined;
  const [topic, slug] = id.split('/') as [string, string];
  const catalog = catalogOf(kb);
  const named = catalog.read([topic], 0);
  const entry = named && named.used === 1 ? catalog.get(named.ids[0]!) : undefined;
  if (!entry && !slug.includes('-')) return undefined;
  // Within the topic named, the slug is what was misspelt (a subtopic's slugs without its name:
  // `hive/metastor` is hadoop/hive-metastore); with no topic known, the whole id.
  const spelt = (c: Concept) => (!entry ? c.id : entry.kind === 'subtopic' ? c.slug.replace(new RegExp(`^${entry.id}-`), '') : c.slug);
  const cards = new Map((entry ? entry.concepts : kb.concepts).map((c) => [spelt(c), c]));
  const typed = entry ? slug : id;
  return nearMisses(typed, cards.keys())
    .slice(0, limit)
    .flatMap(({ candidate, distance }) => {
      const concept = cards.get(candidate);
      return concept ? [{ concept, score: 1 - distance / Math.max(typed.length, candidate.length) }] : [];
    });
}
