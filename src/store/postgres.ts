import pg from 'pg';
import { ConfigError } from '../config/env.js';
import { MIGRATIONS, MIGRATIONS_TABLE, RECORD_MIGRATION, type Migration } from './migrations.js';
import type { Row } from './rows.js';
import { NoChange, SqlStore, type SqlDatabase } from './sql-store.js';
import type { Store } from './store.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * The shared SQL as PostgreSQL runs it: `?` placeholders as `$1, $2, ...` (no query has a `?`
 * inside a literal), and a row statement named, so that each connection parses and plans it once
 * (a daily post writes its outbox record twice: these are the hot statements). Not one with `*`: a
 * prepared `SELECT *` fails once another process's migration adds a column.
 */
const statements = new Map<string, { text: string; name?: string }>();
const MAX_STATEMENTS = 500;

function statement(sql: string): { text: string; name?: string } {
  const known = statements.get(sql);
  if (known) return known;
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (statements.size >= MAX_STATEMENTS) return { text };
  const s = /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.test(sql) && !sql.includes('*') ? { text, name: `backfill_${statements.size}` } : { text };
  statements.set(sql, s);
  return s;
}

const query = (db: Queryable, sql: string, params: unknown[] = []) => db.query<Row>({ ...statement(sql), values: params });

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Applies the migrations a database has not seen yet, each in its own transaction; how many it applied.
 * Each transaction first takes an advisory lock, so processes starting together apply each step once.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  let count = 0;
  for (const m of migrations) {
    const applied = await inTransaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('backfill schema migrations'))");
      await client.query(MIGRATIONS_TABLE);
      const done = await query(client, 'SELECT 1 FROM schema_migrations WHERE version = ?', [m.version]);
      if (done.rowCount) return false;
      await client.query(m.postgres);
      await query(client, RECORD_MIGRATION, [m.version, m.name, new Date().toISOString()]);
      return true;
    });
    if (applied) count++;
  }
  return count;
}

function postgresDatabase(pool: pg.Pool): SqlDatabase {
  return {
    rows: async (sql, params) => (await query(pool, sql, params)).rows,
    run: async (sql, params) => (await query(pool, sql, params)).rowCount ?? 0,
    runAll: async (statements) => {
      await inTransaction(pool, async (client) => {
        for (const s of statements) {
          const changes = (await query(client, s.sql, s.params)).rowCount ?? 0;
          if (s.mustChange && changes === 0) throw new NoChange(s.mustChange);
        }
      });
    },
    close: () => pool.end(),
  };
}

function couldNotConnect(err: unknown): ConfigError {
  const message = err instanceof Error ? err.message : String(err);
  return new ConfigError([`DATABASE_URL: could not connect to PostgreSQL (${message})${connectHint(message, (err as { code?: string }).code)}`]);
}

/** What to change in DATABASE_URL for the mistakes people make most, after the driver's own words. */
function connectHint(message: string, code: string | undefined): string {
  // pg says this when the server asks for a password and the URL has none.
  if (/client password must be a string/.test(message)) return ': the server asks for a password; write it in the URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  // 28P01: invalid_password.
  if (code === '28P01') return ': check the password, and write any @ : / ? # % in it percent-encoded (%40 for @)';
  return '';
}

/** The schema could not be created: the user may connect, not create tables (PostgreSQL 15 gives only the owner CREATE on public). */
async function mayNotCreate(pool: pg.Pool, err: Error): Promise<ConfigError> {
  const { rows } = await pool.query<{ who: string; db: string; schema: string | null }>('SELECT current_user AS who, current_database() AS db, current_schema() AS schema');
  const { who, db, schema } = rows[0]!;
  return new ConfigError([
    `DATABASE_URL: the user "${who}" may connect to "${db}" but not create Backfill's tables there (${err.message}): make it the database's owner (ALTER DATABASE ${db} OWNER TO ${who}), or GRANT CREATE ON SCHEMA ${schema ?? 'public'} TO ${who}`,
  ]);
}

/** The store in a PostgreSQL database, shared by every bot process that points at it. */
export class PostgresStore extends SqlStore implements Store {
  private constructor(pool: pg.Pool) {
    super(postgresDatabase(pool));
  }

  /** Whether the database at `url` holds Backfill's tables (a report reads them without creating any). */
  static async hasTables(url: string): Promise<boolean> {
    let client: pg.Client | undefined;
    try {
      client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
      return rows[0]?.present === true;
    } catch (err) {
      throw couldNotConnect(err);
    } finally {
      await client?.end().catch(() => undefined);
    }
  }

  /** Connects to DATABASE_URL and brings its schema up to date. */
  static async open(url: string): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url });
    // A broken idle connection is dropped by the pool and the next query opens another; unheard, its error would end the process.
    pool.on('error', () => undefined);
    try {
      // The URL is read when the first connection opens, and a file it names (sslrootcert) is read
      // then, synchronously: its error is thrown, not returned in the promise.
      try {
        await pool.query('SELECT 1');
      } catch (err) {
        throw couldNotConnect(err);
      }
      try {
        await migratePostgres(pool);
      } catch (err) {
        // 42501: insufficient_privilege.
        if ((err as { code?: string }).code === '42501') throw await mayNotCreate(pool, err as Error);
        throw err;
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }
}
