import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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

  it('says how to let a user who may connect but not create tables set up the schema, without a stack trace', async () => {
    const schemaUrl = await freshSchema();
    const schema = new URL(schemaUrl).searchParams.get('options')!.split('=')[1]!;
    await admin.query(`REVOKE CREATE ON SCHEMA ${schema} FROM CURRENT_USER`);
    const opening = PostgresStore.open(schemaUrl);
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(
      new RegExp(`^DATABASE_URL: the user "\\w+" may connect to "\\w+" but not create Backfill's tables there \\(permission denied for schema ${schema}\\): .*GRANT CREATE ON SCHEMA ${schema} TO`),
    );
  });

  it('reports a database it cannot reach as a configuration problem', async () => {
    const wrong = new URL(url!);
    wrong.pathname = '/backfill_no_such_database';
    const opening = PostgresStore.open(wrong.toString());
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(/^DATABASE_URL: could not connect to PostgreSQL \(.*backfill_no_such_database/);
  });
});

/**
 * A PostgreSQL server on loopback that asks for a password the SCRAM way, or refuses the one given
 * (as a server with password authentication does; the test server trusts every local user).
 */
async function passwordServer(refuse: boolean): Promise<{ url: (auth: string) => string; close(): Promise<void> }> {
  const int32 = (n: number) => Buffer.from([(n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  const message = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let messages = 0;
    socket.on('data', () => {
      // The startup message first, then the client's first SCRAM message.
      messages++;
      if (refuse) {
        const fields = ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "backfill"'].map((f) => `${f}\0`).join('');
        socket.end(message('E', Buffer.from(`${fields}\0`)));
      } else if (messages === 1) socket.write(message('R', Buffer.concat([int32(10), Buffer.from('SCRAM-SHA-256\0\0')])));
      else socket.write(message('R', Buffer.concat([int32(11), Buffer.from('r=abc,s=c2FsdA==,i=4096')])));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: (auth) => `postgres://${auth}@127.0.0.1:${port}/backfill`,
    // The client keeps its connection after the error: the test closes it.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe('PostgreSQL settings read before connecting', () => {
  it('says to put the password in the URL when the server asks for one and the URL has none', async () => {
    const server = await passwordServer(false);
    try {
      const opening = PostgresStore.open(server.url('backfill'));
      await expect(opening).rejects.toBeInstanceOf(ConfigError);
      await expect(opening).rejects.toThrow(/could not connect to PostgreSQL \(.*password.*\): the server asks for a password; write it in the URL, postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE$/);
    } finally {
      await server.close();
    }
  });

  it('says how to write a password with @ in it when the server refuses the password', async () => {
    const server = await passwordServer(true);
    try {
      const opening = PostgresStore.open(server.url('backfill:p@ss'));
      await expect(opening).rejects.toBeInstanceOf(ConfigError);
      await expect(opening).rejects.toThrow(/password authentication failed for user "backfill"\): check the password, and write any @ : \/ \? # % in it percent-encoded \(%40 for @\)$/);
    } finally {
      await server.close();
    }
  });


  it('reports a CA file the URL names that cannot be read as a configuration problem, not a crash', async () => {
    const missing = join(tmpdir(), `backfill-no-such-ca-${randomBytes(4).toString('hex')}.pem`);
    const withCa = `postgres://backfill:secret@127.0.0.1:9/backfill?sslmode=verify-full&sslrootcert=${encodeURIComponent(missing)}`;
    for (const opening of [PostgresStore.open(withCa), PostgresStore.hasTables(withCa)]) {
      await expect(opening).rejects.toBeInstanceOf(ConfigError);
      await expect(opening).rejects.toThrow(`DATABASE_URL: could not connect to PostgreSQL (ENOENT: no such file or directory, open '${missing}')`);
    }
  });
});
