import { existsSync } from 'node:fs';
import type { Config } from '../config/env.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

/**
 * Reads the configured database for a report, creating none: no SQLite file yet means nothing was
 * recorded yet, so the answer is `empty`. The store is closed whatever `read` does.
 */
export async function readExistingStore<T>(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>, empty: T, read: (store: Store) => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL && !existsSync(config.SQLITE_PATH)) return empty;
  const store = await openStore(config);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}
