import type { KnowledgeBase } from './schema.js';

/** A topic id, or a word that names one ("hdfs" is Hadoop). */
export function resolveTopic(kb: KnowledgeBase, word: string): string | undefined {
  const w = word.toLowerCase();
  return kb.topics.find((t) => t.id === w || t.keywords.includes(w))?.id;
}
