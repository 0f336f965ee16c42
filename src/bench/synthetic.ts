import type { Concept } from '../knowledge/schema.js';
import { LIMITS } from '../knowledge/limits.js';
import { rawWords } from '../search/tokenize.js';

const SYLLABLES = ['ka', 'lo', 'mi', 'zor', 'van', 'tel', 'qua', 'rix', 'bel', 'sun', 'dra', 'fen', 'gol', 'hup', 'jin', 'ner', 'plo', 'vex', 'wim', 'yar'];

/**
 * Concepts that look like real ones to the index: invented names, and texts that mix the real
 * knowledge base's words (so common words have long posting lists) with invented ones.
 */
export function syntheticConcepts(real: Concept[], count: number, random: () => number): Concept[] {
  const vocabulary = [...new Set(real.flatMap((c) => rawWords(`${c.summary} ${c.body}`)))];
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  // Two or three syllables (a loop rather than an array: millions of words are invented at 30,000 cards).
  const invented = () => {
    let word = '';
    for (let n = 2 + Math.floor(random() * 2); n > 0; n--) word += pick(SYLLABLES);
    return word;
  };
  // At most n words, and never longer than a card may hold (a long word of the real cards could make it so).
  // Joined once: a text grown word by word is a chain of a hundred pieces, which the GC copies until it is read.
  const sentence = (n: number, max: number) => {
    const words: string[] = [];
    let length = -1;
    for (let i = 0; i < n; i++) {
      const word = random() < 0.7 ? pick(vocabulary) : invented();
      if (length + 1 + word.length > max) continue;
      words.push(word);
      length += 1 + word.length;
    }
    return words.join(' ');
  };
  const topics = [...new Set(real.map((c) => c.topic))];
  return Array.from({ length: count }, (_, i) => {
    const topic = pick(topics);
    const slug = `syn-${i}-${invented()}`;
    return {
      id: `${topic}/${slug}`,
      topic,
      slug,
      title: `${invented()} ${pick(vocabulary)}`,
      aliases: [invented(), `${invented()} ${invented()}`],
      summary: sentence(25, LIMITS.summary),
      body: sentence(140, LIMITS.body),
      related: [],
      prerequisites: [],
      sources: [],
      quiz: [],
      questions: [sentence(8, LIMITS.askedAs)],
      errors: [],
      keys: [],
      file: `${topic}/${slug}.md`,
    };
  });
}
