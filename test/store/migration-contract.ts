import { describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';
import type { Store } from '../../src/store/store.js';

/** A fresh, empty database, reached the way each store reaches it. */
export interface MigrationTarget {
  /** Runs the migration runner; how many steps it applied. */
  migrate(migrations?: readonly Migration[]): Promise<number>;
  /** The versions recorded in schema_migrations, in order. */
  versions(): Promise<number[]>;
  /** Runs plain SQL on the database. */
  exec(sql: string): Promise<void>;
  /** Opens the store on this database, which migrates it. */
  openStore(): Promise<Store>;
}

const everyVersion = MIGRATIONS.map((m) => m.version);

/** The migration runner: each version once, nothing on a second run, and an upgrade that keeps the data. */
export function migrationContract(name: string, fresh: () => Promise<MigrationTarget>): void {
  describe(`${name}: migrations`, () => {
    it('lists versions in increasing order without gaps', () => {
      expect(everyVersion).toEqual(everyVersion.map((_, i) => i + 1));
    });

    it('gives a fresh database every version once, and changes nothing on a second run', async () => {
      const db = await fresh();
      expect(await db.migrate()).toBe(MIGRATIONS.length);
      expect(await db.versions()).toEqual(everyVersion);
      expect(await db.migrate()).toBe(0);
      expect(await db.versions()).toEqual(everyVersion);
    });

    it('upgrades a database made by the previous schema version, keeping its data', async () => {
      const db = await fresh();
      const previous = MIGRATIONS.slice(0, -1);
      expect(await db.migrate(previous)).toBe(previous.length);
      await db.exec(`INSERT INTO quizzes (id, kind, address, scope, topic, total, current, state, end_reason, idle, window_seconds, started_by, started_by_name, created_at)
        VALUES ('old', 'quiz', 'slack:T1:C1', 'slack:T1', NULL, 3, 1, 'running', NULL, 0, 20, 'U1', 'mia', '2026-01-01T00:00:00.000Z')`);
      const store = await db.openStore();
      try {
        expect(await db.versions()).toEqual(everyVersion);
        expect(await store.getQuiz('old')).toMatchObject({ id: 'old', current: 1, state: 'running' });
        expect(await store.claimPost('slack:T1:C1', 'concept', '2026-01-01', '2026-01-01T09:00:00.000Z')).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('ends all but the oldest of several running quizzes in a channel before one running quiz per channel holds', async () => {
      const db = await fresh();
      await db.migrate(MIGRATIONS.filter((m) => m.version <= 2));
      const row = (id: string, channel: string, minute: number, state = 'running') =>
        `('${id}', 'quiz', 'slack:T1:${channel}', 'slack:T1', NULL, 2, 0, '${state}', NULL, 0, 20, 'U1', 'mia', '2026-01-01T00:0${minute}:00.000Z')`;
      await db.exec(`INSERT INTO quizzes (id, kind, address, scope, topic, total, current, state, end_reason, idle, window_seconds, started_by, started_by_name, created_at) VALUES
        ${[row('second', 'C1', 2), row('first', 'C1', 1), row('third', 'C1', 3), row('alone', 'C2', 5), row('over', 'C2', 0, 'finished')].join(', ')}`);
      const store = await db.openStore();
      try {
        expect((await store.runningQuizzes()).map((q) => q.id)).toEqual(['first', 'alone']);
        expect(await store.getQuiz('third')).toMatchObject({ state: 'finished', endReason: 'Ended: another quiz was already running here.' });
      } finally {
        await store.close();
      }
    });
  });
}
