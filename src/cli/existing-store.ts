import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/env.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

/**
 * Reads the configured database for a report, creating none: no SQLite file yet means nothing was
 * recorded yet, and the answer is undefined (see `noDatabaseYet`). The store is closed whatever
 * `read` does.
 */
export async function readExistingStore<T>(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>, read: (store: Store) => Promise<T>): Promise<T | undefined> {
  if (!config.DATABASE_URL && !existsSync(config.SQLITE_PATH)) return undefined;
  const store = await openStore(config);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** The line a report prints when `readExistingStore` found no SQLite file: `nothing` happened so far. */
export function noDatabaseYet(config: Pick<Config, 'SQLITE_PATH'>, nothing: string): string {
  return `No database at ${resolve(config.SQLITE_PATH)} yet: ${nothing} so far. The bot creates it when it first starts (SQLITE_PATH sets where).\n`;
}
