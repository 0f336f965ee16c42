import type { Writable } from 'node:stream';
import { nextConcept } from '../daily/concepts.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { seededRandom } from '../core/random.js';
import { catalogOf } from '../knowledge/catalog.js';
import { LETTERS } from '../quiz/messages.js';
import { materialize, pickQuestions, questionBank } from '../quiz/questions.js';
import { UsageError } from './errors.js';
import { topicsFlag } from './flags.js';

export function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`--${name} takes a whole number from 1 to ${max} (got "${value}").`);
  return n;
}

/** `backfill quiz sample`: questions as a quiz would draw them, for authors to review (the same ones again with --seed). */
export function quizSample(kb: KnowledgeBase, topicArgs: string[], count: number, json: boolean, out: Writable, seed?: number): number {
  const topics = topicsFlag(kb, topicArgs);
  const catalog = catalogOf(kb);
  const random = seed === undefined ? Math.random : seededRandom(seed);
  const bank = questionBank(kb).filter((q) => catalog.includes(topics, q.concept));
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
  out.write(`${questions.length} of ${bank.length} questions${topics.length ? ` in ${catalog.label(topics)}` : ''} (${bank.length - generated} written in the cards, ${generated} generated from their summaries; * marks the answer)\n`);
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
