import Fuse from 'fuse.js';
import { editDistance } from './distance.js';

export interface Correction {
  token: string;
  similarity: number;
}

const MIN_FUZZY_LENGTH = 3;

/**
 * Finds the vocabulary words a misspelt word may mean. Fuse.js scans every record it holds, so the
 * vocabulary is split by word length and first letter, and a query word is compared only with
 * words of about its own length that start with its first or second letter (a swap of the first
 * two: "aprk"). A typo in the very first letter is not corrected; people rarely make one.
 */
export class TypoCorrector {
  private readonly buckets = new Map<string, Fuse<string>>();
  private readonly cache = new Map<string, Correction[]>();

  constructor(vocabulary: Iterable<string>) {
    const buckets = new Map<string, string[]>();
    for (const word of vocabulary) {
      if (word.length < MIN_FUZZY_LENGTH) continue;
      const key = bucketKey(word.length, word[0]!);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(word);
      else buckets.set(key, [word]);
    }
    for (const [key, words] of buckets) {
      this.buckets.set(key, new Fuse(words, { includeScore: true, threshold: 0.4, ignoreLocation: true, isCaseSensitive: true, shouldSort: true }));
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
    const firstLetters = new Set([word[0]!, word[1]!]);
    for (let len = word.length - spread; len <= word.length + spread; len++) {
      for (const letter of firstLetters) {
        for (const hit of this.buckets.get(bucketKey(len, letter))?.search(word, { limit: 5 }) ?? []) {
          const distance = editDistance(word, hit.item);
          if (distance > maxDistance) continue;
          found.push({ token: hit.item, similarity: 1 - distance / Math.max(word.length, hit.item.length) - 0.05 });
        }
      }
    }
    return found.sort((a, b) => b.similarity - a.similarity).slice(0, 4);
  }
}

function bucketKey(length: number, firstLetter: string): string {
  return `${length}:${firstLetter}`;
}
