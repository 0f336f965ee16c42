import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { LearningService } from '../../src/learning/service.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { tempDatabase } from '../helpers/app.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { FakeTime } from '../helpers/time.js';

function concept(topic: string, n: number, prerequisites: string[] = []): ConceptFixture {
  return {
    id: `${topic}/c${n}`,
    title: `${topic} concept ${n}`,
    summary: `A summary of idea number ${n} in ${topic}, long enough to quiz on.`,
    prerequisites,
    quiz: [{ question: `Which option is right for question ${topic} ${n}?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
  };
}

/** Six Kafka concepts (c6 needs c5) and four Spark ones, each with a hand-written question. */
export const KNOWLEDGE_DIR = writeKnowledge([...[1, 2, 3, 4, 5].map((n) => concept('kafka', n)), concept('kafka', 6, ['kafka/c5']), ...[1, 2, 3, 4].map((n) => concept('spark', n))]);
export const knowledge = openKnowledge(KNOWLEDGE_DIR);

export const DAY = 86_400_000;

export function learning(store: Store, time: FakeTime, defaultTimezone = 'UTC'): LearningService {
  return new LearningService({ store, knowledge, clock: time, timers: time, random: seededRandom(7), log: silentLogger, defaultTimezone });
}

/** A database that several stores (processes) can open, and a way to list every text in it. */
export interface Database {
  open(): Promise<Store>;
  /** Rows per table.column whose value contains `needle`. */
  find(needle: string): Promise<Record<string, number>>;
  /** Rows per table. */
  tables(): Promise<string[]>;
  /** The SQLite file, for a whole app on it. */
  path?: string;
}

function sqlite(): Database {
  const path = tempDatabase();
  const open = async () => new SqliteStore(path);
  const withDb = async <T>(work: (store: SqliteStore) => T): Promise<T> => {
    const store = new SqliteStore(path);
    try {
      return work(store);
    } finally {
      await store.close();
    }
  };
  const tables = () => withDb((s) => (s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]));
  return {
    path,
    open,
    tables,
    find: (needle) =>
      withDb((s) => {
        const found: Record<string, number> = {};
        for (const table of s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]) {
          for (const column of s.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]) {
            const n = s.db.prepare(`SELECT COUNT(*) FROM "${table}" WHERE instr(CAST("${column}" AS TEXT), ?) > 0`).pluck().get(needle) as number;
            if (n) found[`${table}.${column}`] = n;
          }
        }
        return found;
      }),
  };
}

const pgUrl = process.env.TEST_DATABASE_URL;
const schemas: string[] = [];

function postgres(url: string): Database {
  const schema = `backfill_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  let created: Promise<void> | undefined;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const ready = () => (created ??= admin(async (c) => void (await c.query(`CREATE SCHEMA ${schema}`))));
  const columns = () =>
    admin(async (c) => (await c.query<{ table_name: string; column_name: string }>('SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position', [schema])).rows);
  return {
    open: async () => {
      await ready();
      return PostgresStore.open(inSchema.toString());
    },
    tables: async () => [...new Set((await columns()).map((c) => c.table_name))].sort(),
    find: async (needle) => {
      const found: Record<string, number> = {};
      const cols = await columns();
      await admin(async (c) => {
        for (const { table_name: t, column_name: col } of cols) {
          const { rows } = await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}."${t}" WHERE strpos(CAST("${col}" AS TEXT), $1) > 0`, [needle]);
          if (Number(rows[0]!.n)) found[`${t}.${col}`] = Number(rows[0]!.n);
        }
      });
      return found;
    },
  };
}

/** SQLite always; PostgreSQL when TEST_DATABASE_URL names a database the tests may create schemas in. */
export const DATABASES: Array<{ name: string; fresh: () => Database }> = [{ name: 'SQLite', fresh: sqlite }, ...(pgUrl ? [{ name: 'PostgreSQL', fresh: () => postgres(pgUrl) }] : [])];

/** Drops the PostgreSQL schemas the tests made. */
export async function dropSchemas(): Promise<void> {
  if (!pgUrl || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
