import type { Writable } from 'node:stream';
import { nextConcept } from '../daily/concepts.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { seededRandom } from '../core/random.js';
import { closest, quoteUserText } from '../core/text.js';
import { catalogOf } from '../knowledge/catalog.js';
import { LETTERS } from '../quiz/messages.js';
import { materialize, pickQuestions, questionBank } from '../quiz/questions.js';
import { UsageError } from './errors.js';
import { topicsFlag, topicValues } from './flags.js';

export function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`--${name} takes a whole number from 1 to ${max} (got "${value}").`);
  return n;
}

/** `backfill quiz sample`: questions as a quiz would draw them, for authors to review (the same ones again with --seed). */
export function quizSample(kb: KnowledgeBase, topicArgs: string[], count: number, json: boolean, out: Writable, seed?: number): number {
  // A card's id among the topics ("--topic kafka/acks") asks for that card's questions: an author checking the card they write.
  const given = topicValues(topicArgs);
  const cards = new Set(given.filter((v) => kb.byId.has(v)));
  for (const v of given.filter((v) => v.includes('/') && !cards.has(v))) {
    const near = closest(v, kb.byId.keys());
    throw new UsageError(`--topic: no card "${quoteUserText(v)}"${near ? ` (did you mean ${near}?)` : ''}; \`backfill kb list\` lists the cards.`);
  }
  // With no card among them, the values as given: topicsFlag refuses an empty one.
  const topics = topicsFlag(kb, cards.size ? given.filter((v) => !cards.has(v)) : topicArgs);
  const catalog = catalogOf(kb);
  const random = seed === undefined ? Math.random : seededRandom(seed);
  const bank = questionBank(kb).filter((q) => cards.has(q.concept.id) || ((topics.length > 0 || cards.size === 0) && catalog.includes(topics, q.concept)));
  const questions = pickQuestions(bank, new Map(), count, random).map((t) => materialize(t, random));
  if (json) {
    out.write(`${JSON.stringify(questions.map((q) => ({ key: q.key, concept: q.concept.id, question: q.prompt, options: q.options, answer: q.options[q.correct], why: q.why })), null, 2)}\n`);
    return 0;
  }
  for (const q of questions) {
    out.write(`[${q.key}]\n${q.prompt}\n${q.options.map((o, i) => `  ${i === q.correct ? '*' : ' '} ${LETTERS[i]}. ${o}`).join('\n')}\n  why: ${q.why}\n\n`);
  }
  // The bank holds the cards' own questions and one generated per card where its summary allows ("What does this describe?").
  const generated = bank.filter((q) => q.key.endsWith('#which')).length;
  const from = [...(topics.length ? [catalog.label(topics)] : []), ...cards];
  out.write(`${questions.length} of ${bank.length} questions${from.length ? ` in ${from.join(', ')}` : ''} (${bank.length - generated} written in the cards, ${generated} generated from their summaries; * marks the answer)\n`);
  return 0;
}

/**
 * `backfill daily preview`: what a channel subscribed today would get, day by day. The same every
 * run (a fixed seed; --seed picks another draw), as a preview to review must be.
 */
export function dailyPreview(kb: KnowledgeBase, topicArgs: string[], days: number, json: boolean, out: Writable, today = new Date(), seed = 1): number {
  const topics = topicsFlag(kb, topicArgs);
  const random = seededRandom(seed);
  const bank = questionBank(kb).filter((q) => catalogOf(kb).includes(topics, q.concept));
  const history: string[] = [];
  const seen = new Map<string, string>();
  const plan = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(today.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const concept = nextConcept(kb, topics, history, random);
    if (concept) history.push(concept.id);
    const [question] = pickQuestions(bank, seen, 1, random);
    if (question) seen.set(question.key, date);
    plan.push({ date, concept: concept?.id ?? null, quiz: question ? { key: question.key, question: question.prompt, answer: question.answer } : null });
  }
  if (json) out.write(`${JSON.stringify(plan, null, 2)}\n`);
  else for (const p of plan) out.write(`${p.date}  concept: ${p.concept ?? '-'}\n            quiz:    ${p.quiz ? `${p.quiz.question} -> ${p.quiz.answer}` : '-'}\n`);
  return 0;
}
