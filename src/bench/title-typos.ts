import { seededRandom } from '../core/random.js';
import type { Concept } from '../knowledge/schema.js';
import type { LabelledQuery } from '../search/query-set.js';

/** Rows of a QWERTY keyboard: a finger that slips hits a neighbour on the same row. */
const KEY_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** The slips people make typing a word, each at a letter past the first. */
const SLIPS = {
  swap: (w: string, i: number) => w.slice(0, i) + w[i + 1]! + w[i]! + w.slice(i + 2),
  drop: (w: string, i: number) => w.slice(0, i) + w.slice(i + 1),
  double: (w: string, i: number) => w.slice(0, i) + w[i]! + w.slice(i),
  neighbour: (w: string, i: number, random: () => number) => w.slice(0, i) + neighbourKey(w[i]!, random) + w.slice(i + 1),
};

function neighbourKey(c: string, random: () => number): string {
  for (const row of KEY_ROWS) {
    const at = row.indexOf(c);
    if (at >= 0) return row[Math.max(0, Math.min(row.length - 1, at + (random() < 0.5 ? -1 : 1)))]!;
  }
  return c;
}

/** The seed the benchmark and the tests generate with (others were used while tuning typo correction). */
export const TITLE_TYPO_SEED = 20261203;

/**
 * Card titles typed with one slip (two letters swapped, one dropped, one doubled, a neighbouring
 * key) in their longest word of five letters or more, each labelled with its card: a measure of
 * typos that no person wrote and nobody tuned on, generated afresh from any knowledge base.
 */
export function titleTypos(concepts: Concept[], seed: number): LabelledQuery[] {
  const random = seededRandom(seed);
  const queries: LabelledQuery[] = [];
  for (const concept of concepts) {
    const words = concept.title.toLowerCase().split(/\s+/);
    const longest = words.reduce((best, w, i) => (w.length > words[best]!.length ? i : best), 0);
    const word = words[longest]!;
    if (word.length < 5 || !/^[a-z]+$/.test(word)) continue;
    for (const slip of Object.values(SLIPS)) {
      const typed = slip(word, 1 + Math.floor(random() * (word.length - 2)), random);
      if (typed === word) continue;
      queries.push({ q: words.map((w, i) => (i === longest ? typed : w)).join(' '), expect: concept.id, kind: 'typo', file: 'title typos' });
    }
  }
  return queries;
}
