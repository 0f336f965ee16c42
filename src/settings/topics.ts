import { thisPlace, type Conventions } from '../core/conventions.js';
import type { TopicCatalog } from '../knowledge/catalog.js';

/**
 * A stored `topics` setting read against today's knowledge base: the ids that still name concepts,
 * and those that no longer do (a topic or subtopic renamed or removed since it was chosen).
 */
export function storedTopics(catalog: TopicCatalog, stored: string): { topics: string[]; missing: string[] } {
  const ids = catalog.normalize(stored.split(',').filter(Boolean));
  const exists = (id: string) => (catalog.get(id)?.concepts.length ?? 0) > 0;
  return { topics: ids.filter(exists), missing: ids.filter((id) => !exists(id)) };
}

/** A selection of topics checked against what a workspace allows: the topics to use, or those outside. */
export type TopicLimit = { topics: string[] } | { outside: string[] };

/** Whether every concept of a topic or subtopic lies within the allowed selection. */
function within(catalog: TopicCatalog, id: string, allowed: readonly string[]): boolean {
  return catalog.concepts([id]).every((c) => catalog.includes(allowed, c));
}

/**
 * Topics someone asked for, within what is allowed: nothing asked is everything allowed; each topic
 * asked must lie within the allowed ones (Hive within Hadoop, not Hadoop within Hive).
 */
export function limitTopics(catalog: TopicCatalog, requested: readonly string[], allowed: readonly string[]): TopicLimit {
  const asked = catalog.normalize(requested);
  if (allowed.length === 0) return { topics: asked };
  if (asked.length === 0) return { topics: [...allowed] };
  const outside = asked.filter((id) => !within(catalog, id, allowed));
  return outside.length ? { outside } : { topics: asked };
}

/** Why topics asked for are refused: "Quizzes here are limited to Apache Spark (a setting of this server: `/settings`): …". */
export function beyondLimit(what: string, catalog: TopicCatalog, allowed: readonly string[], outside: readonly string[], conv: Conventions): string {
  return `${what} here are limited to ${catalog.label(allowed)} (a setting of ${thisPlace(conv)}: \`/settings\`): ${catalog.label(outside)} reaches beyond them.`;
}

/** A stored selection (a subscription made before the limit) as the limit lets it post: what lies within, else all that is allowed. */
export function effectiveTopics(catalog: TopicCatalog, stored: readonly string[], allowed: readonly string[]): string[] {
  const limited = limitTopics(catalog, stored, allowed);
  if ('topics' in limited) return limited.topics;
  const inside = catalog.normalize(stored).filter((id) => within(catalog, id, allowed));
  return inside.length ? inside : [...allowed];
}
