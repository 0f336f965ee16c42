import Fuse from 'fuse.js';
import { editDistance } from '../core/text.js';

export interface Correction {
  token: string;
  similarity: number;
}

const MIN_FUZZY_LENGTH = 3;
/** Endings the stemmer cuts, and how many letters each may take misspelt ("tng", "inng"; "ess"). */
const GARBLED_ENDINGS: Array<[string, number[]]> = [
  ['ing', [3, 4]],
  ['ness', [3, 4, 5]],
];
/** A correction found through a guessed stem is a little less sure than one found directly. */
const STEM_GUESS_PENALTY = 0.05;
const FUSE_OPTIONS = { includeScore: true, threshold: 0.5, ignoreLocation: true, isCaseSensitive: true, shouldSort: true };

/** The words of one length and first letter, with the letters each holds (see `letters`). */
interface Bucket {
  words: string[];
  letters: Int32Array;
}

/**
 * Finds the vocabulary words a misspelt word may mean. The vocabulary is split by word length and
 * first letter, and a query word is compared only with words of about its own length that start
 * with its first or second letter (a swap of the first two: "aprk"), or with a letter that sounds
 * like its first ("craft" for KRaft). Any other typo in the very first letter is not corrected;
 * people rarely make one.
 *
 * Fuse.js scans every record it is given, and at 30,000 cards a bucket holds hundreds of words: a
 * word first looked up cost milliseconds per bucket. So only the words that can be near enough go
 * to Fuse.js: each edit loses at most one of the letters the query word holds, and a word missing
 * more of them than the edits allowed is left out before any is scored.
 *
 * Nothing is prepared up front: the vocabulary is split on the first lookup and a bucket's letters
 * are read on its first lookup, so neither building nor restoring a search index pays for buckets
 * nobody asks about.
 */
export class TypoCorrector {
  private readonly words: string[];
  /** Words per bucket, split on the first lookup. */
  private split: Map<number, string[]> | undefined;
  private readonly buckets = new Map<number, Bucket | null>();
  private readonly cache = new Map<string, Correction[]>();

  constructor(vocabulary: Iterable<string>) {
    this.words = [...vocabulary];
  }

