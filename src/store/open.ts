import { userInfo } from 'node:os';
import { ConfigError, type Config } from '../config/env.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The configured store, migrated: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>): Promise<Store> {
  if (!config.DATABASE_URL) {
    try {
      return new SqliteStore(config.SQLITE_PATH);
    } catch (err) {
      const why = (err as Error).message;
      // SQLite says no more when the folder exists but this user may not write in it.
      const hint = /unable to open database file|readonly/i.test(why) ? `; check that this user (${userName()}) may write in its folder` : '';
      throw new ConfigError([`SQLITE_PATH: cannot create or open a SQLite database at ${config.SQLITE_PATH} (${why})${hint}`]);
    }
  }
  const { PostgresStore } = await import('./postgres.js');
  return PostgresStore.open(config.DATABASE_URL);
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
