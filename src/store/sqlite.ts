import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, MIGRATIONS_TABLE, RECORD_MIGRATION, type Migration } from './migrations.js';
import type { Row } from './rows.js';
import { NoChange, SqlStore, type SqlDatabase } from './sql-store.js';

/** Applies the migrations a database has not seen yet, each in its own transaction; how many it applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(MIGRATIONS_TABLE);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => (r as { version: number }).version));
  let count = 0;
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sqlite);
      db.prepare(RECORD_MIGRATION).run(m.version, m.name, new Date().toISOString());
    }).immediate();
    count++;
  }
  return count;
}

function sqliteDatabase(db: Database.Database): SqlDatabase {
  return {
    rows: async (sql, params = []) => db.prepare(sql).all(...params) as Row[],
    run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
    runAll: async (statements) => {
      db.transaction(() => {
        for (const s of statements) {
          const changes = db.prepare(s.sql).run(...s.params).changes;
          if (s.mustChange && changes === 0) throw new NoChange(s.mustChange);
        }
      }).immediate();
    },
    close: async () => {
      db.close();
    },
  };
}

/** The store in one SQLite file (or in memory, for ':memory:'), migrated when opened. */
export class SqliteStore extends SqlStore {
  readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    super(sqliteDatabase(db));
    this.db = db;
  }
}
