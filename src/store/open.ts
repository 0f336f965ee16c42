import type { Config } from '../config/env.js';
import { ConfigError } from '../config/env.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The configured store: the SQLite file by default. */
export function openStore(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>): Store {
  if (config.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL: PostgreSQL storage is not available in this version; unset it to use the SQLite file (SQLITE_PATH)']);
  }
  return new SqliteStore(config.SQLITE_PATH);
}
