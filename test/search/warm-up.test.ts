import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { warmUp } from '../../src/search/warm-up.js';
import { testApp } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

describe('the warm-up before a platform takes requests', async () => {
  const { app, database } = testApp(REAL_KNOWLEDGE_DIR);
  afterAll(() => app.close());
  const tablesBefore = rowCounts(database);
  const warmed = await warmUp(app);

  it('searches, renders cards through the explain command, builds the quiz bank and posts with fetch', () => {
    expect(warmed.searches).toBeGreaterThanOrEqual(24 * 5);
    expect(warmed.cards).toBeGreaterThanOrEqual(24);
    expect(warmed.questions).toBe(app.quizzes.questionCount);
    expect(warmed.questions).toBeGreaterThan(app.knowledge.kb.concepts.length);
    expect(warmed.requests).toBe(100);
  });

  it('leaves no trace: nothing is written to the database, no question is recorded as a miss', async () => {
    expect(rowCounts(database)).toEqual(tablesBefore);
    expect(await app.store.searchGaps('1970-01-01T00:00:00.000Z', 10)).toEqual([]);
  });

  it('works on a knowledge base of a few cards', async () => {
    const small = { ...app, knowledge: { ...app.knowledge, kb: { ...app.knowledge.kb, concepts: app.knowledge.kb.concepts.slice(0, 3) } } };
    const r = await warmUp(small);
    expect(r.cards).toBeGreaterThanOrEqual(3);
  });
});

/** Rows in every table of a SQLite database file. */
function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
