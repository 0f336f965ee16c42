import { SearchIndex } from '../search/engine.js';
import type { Knowledge } from '../core/services.js';
import { loadKnowledge } from './load.js';
import { readNotCovered } from './not-covered.js';

/** Loads a knowledge directory and builds its search index. */
export function openKnowledge(dir: string): Knowledge {
  const kb = loadKnowledge(dir);
  return { kb, search: new SearchIndex(kb.concepts, kb.topics, readNotCovered(dir)) };
}
