import type { Concept } from '../knowledge/schema.js';
import { rawWords } from '../search/tokenize.js';

const SYLLABLES = ['ka', 'lo', 'mi', 'zor', 'van', 'tel', 'qua', 'rix', 'bel', 'sun', 'dra', 'fen', 'gol', 'hup', 'jin', 'ner', 'plo', 'vex', 'wim', 'yar'];

/**
 * Concepts that look like real ones to the index: invented names, and texts that mix the real
 * knowledge base's words (so common words have long posting lists) with invented ones.
 */
export function syntheticConcepts(real: Concept[], count: number, random: () => number): Concept[] {
  const vocabulary = [...new Set(real.flatMap((c) => rawWords(`${c.summary} ${c.body}`)))];
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const invented = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join('');
  const sentence = (n: number) => Array.from({ length: n }, () => (random() < 0.7 ? pick(vocabulary) : invented())).join(' ');
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
      summary: sentence(25),
      body: sentence(140),
      related: [],
      prerequisites: [],
      sources: [],
      quiz: [],
      questions: [sentence(8)],
      errors: [],
      file: `${topic}/${slug}.md`,
    };
  });
}
