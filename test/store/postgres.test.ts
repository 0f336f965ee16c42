import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PostgresStore, migratePostgres } from '../../src/store/postgres.js';
import { storeContract } from './contract.js';
import { migrationContract } from './migration-contract.js';
import { settingsAndDueContract } from './settings-due-contract.js';
import { slackInstallationContract } from './slack-installations-contract.js';

const url = process.env.TEST_DATABASE_URL;
const skipReason = 'skipped: TEST_DATABASE_URL is not set (.ci/run starts a PostgreSQL server and sets it)';
if (!url) console.warn(`PostgreSQL store tests ${skipReason}`);

describe.skipIf(!url)(url ? 'PostgreSQL' : `PostgreSQL (${skipReason})`, () => {
  const admin = new pg.Pool({ connectionString: url });
  const schemas: string[] = [];
  const pools: pg.Pool[] = [];

  /** The URL of a new, empty schema: every test gets its own. */
  async function freshSchema(): Promise<string> {
    const schema = `backfill_test_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    const inSchema = new URL(url!);
    inSchema.searchParams.set('options', `-c search_path=${schema}`);
    return inSchema.toString();
  }

  function pool(schemaUrl: string): pg.Pool {
    const p = new pg.Pool({ connectionString: schemaUrl });
    pools.push(p);
    return p;
  }

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    for (const schema of schemas) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  storeContract('PostgreSQL', async () => PostgresStore.open(await freshSchema()));
  slackInstallationContract('PostgreSQL', async () => PostgresStore.open(await freshSchema()));
  settingsAndDueContract('PostgreSQL', async () => PostgresStore.open(await freshSchema()));

  migrationContract('PostgreSQL', async () => {
    const schemaUrl = await freshSchema();
    const db = pool(schemaUrl);
    return {
      migrate: (migrations) => migratePostgres(db, migrations),
      versions: async () => (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version),
      exec: async (sql) => void (await db.query(sql)),
      openStore: () => PostgresStore.open(schemaUrl),
    };
  });

  it('applies each migration once when several processes start together', async () => {
    const schemaUrl = await freshSchema();
    const starts = await Promise.all(Array.from({ length: 4 }, () => migratePostgres(pool(schemaUrl))));
    expect(starts.reduce((a, b) => a + b, 0)).toBe(MIGRATIONS.length);
    const { rows } = await pool(schemaUrl).query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("keeps working when another process's migration adds a column to a table it reads and writes", async () => {
    // Its statements are prepared once per connection: one that a newer release's migration
    // changes under it (a SELECT * gaining a column) would fail every time after.
    const schemaUrl = await freshSchema();
    const store = await PostgresStore.open(schemaUrl);
    try {
      const at = '2026-03-02T09:00:00.000Z';
      const roundTrip = async (key: string) => {
        expect(await store.claimOutbox(key, 'slack:T1:C1', 'p1', at, at)).toBe(true);
        expect(await store.settleOutbox(key, 'p1', { state: 'sent', messageId: `m-${key}`, settledAt: at })).toBe(true);
        expect(await store.getOutbox(key)).toMatchObject({ state: 'sent', messageId: `m-${key}` });
        expect((await store.outboxOf('slack:T1:C1')).map((r) => r.postKey)).toContain(key);
      };
      // Often enough that every connection of the pool has prepared them.
      for (let i = 0; i < 12; i++) await roundTrip(`before-${i}`);
      await pool(schemaUrl).query('ALTER TABLE outbox ADD COLUMN added_by_a_later_release TEXT');
      for (let i = 0; i < 12; i++) await roundTrip(`after-${i}`);
    } finally {
      await store.close();
    }
  });

  it('reports a database it cannot reach as a configuration problem', async () => {
    const wrong = new URL(url!);
    wrong.pathname = '/backfill_no_such_database';
    const opening = PostgresStore.open(wrong.toString());
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(/^DATABASE_URL: could not connect to PostgreSQL \(.*backfill_no_such_database/);
  });
});

describe('PostgreSQL settings read before connecting', () => {
  it('reports a CA file the URL names that cannot be read as a configuration problem, not a crash', async () => {
    const missing = join(tmpdir(), `backfill-no-such-ca-${randomBytes(4).toString('hex')}.pem`);
    const withCa = `postgres://backfill:secret@127.0.0.1:9/backfill?sslmode=verify-full&sslrootcert=${encodeURIComponent(missing)}`;
    for (const opening of [PostgresStore.open(withCa), PostgresStore.hasTables(withCa)]) {
      await expect(opening).rejects.toBeInstanceOf(ConfigError);
      await expect(opening).rejects.toThrow(`DATABASE_URL: could not connect to PostgreSQL (ENOENT: no such file or directory, open '${missing}')`);
    }
  });
});
