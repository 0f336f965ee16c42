import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { consolePlatform } from './adapters/console/platform.js';
import { createBackfill, type Backfill } from './app.js';
import { ConfigError, type Config } from './config/env.js';
import { createLogger, type Logger } from './core/log.js';
import type { CommandRegistry } from './core/registry.js';
import { openKnowledgeCached } from './knowledge/snapshot.js';
import { openStore } from './store/open.js';

/** Why a path cannot hold the SQLite database, as an errno code or a few words. */
function problemOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Checks SQLITE_PATH and creates its missing folders one level at a time, so that a bad path fails
 * at once with a line naming it. Node's `mkdirSync(..., { recursive: true })`, which the store uses,
 * never returns for a missing folder under /proc (the kernel answers ENOENT for it while its parent
 * exists, and Node retries the parent forever); a FIFO or a device would block SQLite's first read.
 */
export function prepareSqlitePath(path: string): string[] {
  const fail = (why: string) => new ConfigError([`SQLITE_PATH: cannot create or open a SQLite database at ${path} (${why})`]);
  const missing: string[] = [];
  let dir = dirname(path);
  for (;;) {
    let stats;
    try {
      stats = statSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(`${dir}: ${problemOf(err)}`);
    }
    if (stats) {
      if (!stats.isDirectory()) throw fail(`${dir} is not a folder`);
      break;
    }
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(`cannot create the folder ${folder}: ${problemOf(err)}`);
    }
  }
  let file;
  try {
    file = statSync(path);
  } catch {
    return missing; // SQLite creates it.
  }
  if (!file.isFile()) throw fail('it exists and is not a regular file');
  return missing;
}

export async function openBackfill(config: Config, log: Logger): Promise<Backfill> {
  // From a compiled snapshot while one is current (KNOWLEDGE_CACHE_DIR), else from the files. An
  // invalid card is left out with a warning rather than keeping the bot down; `kb validate` and the
  // tests still fail on it.
  const { kb, search } = await openKnowledgeCached(config.KNOWLEDGE_DIR, { log, skipInvalidCards: true });
  // Only once the knowledge base loaded: a start that fails leaves no empty data folder behind.
  if (!config.DATABASE_URL && config.SQLITE_PATH !== ':memory:') {
    const created = prepareSqlitePath(config.SQLITE_PATH);
    if (created.length) log.info(`created ${created.at(-1)} for the SQLite database (SQLITE_PATH)`);
  }
  const knowledge = { kb, search };
  log.info(`knowledge base: ${knowledge.kb.concepts.length} concepts from ${config.KNOWLEDGE_DIR}`);
  return createBackfill({
    knowledge,
    store: await openStore(config),
    log,
    answerSeconds: config.QUIZ_ANSWER_SECONDS,
    defaultTimezone: config.DEFAULT_TIMEZONE,
    dailyRevealMinutes: config.DAILY_QUIZ_REVEAL_MINUTES,
  });
}

/**
 * Runs `use` with the command registry of a Backfill on a throwaway in-memory database: for tools
 * that only need the commands (the Slack manifest, Discord command deployment).
 */
export async function withCommands<T>(config: Config, use: (commands: CommandRegistry) => Promise<T> | T): Promise<T> {
  const app = await openBackfill({ ...config, SQLITE_PATH: ':memory:', DATABASE_URL: undefined }, createLogger('warn'));
  try {
    return await use(app.bot.commands);
  } finally {
    await app.close();
  }
}

/** The terminal chat: interactive at a TTY, line by line from a pipe, ending with its input. */
export async function runConsole(config: Config, ready: () => void = () => {}): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // In a pipe, keep stderr quiet unless asked: stdout is the conversation.
  const log = createLogger(interactive ? config.LOG_LEVEL : config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  if (config.HEALTH_PORT !== undefined) log.warn('HEALTH_PORT is set, but the health endpoint is served by Slack and Discord processes only; the console chat has none.');
  const app = await openBackfill(config, log);
  const chat = await consolePlatform.start(app, { input: process.stdin, output: process.stdout, interactive }, log);
  await app.resume();
  ready();
  try {
    const end = await chat.run();
    // Under a supervisor with no platform configured, the console's input is empty: say why it stops at once.
    if (end === 'input-ended' && chat.chat.linesRead === 0 && !interactive) {
      log.warn('No Slack or Discord settings are set, so this ran the console chat, and its input ended before any line: set SLACK_* or DISCORD_* (see .env.example) to run on a platform.');
    }
  } finally {
    await app.close();
  }
}
