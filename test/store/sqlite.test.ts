import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { SqliteStore, migrate } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { storeContract } from './contract.js';
import { migrationContract } from './migration-contract.js';
import { settingsAndDueContract } from './settings-due-contract.js';
import { slackInstallationContract } from './slack-installations-contract.js';

storeContract('SQLite', async () => new SqliteStore(tempDatabase()));
slackInstallationContract('SQLite', async () => new SqliteStore(tempDatabase()));
settingsAndDueContract('SQLite', async () => new SqliteStore(tempDatabase()));

const opened: Database.Database[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

migrationContract('SQLite', async () => {
  const path = tempDatabase();
  const db = new Database(path);
  opened.push(db);
  return {
    migrate: async (migrations) => migrate(db, migrations),
    versions: async () => db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[],
    exec: async (sql) => void db.exec(sql),
    openStore: async () => new SqliteStore(path),
  };
});
