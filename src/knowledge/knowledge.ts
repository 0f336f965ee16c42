import type { SearchIndex } from '../search/engine.js';
import type { KnowledgeBase } from './schema.js';

/** The knowledge base and its search index, as every feature reads them. */
export interface Knowledge {
  kb: KnowledgeBase;
  search: SearchIndex;
}
