import { describe, expect, it } from 'vitest';
import { openKnowledge } from '../../src/knowledge/index.js';
import { loadQuerySet, QUERY_SET_DIR, scoreQuerySet } from '../../src/search/query-set.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

describe('search on the labelled query set', () => {
  const { kb, search } = openKnowledge(REAL_KNOWLEDGE_DIR);
  const queries = loadQuerySet(QUERY_SET_DIR);
  const result = scoreQuerySet(queries, (q) => search.search(q).match?.concept.id ?? null);

  it('is large and varied enough to mean something', () => {
    expect(queries.length).toBeGreaterThanOrEqual(300);
    expect(result.unanswerable).toBeGreaterThanOrEqual(20);
    const missing = queries.filter((q) => q.expect !== null && !kb.byId.has(q.expect)).map((q) => `${q.file}: ${q.q} -> ${q.expect}`);
    expect(missing, 'queries that expect a concept that does not exist').toEqual([]);
  });

  it('finds the right card for at least 95% of answerable queries', () => {
    const misses = result.misses.map((m) => `${m.file}: ${m.q} -> ${m.got} (expected ${m.expect})`);
    expect(result.accuracy, `misses:\n${misses.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('shows no card for questions the knowledge base cannot answer', () => {
    const why = 'questions no card answers found a card: change that card (an alias, question or error it lists matches too much), not the query file';
    expect(result.falseMatches.map((m) => `${m.file}: ${m.q} -> ${m.got}`), why).toEqual([]);
  });
});