  /** How many buckets have been read so far (for tests and the benchmark). */
  get builtBuckets(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) if (bucket) n++;
    return n;
  }

  private bucket(key: number): Bucket | null {
    let bucket = this.buckets.get(key);
    if (bucket !== undefined) return bucket;
    if (!this.split) {
      this.split = new Map();
      for (const word of this.words) {
        // A number is never what a misspelt word meant (and a 30,000-card base holds tens of thousands).
        if (word.length < MIN_FUZZY_LENGTH || isNumber(word)) continue;
        const k = bucketKey(word.length, word.charCodeAt(0));
        const words = this.split.get(k);
        if (words) words.push(word);
        else this.split.set(k, [word]);
      }
    }
    const words = this.split.get(key);
    bucket = words ? { words, letters: Int32Array.from(words, letters) } : null;
    this.buckets.set(key, bucket);
    return bucket;
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
    // The vocabulary holds stems ("test" of testing, "hbas" of hbase, "fresh" of freshness): a typo in
    // a word's ending keeps the stemmer from cutting it ("tesitng", "freshess"), and a short word keeps
    // the e it drops ("hbse"). Read so, the stem of what was meant is near.
    const stems = new Set<string>();
    for (const [ending, lengths] of GARBLED_ENDINGS) {
      for (const n of lengths) if (word.length - n >= 4 && editDistance(word.slice(-n), ending) <= 1) stems.add(word.slice(0, -n));
    }
    const guessed = [...stems].flatMap((w) => this.near(w));
    // Only a stem of five letters or more loses its e ("hbase" is hbas): "rice" is not "rit".
    if (word.length >= 4 && word.length <= 5 && word.endsWith('e')) guessed.push(...this.near(word.slice(0, -1)).filter((c) => c.token.length >= 4));
    const direct = this.near(word);
    // ... and the stemmer drops the e of a word it does not know ("hiive" is hiiv): read with it too.
    if (direct.length === 0 && guessed.length === 0 && word.length >= 4 && !word.endsWith('e')) guessed.push(...this.near(`${word}e`));
    for (const c of guessed) c.similarity -= STEM_GUESS_PENALTY;
    const best = new Map<string, number>();
    for (const c of [...direct, ...guessed]) best.set(c.token, Math.max(best.get(c.token) ?? 0, c.similarity));
    return [...best].map(([token, similarity]) => ({ token, similarity })).sort((a, b) => b.similarity - a.similarity).slice(0, 4);
  }

  private near(word: string): Correction[] {
    if (word.length < MIN_FUZZY_LENGTH || /^\d+$/.test(word)) return [];
    const maxDistance = word.length >= 8 ? 2 : 1;
    const own = letters(word);
    const found: Correction[] = [];
    const first = word.charCodeAt(0);
    const sounds = SOUNDS_ALIKE.get(first);
    const firstLetters = new Set([first, word.charCodeAt(1), ...(sounds === undefined ? [] : [sounds])]);
    // A word whose length differs by more than maxDistance is too far anyway: its buckets are not read.
    for (let len = word.length - maxDistance; len <= word.length + maxDistance; len++) {
      for (const letter of firstLetters) {
        const bucket = this.bucket(bucketKey(len, letter));
        if (!bucket) continue;
        const near = bucket.words.filter((_, i) => missing(own, bucket.letters[i]!) <= maxDistance);
        if (near.length === 0) continue;
        // Fuse.js (Bitap) counts two swapped letters as two errors: at 0.4 "jion" would not reach join.
        // It only shortlists; editDistance below decides. A short word has many near neighbours: more are shortlisted.
        for (const hit of new Fuse(near, FUSE_OPTIONS).search(word, { limit: word.length <= 4 ? 10 : 5 })) {
          // A word that starts with the second letter is read only as the first two swapped ("aprk"), not as a letter typed before it ("kinit" is no init).
          if (letter !== first && letter !== sounds && hit.item.charCodeAt(1) !== first) continue;
          const distance = editDistance(word, hit.item);
          if (distance > maxDistance) continue;
          // Two keys hit in the wrong order, the commonest slip, count as half an edit: "tset" is test before toset.
          const edits = distance > 0 && sameLetters(word, hit.item) ? distance - 0.5 : distance;
          found.push({ token: hit.item, similarity: 1 - edits / Math.max(word.length, hit.item.length) - 0.05 });
        }
      }
    }
    return found.sort((a, b) => b.similarity - a.similarity).slice(0, 4);
  }
}

/** A first letter heard as another: "craft" for KRaft, "cafka" for Kafka. */
const SOUNDS_ALIKE = new Map([
  [99, 107],
  [107, 99],
]);

/** A number, not a string: splitting a large vocabulary allocates nothing per word. */
function bucketKey(length: number, firstLetter: number): number {
  return length * 65_536 + firstLetter;
}

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The letters a word holds, one bit each (a to z; the ten digits share the six bits left, which
 * only makes a word look closer than it is, never farther).
 */
function letters(word: string): number {
  let bits = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 97 && code <= 122) bits |= 1 << (code - 97);
    else if (code >= 48 && code <= 57) bits |= 1 << (26 + ((code - 48) % 6));
  }
  return bits;
}

/** How many of the letters in `own` a word with `other` lacks: at least the edits between them. */
function missing(own: number, other: number): number {
  let rest = own & ~other;
  let n = 0;
  while (rest !== 0) {
    rest &= rest - 1;
    n++;
  }
  return n;
}

/** Whether two words are written with the same letters, each as often. */
function sameLetters(a: string, b: string): boolean {
  return a.length === b.length && [...a].sort().join('') === [...b].sort().join('');
}
