import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { questionBank } from '../quiz/questions.js';

/**
 * How many questions quizzes generate from each card, besides the written ones (`kb stats`). Its
 * own module: the question bank loads the schema library, which `kb list` and `kb stale` never need.
 */
export function generatedQuestions(kb: KnowledgeBase): (concept: Concept) => number {
  const perConcept = new Map<string, number>();
  for (const q of questionBank(kb)) perConcept.set(q.concept.id, (perConcept.get(q.concept.id) ?? 0) + 1);
  return (c) => (perConcept.get(c.id) ?? 0) - c.quiz.length;
}
