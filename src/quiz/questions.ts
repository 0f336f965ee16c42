import { containsPhrase, nameKey, words } from '../knowledge/names.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';

/** A question before its options are shuffled: one right answer, three wrong ones. */
export interface QuestionTemplate {
  /** Stable across restarts and releases, so a channel's history of seen questions stays valid. */
  key: string;
  concept: Concept;
  prompt: string;
  answer: string;
  /** Wrong options, or a function drawing them (generated questions draw fresh ones each time). */
  wrong: string[] | ((random: () => number) => string[]);
  why: string;
}

export interface MaterialQuestion {
  key: string;
  concept: Concept;
  prompt: string;
  options: string[];
  correct: number;
  why: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The summary with every name of the concept blanked out, and the telling words of its title
 * too (not topic names: every option shares those); undefined when a name still shows.
 */
function maskedSummary(concept: Concept, topicWords: Set<string>): string | undefined {
  let text = concept.summary;
  const names = [concept.title, ...concept.aliases].sort((a, b) => b.length - a.length);
  const telling = words(concept.title).filter((w) => w.length >= 4 && !topicWords.has(w) && !/^(and|with|from|into|what|versus)$/.test(w));
  for (const name of [...names, ...telling]) {
    text = text.replace(new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?:e?s)?(?![\\w])`, 'gi'), '___');
  }
  return names.some((n) => containsPhrase(text, n)) ? undefined : text.replace(/___(\s*___)+/g, '___');
}

export function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return out;
}

/** "Which concept is this?" over the summary, with three other concepts of the same topic as wrong options. */
function whichConcept(kb: KnowledgeBase, concept: Concept, topicWords: Set<string>): QuestionTemplate | undefined {
  const masked = maskedSummary(concept, topicWords);
  if (!masked) return undefined;
  const others = kb.concepts.filter((c) => c.topic === concept.topic && c.id !== concept.id && nameKey(c.title) !== nameKey(concept.title));
  if (others.length < 3) return undefined;
  return {
    key: `${concept.id}#which`,
    concept,
    prompt: `Which concept is this? “${masked}”`,
    answer: concept.title,
    wrong: (random) => sample(others, 3, random).map((c) => c.title),
    why: `That describes ${concept.title}.`,
  };
}

/** Every question the knowledge base offers: the hand-written ones and one generated per concept. */
export function questionBank(kb: KnowledgeBase): QuestionTemplate[] {
  const bank: QuestionTemplate[] = [];
  const topicWords = new Set(kb.topics.flatMap((t) => [t.id, ...t.keywords]));
  for (const concept of kb.concepts) {
    concept.quiz.forEach((q, i) => bank.push({ key: `${concept.id}#${i}`, concept, prompt: q.question, answer: q.answer, wrong: q.wrong, why: q.why }));
    const generated = whichConcept(kb, concept, topicWords);
    if (generated) bank.push(generated);
  }
  return bank;
}

/** Shuffles the options; the position of the right one is remembered. */
export function materialize(t: QuestionTemplate, random: () => number): MaterialQuestion {
  const wrong = typeof t.wrong === 'function' ? t.wrong(random) : t.wrong;
  const options = sample([t.answer, ...wrong], 4, random);
  return { key: t.key, concept: t.concept, prompt: t.prompt, options, correct: options.indexOf(t.answer), why: t.why };
}

/**
 * Picks `count` questions: never-seen ones first (in random order), then those seen longest ago,
 * so a channel sees every question of a topic before any comes back; one question per concept
 * while there are enough concepts.
 */
export function pickQuestions(bank: QuestionTemplate[], seen: Map<string, string>, count: number, random: () => number): QuestionTemplate[] {
  const unseen = sample(bank.filter((q) => !seen.has(q.key)), bank.length, random);
  const old = bank.filter((q) => seen.has(q.key)).sort((a, b) => seen.get(a.key)!.localeCompare(seen.get(b.key)!));
  const ordered = [...unseen, ...old];
  const picked: QuestionTemplate[] = [];
  const concepts = new Set<string>();
  for (const q of ordered) {
    if (picked.length >= count) break;
    if (concepts.has(q.concept.id)) continue;
    picked.push(q);
    concepts.add(q.concept.id);
  }
  for (const q of ordered) {
    if (picked.length >= count) break;
    if (!picked.includes(q)) picked.push(q);
  }
  return picked;
}
