import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackfill, type Backfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
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
    random: seededRandom(options.seed ?? 1),
    answerSeconds: options.answerSeconds ?? 20,
  });
  return { app, time, database };
}
