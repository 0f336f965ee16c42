import type { Writable } from 'node:stream';
import { nextConcept } from '../daily/concepts.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { resolveTopic } from '../knowledge/topics.js';
import { LETTERS } from '../quiz/messages.js';
import { materialize, pickQuestions, questionBank } from '../quiz/questions.js';
import { UsageError } from './errors.js';

function topicsOf(kb: KnowledgeBase, values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .filter(Boolean)
    .map((word) => {
      const topic = resolveTopic(kb, word);
      if (!topic) throw new UsageError(`Unknown topic "${word}". Topics: ${kb.topics.map((t) => t.id).join(', ')}.`);
      return topic;
    });
}

export function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`--${name} takes a whole number from 1 to ${max} (got "${value}").`);
  return n;
}

/** `backfill quiz sample`: questions as a quiz would draw them, for authors to review. */
export function quizSample(kb: KnowledgeBase, topicArgs: string[], count: number, json: boolean, out: Writable): number {
  const topics = topicsOf(kb, topicArgs);
  const bank = questionBank(kb).filter((q) => topics.length === 0 || topics.includes(q.concept.topic));
  const questions = pickQuestions(bank, new Map(), count, Math.random).map((t) => materialize(t, Math.random));
  if (json) {
    out.write(`${JSON.stringify(questions.map((q) => ({ key: q.key, concept: q.concept.id, question: q.prompt, options: q.options, answer: q.options[q.correct], why: q.why })), null, 2)}\n`);
    return 0;
  }
  for (const q of questions) {
    out.write(`[${q.key}]\n${q.prompt}\n${q.options.map((o, i) => `  ${i === q.correct ? '*' : ' '} ${LETTERS[i]}. ${o}`).join('\n')}\n  why: ${q.why}\n\n`);
  }
  out.write(`${questions.length} of ${bank.length} questions${topics.length ? ` in ${topics.join(', ')}` : ''} (* marks the answer)\n`);
  return 0;
}

/** `backfill daily preview`: what a channel subscribed today would get, day by day. */
export function dailyPreview(kb: KnowledgeBase, topicArgs: string[], days: number, json: boolean, out: Writable, today = new Date()): number {
  const topics = topicsOf(kb, topicArgs);
  const bank = questionBank(kb).filter((q) => topics.length === 0 || topics.includes(q.concept.topic));
  const history: string[] = [];
  const seen = new Map<string, string>();
  const plan = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(today.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const concept = nextConcept(kb, topics, history, Math.random);
    if (concept) history.push(concept.id);
    const [question] = pickQuestions(bank, seen, 1, Math.random);
    if (question) seen.set(question.key, date);
    plan.push({ date, concept: concept?.id ?? null, quiz: question ? { key: question.key, question: question.prompt, answer: question.answer } : null });
  }
  if (json) out.write(`${JSON.stringify(plan, null, 2)}\n`);
  else for (const p of plan) out.write(`${p.date}  concept: ${p.concept ?? '-'}\n            quiz:    ${p.quiz ? `${p.quiz.question} -> ${p.quiz.answer}` : '-'}\n`);
  return 0;
}
