import { describe, expect, it } from 'vitest';
import { WrittenWords } from '../../src/search/written-words.js';
import { plainText, splitWords } from '../../src/search/tokenize.js';

/** The words `read` found in a text, as strings. */
function wordsRead(reader: WrittenWords, text: string): string[] {
  const count = reader.read(plainText(text));
  return Array.from(reader.ids.subarray(0, count), (id) => reader.words[id]!);
}

describe('WrittenWords', () => {
  it('reads the words splitWords reads, in order, plain or not', () => {
    const reader = new WrittenWords();
    for (const text of [
      'Set acks=all and min.insync.replicas=2; the NotEnoughReplicasException follows.',
      'extract >> transform >> load, exactly-once, at least once',
      'Café naïve ﬁle <@U123> <#C1|general> spark.sql.shuffle.partitions',
      '',
      '   ...   ',
      'a1 B2 c_3 d-4',
    ]) {
      expect(wordsRead(reader, text)).toEqual(splitWords(text));
    }
  });

  it('gives a word written again the same id, and different words different ids, however many there are', () => {
    const reader = new WrittenWords();
    // Enough words to grow every table several times; neighbours differ in one letter or in case.
    const words = Array.from({ length: 60_000 }, (_, i) => `w${i.toString(36)}${i % 2 ? 'X' : 'x'}`);
    const first = wordsRead(reader, words.join(' '));
    expect(first).toEqual(words);
    expect(reader.words).toHaveLength(words.length);
    const count = reader.read([...words].reverse().join(', '));
    const ids = Array.from(reader.ids.subarray(0, count));
    expect(ids).toEqual(words.map((_, i) => words.length - 1 - i));
    expect(wordsRead(reader, 'wax WAX wAx')).toEqual(['wax', 'WAX', 'wAx']);
    expect(new Set(reader.words).size).toBe(reader.words.length);
  });

  it('reads a text much longer than any before it', () => {
    const reader = new WrittenWords();
    wordsRead(reader, 'short');
    const long = 'partition '.repeat(100_000) + 'end';
    const count = reader.read(long);
    expect(count).toBe(100_001);
    expect(reader.words).toEqual(['short', 'partition', 'end']);
  });
});
