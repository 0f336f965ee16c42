import { performance } from 'node:perf_hooks';
import { seededRandom } from '../core/random.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { materialize, questionBank, type QuestionTemplate } from '../quiz/questions.js';
import { SearchIndex } from '../search/engine.js';
import { ms } from './stats.js';

export interface BankBuild {
  cards: number;
  questions: number;
  ms: number;
  /** Build time per 1,000 cards: flat when the build is linear. */
  msPer1kCards: number;
}

export interface BankFigures {
  builds: BankBuild[];
  /** Time to draw the options of one question (materialize), median over a sample, at the largest size. */
  materializeMs: number;
}

function build(kb: KnowledgeBase, concepts: Concept[], index?: SearchIndex): { figure: BankBuild; bank: QuestionTemplate[] } {
  // A new knowledge base object each time: questionBank keeps one bank per knowledge base.
  const sized: KnowledgeBase = { topics: kb.topics, concepts, byId: new Map(concepts.map((c) => [c.id, c])) };
  // Not timed: a running bot has its search index (from the snapshot) before its first quiz.
  const searchIndex = index ?? new SearchIndex(concepts, kb.topics);
  const started = performance.now();
  const bank = questionBank(sized, searchIndex);
  const took = performance.now() - started;
  return { figure: { cards: concepts.length, questions: bank.length, ms: took, msPer1kCards: (took / concepts.length) * 1000 }, bank };
}

/**
 * The quiz question bank (hand-written questions and one "which concept is this?" per card), built
 * on the first quiz after a start from the cards and the search index the bot already has: at real
 * size, at 3,000 and at 30,000 cards (the real ones and the synthetic ones of the search
 * benchmark), so that the time per card shows how it grows.
 */
export function benchQuestionBank(kb: KnowledgeBase, big: Concept[], bigIndex?: SearchIndex): { lines: string[]; figures: BankFigures } {
  // 3,000 cards spread over every topic, as the 30,000 are.
  const sizes = [kb.concepts, big.filter((_, i) => i % Math.round(big.length / 3_000) === 0), big];
  const built = sizes.map((concepts, i) => build(kb, concepts, i === sizes.length - 1 ? bigIndex : undefined));
  const builds = built.map((b) => b.figure);
  const bank = built.at(-1)!.bank;
  const random = seededRandom(7);
  const draws: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = bank[Math.floor(random() * bank.length)]!;
    const started = performance.now();
    materialize(t, random);
    draws.push(performance.now() - started);
  }
  draws.sort((a, b) => a - b);
  const materializeMs = draws[draws.length >> 1]!;
  return {
    lines: [
      'Quiz question bank (built on the first quiz after a start):',
      ...builds.map((b) => `  ${String(b.cards).padStart(6)} cards: ${String(b.questions).padStart(6)} questions in ${ms(b.ms).padStart(10)}  (${ms(b.msPer1kCards)} per 1,000 cards)`),
      `  options of one question at ${big.length} cards: median ${ms(materializeMs)}`,
    ],
    figures: { builds, materializeMs },
  };
}
