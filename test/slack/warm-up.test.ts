import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { warmUpSlack } from '../../src/adapters/slack/warm-up.js';
import type { Backfill } from '../../src/app.js';
import { testApp } from '../helpers/app.js';

const KNOWLEDGE = new URL('../../knowledge/', import.meta.url).pathname;

/** Rows in every table of a SQLite file. */
function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe('the Slack warm-up before a start takes requests', () => {
  let app: Backfill | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('sends signed commands through the Slack app on loopback, within its budget, and records nothing', async () => {
    const made = testApp(KNOWLEDGE);
    app = made.app;
    const before = rowCounts(made.database);
    const warm = await warmUpSlack(app, { budgetMs: 300, maxRequests: 100_000 });
    expect(warm.requests).toBeGreaterThan(0);
    // On a busy machine the last round's answers may miss the deadline (half the budget again).
    expect(warm.answered).toBeGreaterThan(0);
    expect(warm.answered).toBeLessThanOrEqual(warm.requests);
    // The budget ends it, not the number of requests: far fewer went out than it may send. Its time
    // includes starting the app, which a busy machine slows, so it is bounded loosely.
    expect(warm.requests).toBeLessThan(100_000);
    expect(warm.ms).toBeLessThan(300 * 1.5 + 5_000);
    expect(rowCounts(made.database)).toEqual(before);
  });

  it('answers every command, stops at maxRequests, and a second warm-up works as the first (nothing of it is left listening)', async () => {
    app = testApp(KNOWLEDGE).app;
    const first = await warmUpSlack(app, { budgetMs: 5_000, maxRequests: 30 });
    const second = await warmUpSlack(app, { budgetMs: 5_000, maxRequests: 30 });
    expect(first).toMatchObject({ requests: 30, answered: 30 });
    expect(second).toMatchObject({ requests: 30, answered: 30 });
  });

  it('sends health checks between the commands, and closes its connections and opens new ones every few rounds, as a load balancer and Slack do', async () => {
    app = testApp(KNOWLEDGE).app;
    const warm = await warmUpSlack(app, { budgetMs: 60_000, maxRequests: 600 });
    expect(warm).toMatchObject({ requests: 600, answered: 600 });
    // Six rounds: a health check per five commands, and the hundred connections opened twice.
    expect(warm.checks).toBe(120);
    expect(warm.connections).toBeGreaterThan(100);
  });
});
