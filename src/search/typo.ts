import Fuse from 'fuse.js';
import { editDistance } from './distance.js';

export interface Correction {
  token: string;
  similarity: number;
}

const MIN_FUZZY_LENGTH = 3;

/**
 * Finds the vocabulary words a misspelt word may mean. Fuse.js scans every record it holds, so the
 * vocabulary is split by word length and a query word is compared only with words of about its
 * own length: the same answers as one big index, at a fraction of the cost.
 */
export class TypoCorrector {
  private readonly byLength = new Map<number, Fuse<string>>();
  private readonly cache = new Map<string, Correction[]>();

  constructor(vocabulary: Iterable<string>) {
    const buckets = new Map<number, string[]>();
    for (const word of vocabulary) {
      if (word.length < MIN_FUZZY_LENGTH) continue;
      const bucket = buckets.get(word.length) ?? [];
      bucket.push(word);
      buckets.set(word.length, bucket);
    }
    for (const [length, words] of buckets) {
      this.byLength.set(
        length,
        new Fuse(words, { includeScore: true, threshold: 0.4, ignoreLocation: true, isCaseSensitive: true, shouldSort: true }),
      );
    }
  }

  corrections(word: string): Correction[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const result = this.compute(word);
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  private compute(word: string): Correction[] {
    if (word.length < MIN_FUZZY_LENGTH || /^\d+$/.test(word)) return [];
    const spread = word.length >= 6 ? 2 : 1;
    const maxDistance = word.length >= 8 ? 2 : 1;
    const found: Correction[] = [];
    for (let len = word.length - spread; len <= word.length + spread; len++) {
      const fuse = this.byLength.get(len);
      if (!fuse) continue;
      for (const hit of fuse.search(word, { limit: 5 })) {
        const distance = editDistance(word, hit.item);
        if (distance > maxDistance) continue;
        found.push({ token: hit.item, similarity: 1 - distance / Math.max(word.length, hit.item.length) - 0.05 });
      }
    }
    return found.sort((a, b) => b.similarity - a.similarity).slice(0, 4);
  }
}
