import type { Clock } from '../core/services.js';
import type { Logger } from '../core/log.js';
import { normalizedQuestion } from '../search/tokenize.js';
import type { Store } from '../store/store.js';

/** Where questions without an answer go, so authors can see which cards or phrasings to add. */
export interface MissLog {
  record(miss: { query: string; reason: 'no-card' | 'not-meant'; conceptId: string | null; topic: string | null; platform: string }): Promise<void>;
}

export const noMissLog: MissLog = { record: async () => {} };

/** Misses kept in the store (no user id), for `backfill kb gaps`; a failure to record one is logged, never shown. */
export function storedMisses(store: Store, clock: Clock, log: Logger): MissLog {
  return {
    record: async (miss) => {
      try {
        await store.recordSearchMiss({ ...miss, query: miss.query.slice(0, 500), normalized: groupKey(miss.query), at: clock.now().toISOString() });
      } catch (err) {
        log.warn('could not record a search miss', err);
      }
    },
  };
}

/** Misses are grouped by their meaningful words; a question with none ("???", "how?") by its own text. */
function groupKey(query: string): string {
  return normalizedQuestion(query) || query.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 200);
}
