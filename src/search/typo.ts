import Fuse from 'fuse.js';
import { editDistance } from '../core/text.js';

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
 *
 * Nothing is indexed up front: the vocabulary is split into buckets on the first lookup, and a
 * bucket's Fuse.js index is built the first time a word of about its length and letter is looked
 * up, so neither building nor restoring a search index pays for buckets nobody asks about. A bucket
 * holds its words in vocabulary order, as an index built up front would.
 */
export class TypoCorrector {
  private readonly words: string[];
  /** Words per bucket, split on the first lookup. */
  private split: Map<string, string[]> | undefined;
  private readonly buckets = new Map<string, Fuse<string> | null>();
  private readonly cache = new Map<string, Correction[]>();

  constructor(vocabulary: Iterable<string>) {
    this.words = [...vocabulary];
  }

  /** How many buckets have a Fuse.js index so far (for tests and the benchmark). */
  get builtBuckets(): number {
    let n = 0;
    for (const fuse of this.buckets.values()) if (fuse) n++;
    return n;
  }

  private bucket(key: string): Fuse<string> | null {
    let fuse = this.buckets.get(key);
    if (fuse !== undefined) return fuse;
    if (!this.split) {
      this.split = new Map();
      for (const word of this.words) {
        if (word.length < MIN_FUZZY_LENGTH) continue;
        const k = bucketKey(word.length, word[0]!);
        const bucket = this.split.get(k);
        if (bucket) bucket.push(word);
        else this.split.set(k, [word]);
      }
    }
    const words = this.split.get(key);
    // Fuse.js (Bitap) counts two swapped letters as two errors: at 0.4 "jion" would not reach join.
    // It only shortlists; editDistance below decides.
    fuse = words ? new Fuse(words, { includeScore: true, threshold: 0.5, ignoreLocation: true, isCaseSensitive: true, shouldSort: true }) : null;
    this.buckets.set(key, fuse);
    return fuse;
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
    const maxDistance = word.length >= 8 ? 2 : 1;
    // A word whose length differs by more than maxDistance is too far anyway: its buckets are not read.
    const spread = maxDistance;
    const found: Correction[] = [];
    const firstLetters = new Set([word[0]!, word[1]!]);
    for (let len = word.length - spread; len <= word.length + spread; len++) {
      for (const letter of firstLetters) {
        for (const hit of this.bucket(bucketKey(len, letter))?.search(word, { limit: 5 }) ?? []) {
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
