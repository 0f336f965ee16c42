import { truncate } from './reply.js';

/** User text as it may be quoted back: one line, no control characters, bounded. */
export function quoteUserText(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, ' ').replace(/\s+/g, ' ').trim();
  return truncate(clean, max);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidate closest to a mistyped word, when it is a near miss: one edit in a short word, more
 * in longer ones ("explian" is explain, "nope" is nothing, "mongo" is not "mon").
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const best = nearMisses(word, candidates)[0];
  return best && best.distance > 0 ? best.candidate : undefined;
}

/** The candidates within a near miss of a word (as `closest` counts it), the same word included, nearest first. */
export function nearMisses(word: string, candidates: Iterable<string>): Array<{ candidate: string; distance: number }> {
  const w = word.toLowerCase();
  const most = Math.max(1, Math.floor(w.length / 3));
  const near: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of candidates) {
    const distance = editDistance(w, candidate.toLowerCase());
    if (distance <= most) near.push({ candidate, distance });
  }
  return near.sort((a, b) => a.distance - b.distance);
}

/** "a, b and c" */
export function listing(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** A text matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
