import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readExistingStore } from '../../src/cli/existing-store.js';
import { gapsCli } from '../../src/cli/gaps.js';
import { reportsCli } from '../../src/cli/reports.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';

const kb = openKnowledge(writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }])).kb;

async function run(cli: (out: PassThrough) => Promise<number>): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += String(chunk)));
  expect(await cli(out)).toBe(0);
  return text;
}

describe('reports read an existing database and create none', () => {
  it('says there is no database there yet from a SQLite file that does not exist, leaving none behind', async () => {
    const config = { DATABASE_URL: undefined, SQLITE_PATH: `${tempDatabase()}.none` };
    expect(await readExistingStore(config, async () => 'read')).toBeUndefined();
    expect(await run((out) => reportsCli(config, kb, undefined, false, out))).toBe(`No database at ${config.SQLITE_PATH} yet: nobody has reported a problem so far. The bot creates it when it first starts (SQLITE_PATH sets where).\n`);
    expect(await run((out) => gapsCli(config, 7, false, out))).toBe(`No database at ${config.SQLITE_PATH} yet: nobody has asked the bot anything so far. The bot creates it when it first starts (SQLITE_PATH sets where).\n`);
    // --json keeps its shape: an empty report.
    expect(JSON.parse(await run((out) => gapsCli(config, 7, true, out)))).toMatchObject({ days: 7, gaps: [] });
    expect(JSON.parse(await run((out) => reportsCli(config, kb, undefined, true, out)))).toMatchObject({ days: null, concepts: [] });
    expect(existsSync(config.SQLITE_PATH)).toBe(false);
  });

  it('answers "nothing yet" from a database that exists but holds nothing', async () => {
    const config = { DATABASE_URL: undefined, SQLITE_PATH: tempDatabase() };
    await new SqliteStore(config.SQLITE_PATH).close();
    expect(await run((out) => reportsCli(config, kb, undefined, false, out))).toBe('No problems reported so far.\n');
    expect(await run((out) => gapsCli(config, 7, false, out))).toBe('No unanswered questions in the last 7 days.\n');
  });

  it('reads a file that exists, and closes it even when the read fails', async () => {
    const path = tempDatabase();
    const store = new SqliteStore(path);
    await store.addReport({ conceptId: 'kafka/acks', questionKey: null, kind: 'unclear', note: 'which replicas?', at: '2026-01-02T00:00:00.000Z', platform: 'slack' });
    await store.close();
    const config = { DATABASE_URL: undefined, SQLITE_PATH: path };
    const json = JSON.parse(await run((out) => reportsCli(config, kb, undefined, true, out)));
    expect(json.concepts).toMatchObject([{ conceptId: 'kafka/acks', count: 1, reports: [{ kind: 'unclear', note: 'which replicas?' }] }]);
    let opened: SqliteStore | undefined;
    await expect(
      readExistingStore(config, async (s) => {
        opened = s as SqliteStore;
        throw new Error('read failed');
      }),
    ).rejects.toThrow('read failed');
    await expect(opened!.reports()).rejects.toThrow();
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!pgUrl)('reports on PostgreSQL', () => {
  it('create no table in a database the bot has not used yet, and read one it has', async () => {
    const schema = `backfill_report_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(pgUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const config = { DATABASE_URL: url.toString(), SQLITE_PATH: `${tempDatabase()}.none` };
      const tables = async () => (await admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])).rowCount;
      expect(await run((out) => gapsCli(config, 7, false, out))).toBe('No Backfill tables in the DATABASE_URL database yet: nobody has asked the bot anything so far. The bot creates them when it first starts.\n');
      expect(JSON.parse(await run((out) => reportsCli(config, kb, undefined, true, out)))).toMatchObject({ concepts: [] });
      expect(await tables()).toBe(0);
      const store = await PostgresStore.open(config.DATABASE_URL);
      await store.addReport({ conceptId: 'kafka/acks', questionKey: null, kind: 'wrong', note: null, at: '2026-01-02T00:00:00.000Z', platform: 'discord' });
      await store.close();
      expect(JSON.parse(await run((out) => reportsCli(config, kb, undefined, true, out))).concepts).toMatchObject([{ conceptId: 'kafka/acks', count: 1 }]);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
