import type { KnowledgeBase } from './schema.js';

export interface KnowledgeStats {
  topics: Array<{ id: string; concepts: number; questions: number }>;
  total: { concepts: number; questions: number };
  withoutQuiz: string[];
  withoutRelated: string[];
  /** Concepts no other concept names as related or prerequisite. */
  unlinked: string[];
}

export function knowledgeStats(kb: KnowledgeBase): KnowledgeStats {
  const linked = new Set(kb.concepts.flatMap((c) => [...c.related, ...c.prerequisites]));
  const topics = kb.topics.map((t) => {
    const concepts = kb.concepts.filter((c) => c.topic === t.id);
    return { id: t.id, concepts: concepts.length, questions: concepts.reduce((n, c) => n + c.quiz.length, 0) };
  });
  return {
    topics,
    total: { concepts: kb.concepts.length, questions: topics.reduce((n, t) => n + t.questions, 0) },
    withoutQuiz: kb.concepts.filter((c) => c.quiz.length === 0).map((c) => c.id),
    withoutRelated: kb.concepts.filter((c) => c.related.length === 0).map((c) => c.id),
    unlinked: kb.concepts.filter((c) => !linked.has(c.id)).map((c) => c.id),
  };
}

export function formatStats(s: KnowledgeStats): string {
  const lines = ['topic        concepts  questions'];
  for (const t of s.topics) lines.push(`${t.id.padEnd(12)} ${String(t.concepts).padStart(8)}  ${String(t.questions).padStart(9)}`);
  lines.push(`${'total'.padEnd(12)} ${String(s.total.concepts).padStart(8)}  ${String(s.total.questions).padStart(9)}`);
  const list = (label: string, ids: string[]) => lines.push('', `${label} (${ids.length}):${ids.length ? `\n  ${ids.join('\n  ')}` : ' none'}`);
  list('Without quiz questions', s.withoutQuiz);
  list('Without related concepts', s.withoutRelated);
  list('That nothing links to', s.unlinked);
  return lines.join('\n');
}
