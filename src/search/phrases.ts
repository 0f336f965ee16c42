/**
 * Each card's phrases (its names, or its typical questions), each a list of word ids, kept as three
 * flat arrays: where each card's phrases begin, where each phrase's words begin, and the words. A
 * card's phrases become views of them only when a search first reads that card: a start from a
 * snapshot makes none (making all of them was half the time of restoring the index).
 */
export class CardPhrases {
  private readonly views: Array<Int32Array[] | undefined>;

  private constructor(
    readonly docs: Int32Array,
    readonly phrases: Int32Array,
    readonly tokens: Int32Array,
  ) {
    this.views = new Array<Int32Array[] | undefined>(docs.length - 1);
  }

  /** From each card's phrases, as an index build makes them. */
  static of(perDoc: Int32Array[][]): CardPhrases {
    let phraseCount = 0;
    let tokenCount = 0;
    for (const doc of perDoc) {
      phraseCount += doc.length;
      for (const phrase of doc) tokenCount += phrase.length;
    }
    const docs = new Int32Array(perDoc.length + 1);
    const phrases = new Int32Array(phraseCount + 1);
    const tokens = new Int32Array(tokenCount);
    let p = 0;
    let t = 0;
    perDoc.forEach((doc, d) => {
      for (const phrase of doc) {
        tokens.set(phrase, t);
        t += phrase.length;
        phrases[++p] = t;
      }
      docs[d + 1] = p;
    });
    return new CardPhrases(docs, phrases, tokens);
  }

  /** From a snapshot's three arrays, checked to fit together (`fail` says what does not). */
  static restore(name: string, arrays: { docs: Int32Array; phrases: Int32Array; tokens: Int32Array }, vocabularySize: number, fail: (why: string) => never): CardPhrases {
    const { docs, phrases, tokens } = arrays;
    if (docs[0] !== 0 || docs[docs.length - 1] !== phrases.length - 1 || phrases[0] !== 0 || phrases[phrases.length - 1] !== tokens.length) fail(`${name} arrays do not fit together`);
    for (const t of tokens) if (t < 0 || t >= vocabularySize) fail(`${name}.tokens names an unknown word`);
    for (let d = 0; d + 1 < docs.length; d++) if (docs[d]! > docs[d + 1]!) fail(`${name}.docs is not ascending`);
    for (let p = 0; p + 1 < phrases.length; p++) if (phrases[p]! > phrases[p + 1]!) fail(`${name}.phrases is not ascending`);
    return new CardPhrases(docs, phrases, tokens);
  }

  /** The phrases of card `doc`. */
  of(doc: number): Int32Array[] {
    let view = this.views[doc];
    if (!view) {
      const from = this.docs[doc]!;
      const to = this.docs[doc + 1]!;
      view = new Array<Int32Array>(to - from);
      for (let p = from; p < to; p++) view[p - from] = this.tokens.subarray(this.phrases[p]!, this.phrases[p + 1]!);
      this.views[doc] = view;
    }
    return view;
  }
}
