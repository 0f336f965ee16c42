import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackfill, type Backfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { FakeTime } from './time.js';

/** A fresh SQLite database file in a temporary folder. */
export function tempDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'backfill-db-')), 'backfill.sqlite');
}

/** A Backfill on a real SQLite file with fake time and a seeded random source. */
export function testApp(knowledgeDir: string, options: { database?: string; time?: FakeTime; seed?: number; answerSeconds?: number } = {}) {
  const time = options.time ?? new FakeTime();
  const database = options.database ?? tempDatabase();
  const app: Backfill = createBackfill({
    knowledge: openKnowledge(knowledgeDir),
    store: new SqliteStore(database),
    log: silentLogger,
    clock: time,
    timers: time,
    random: seeded(options.seed ?? 1),
    answerSeconds: options.answerSeconds ?? 20,
  });
  return { app, time, database };
}

/** A small deterministic random generator (mulberry32), so quizzes are reproducible in tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
