import type { Config } from '../config/env.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The configured store, migrated: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>): Promise<Store> {
  if (!config.DATABASE_URL) return new SqliteStore(config.SQLITE_PATH);
  const { PostgresStore } = await import('./postgres.js');
  return PostgresStore.open(config.DATABASE_URL);
}
