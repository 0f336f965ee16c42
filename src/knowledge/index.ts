import { SearchIndex } from '../search/engine.js';
import type { Knowledge } from './knowledge.js';
import { loadKnowledge } from './load.js';
import { readNotCovered } from './not-covered.js';

/**
 * Loads a knowledge directory and builds its search index, from the files every time. The bot and
 * the `backfill` command use openKnowledgeCached (snapshot.ts): the same, from a current snapshot.
 */
export function openKnowledge(dir: string): Knowledge {
  const kb = loadKnowledge(dir);
  return { kb, search: new SearchIndex(kb.concepts, kb.topics, readNotCovered(dir)) };
}
