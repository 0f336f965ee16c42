/**
 * The inverted index behind search, kept compact so that 30,000 cards fit in little memory: words
 * are numbered once, and each field's postings are three flat typed arrays (compressed sparse rows:
 * where a word's documents start, the documents, how often the word occurs in each).
 */

/** The fields of a card search reads, in the order of their weights. */
export const FIELDS = ['name', 'asked', 'summary', 'body'] as const;
export type Field = (typeof FIELDS)[number];

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];

  /** A vocabulary numbering `words` in their order (as `add` did when they were first seen). */
  static from(words: readonly string[]): Vocabulary {
    const vocabulary = new Vocabulary();
    for (const word of words) {
      if (vocabulary.ids.has(word)) throw new Error(`vocabulary: "${word}" is listed twice`);
      vocabulary.ids.set(word, vocabulary.words.length);
      vocabulary.words.push(word);
    }
    return vocabulary;
  }

  add(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
    }
    return id;
  }

  id(word: string): number | undefined {
    return this.ids.get(word);
  }

  get size(): number {
    return this.words.length;
  }
}

export interface FieldPostings {
  /** starts[t]..starts[t+1] is word t's slice of docs and counts. */
  starts: Int32Array;
  docs: Int32Array;
  counts: Uint16Array;
  /** Tokens of the field in each document. */
  lengths: Uint16Array;
  averageLength: number;
}

/** Collects each document's tokens per field, then packs them. */
export class PostingsBuilder {
  private readonly perDoc: Int32Array[] = [];

  /** Adds the next document's tokens for this field, numbered by the vocabulary (documents in order, 0, 1, 2, ...; kept as given). */
  addIds(ids: Int32Array): void {
    this.perDoc.push(ids);
  }

  build(vocabularySize: number): FieldPostings {
    const docCount = this.perDoc.length;
    const lengths = new Uint16Array(docCount);
    const df = new Int32Array(vocabularySize + 1);
    const last = new Int32Array(vocabularySize).fill(-1);
    let total = 0;
    for (let d = 0; d < docCount; d++) {
      const ids = this.perDoc[d]!;
      lengths[d] = Math.min(ids.length, 65_535);
      total += ids.length;
      for (const t of ids) {
        if (last[t] !== d) {
          last[t] = d;
          df[t + 1]!++;
        }
      }
    }
    const starts = new Int32Array(vocabularySize + 1);
    for (let t = 0; t < vocabularySize; t++) starts[t + 1] = starts[t]! + df[t + 1]!;
    const fill = starts.slice(0, vocabularySize);
    const docs = new Int32Array(starts[vocabularySize]!);
    const counts = new Uint16Array(docs.length);
    last.fill(-1);
    for (let d = 0; d < docCount; d++) {
      for (const t of this.perDoc[d]!) {
        if (last[t] !== d) {
          last[t] = d;
          docs[fill[t]!] = d;
          counts[fill[t]!] = 1;
          fill[t]!++;
        } else if (counts[fill[t]! - 1]! < 65_535) counts[fill[t]! - 1]!++;
      }
    }
    this.perDoc.length = 0;
    return { starts, docs, counts, lengths, averageLength: docCount ? total / docCount : 0 };
  }
}
