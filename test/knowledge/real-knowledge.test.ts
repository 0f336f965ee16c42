import { describe, expect, it } from 'vitest';
import { formatProblem, readKnowledge } from '../../src/knowledge/load.js';
import { knowledgeStats } from '../../src/knowledge/stats.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

/** The shipped knowledge base is content with its own rules: these are them. */
describe('the shipped knowledge base', () => {
  const { kb, problems } = readKnowledge(REAL_KNOWLEDGE_DIR);

  it('passes the validator', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('covers every topic with at least 25 concepts, 200 in all', () => {
    const stats = knowledgeStats(kb);
    for (const t of stats.topics) expect(t.concepts, t.id).toBeGreaterThanOrEqual(25);
    expect(stats.total.concepts).toBeGreaterThanOrEqual(200);
  });

  it('has a hand-written quiz question for every concept', () => {
    expect(knowledgeStats(kb).withoutQuiz, 'cards with no hand-written question under quiz: (every card of this repository needs one, see knowledge/README.md)').toEqual([]);
  });

  it('records on every card when it was reviewed, against releases its topic lists', () => {
    for (const t of kb.topics) expect(Object.keys(t.releases).length, t.id).toBeGreaterThan(0);
    expect(kb.concepts.filter((c) => !c.reviewed).map((c) => c.id), 'cards with no reviewed: date and versions (see knowledge/README.md)').toEqual([]);
    // The validator checks the tools and versions; a tool that no card names is a stale entry in topics.yaml.
    const named = new Set(kb.concepts.flatMap((c) => Object.keys(c.reviewed?.versions ?? {}).map((tool) => `${c.topic}/${tool}`)));
    for (const t of kb.topics) for (const tool of Object.keys(t.releases)) expect(named.has(`${t.id}/${tool}`), `${t.id}: ${tool}`).toBe(true);
  });

  it('has an overview card per topic', () => {
    for (const t of kb.topics) expect(kb.byId.has(`${t.id}/overview`), t.id).toBe(true);
  });

  it('does not repeat the known errors of the seed notes', () => {
    const text = (id: string) => {
      const c = kb.byId.get(id);
      return c ? `${c.summary}\n${c.body}\n${c.quiz.map((q) => `${q.question} ${q.answer} ${q.why}`).join('\n')}`.toLowerCase() : '';
    };
    const all = kb.concepts.map((c) => text(c.id)).join('\n');
    expect(all).not.toMatch(/hadoop file system/);
    expect(all).not.toMatch(/last recently used/);
    expect(all).not.toMatch(/astronomer/);
    for (const c of kb.concepts.filter((x) => x.topic === 'hadoop' && /secondary/i.test(x.title))) {
      expect(text(c.id)).toMatch(/checkpoint/);
    }
  });
});
