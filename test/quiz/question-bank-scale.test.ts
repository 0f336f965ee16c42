import { describe, expect, it } from 'vitest';
import { syntheticConcepts } from '../../src/bench/synthetic.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { Concept, KnowledgeBase } from '../../src/knowledge/schema.js';
import { materialize, questionBank, type GeneratedQuestion } from '../../src/quiz/questions.js';
import { SearchIndex } from '../../src/search/engine.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

const real = loadKnowledge(REAL_KNOWLEDGE_DIR);
const synthetic = syntheticConcepts(real.concepts, 4_000, seededRandom(3));

function knowledgeOf(concepts: Concept[]): KnowledgeBase {
  return { topics: real.topics, concepts, byId: new Map(concepts.map((c) => [c.id, c])) };
}

/** A knowledge base whose list of cards counts how often a card is read from it. */
function counted(concepts: Concept[]): { kb: KnowledgeBase; reads: () => number } {
  let reads = 0;
  const list = new Proxy(concepts, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { kb: { ...knowledgeOf(concepts), concepts: list }, reads: () => reads };
}

describe('the quiz question bank at scale', () => {
  it('reads each card a few times, never once for every other card of its topic', () => {
    // A bank that compared every pair of cards of a topic (2,000 cards over a handful of topics)
    // would read the list hundreds of thousands of times.
    const cards = synthetic.slice(0, 2_000);
    const { kb, reads } = counted(cards);
    // The bot's own search index, built before (it is not the bank's reading).
    expect(questionBank(kb, new SearchIndex(cards, real.topics)).length).toBeGreaterThan(1_500);
    expect(reads()).toBeLessThan(2_000 * 10);
  });

  it('draws wrong options from every title that fits, not only the first ones it checked', () => {
    const kb = knowledgeOf([...real.concepts, ...synthetic.slice(0, 1_000)]);
    const q = questionBank(kb).find((t): t is GeneratedQuestion => t.key.endsWith('#which') && t.concept.id.includes('/syn-'))!;
    const fitting = new Set(q.candidates);
    expect(fitting.size).toBeGreaterThan(50);
    const drawn = new Set<string>();
    const random = seededRandom(11);
    for (let i = 0; i < 400; i++) {
      const m = materialize(q, random);
      expect(new Set(m.options).size).toBe(4);
      expect(m.options[m.correct]).toBe(q.answer);
      for (const o of m.options.filter((_, j) => j !== m.correct)) {
        expect(fitting.has(o), o).toBe(true);
        drawn.add(o);
      }
    }
    // 1,200 draws over the titles that fit: a draw that favoured the start of its topic would leave most unseen.
    expect(drawn.size).toBeGreaterThan(fitting.size * 0.6);
  });

  it('asks the same questions with the bot\'s search index as with one of its own (what `quiz sample` shows is what the bot asks)', () => {
    const bot = openKnowledge(REAL_KNOWLEDGE_DIR);
    const asked = (bank: ReturnType<typeof questionBank>) => bank.map((q) => `${q.key} ${q.prompt} ${q.why}`);
    expect(asked(questionBank(bot.kb, bot.search))).toEqual(asked(questionBank(knowledgeOf(real.concepts))));
  });

  it('is built once per knowledge base, and each caller gets its own list', () => {
    const kb = knowledgeOf(real.concepts);
    const first = questionBank(kb);
    const second = questionBank(kb);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    first.length = 0;
    expect(questionBank(kb).length).toBe(second.length);
  });
});
