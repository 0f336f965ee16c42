import { catalogOf } from './catalog.js';
import type { Concept, KnowledgeBase } from './schema.js';

/** Counts of a topic, a subtopic or all: `questions` are the written ones; `generated`, those quizzes make from the cards. */
export interface Counts {
  concepts: number;
  questions: number;
  generated?: number;
}

export interface KnowledgeStats {
  topics: Array<{ id: string } & Counts & { subtopics: Array<{ id: string; name: string } & Counts> }>;
  total: Counts;
  withoutQuiz: string[];
  withoutRelated: string[];
  /** Concepts no other concept names as related or prerequisite. */
  unlinked: string[];
}

/** `generated`: how many questions quizzes generate from a concept's card (see quiz/questions.ts), when known. */
export function knowledgeStats(kb: KnowledgeBase, generated?: (concept: Concept) => number): KnowledgeStats {
  const linked = new Set(kb.concepts.flatMap((c) => [...c.related, ...c.prerequisites]));
  const catalog = catalogOf(kb);
  const counts = (concepts: readonly Concept[]): Counts => ({
    concepts: concepts.length,
    questions: concepts.reduce((n, c) => n + c.quiz.length, 0),
    ...(generated ? { generated: concepts.reduce((n, c) => n + generated(c), 0) } : {}),
  });
  const topics = kb.topics.map((t) => ({
    id: t.id,
    ...counts(kb.concepts.filter((c) => c.topic === t.id)),
    subtopics: catalog.subtopicsOf(t.id).map((s) => ({ id: s.id, name: s.name, ...counts(s.concepts) })),
  }));
  return {
    topics,
    total: counts(kb.concepts),
    withoutQuiz: kb.concepts.filter((c) => c.quiz.length === 0).map((c) => c.id),
    withoutRelated: kb.concepts.filter((c) => c.related.length === 0).map((c) => c.id),
    unlinked: kb.concepts.filter((c) => !linked.has(c.id)).map((c) => c.id),
  };
}

/** The counts as a table: topics, their subtopics indented under them, then the total. */
export function formatStats(s: KnowledgeStats): string {
  const width = Math.max(12, ...s.topics.flatMap((t) => [t.id.length, ...t.subtopics.map((u) => u.id.length + 2)]));
  const withGenerated = s.total.generated !== undefined;
  const row = (name: string, c: Counts) =>
    `${name.padEnd(width)} ${String(c.concepts).padStart(8)}  ${String(c.questions).padStart(9)}${withGenerated ? `  ${String(c.generated ?? 0).padStart(9)}` : ''}`;
  const lines = [`${'topic'.padEnd(width)} concepts  ${withGenerated ? '  written  generated' : 'questions'}`];
  for (const t of s.topics) lines.push(row(t.id, t), ...t.subtopics.map((u) => row(`  ${u.id}`, u)));
  lines.push(row('total', s.total));
  if (withGenerated) lines.push('', 'Questions: written in the cards, and generated from them (one per card that allows it); quizzes draw from both.');
  const list = (label: string, ids: string[]) => lines.push('', `${label} (${ids.length}):${ids.length ? `\n  ${ids.join('\n  ')}` : ' none'}`);
  list('Without quiz questions', s.withoutQuiz);
  list('Without related concepts', s.withoutRelated);
  list('That nothing links to', s.unlinked);
  return lines.join('\n');
}
