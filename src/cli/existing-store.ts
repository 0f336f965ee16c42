import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/env.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

/**
 * Reads the configured database for a report, creating none: no SQLite file yet, or no Backfill
 * tables in the PostgreSQL database yet, means nothing was recorded yet, and the answer is
 * undefined (see `noDatabaseYet`). The store is closed whatever `read` does.
 */
export async function readExistingStore<T>(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>, read: (store: Store) => Promise<T>): Promise<T | undefined> {
  if (!(await databaseExists(config))) return undefined;
  const store = await openStore(config);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

async function databaseExists(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>): Promise<boolean> {
  if (!config.DATABASE_URL) return existsSync(config.SQLITE_PATH);
  const { PostgresStore } = await import('../store/postgres.js');
  return PostgresStore.hasTables(config.DATABASE_URL);
}

/** The line a report prints when `readExistingStore` found no database: `nothing` happened so far. */
export function noDatabaseYet(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>, nothing: string): string {
  if (config.DATABASE_URL) return `No Backfill tables in the DATABASE_URL database yet: ${nothing} so far. The bot creates them when it first starts.\n`;
  return `No database at ${resolve(config.SQLITE_PATH)} yet: ${nothing} so far. The bot creates it when it first starts (SQLITE_PATH sets where).\n`;
}
