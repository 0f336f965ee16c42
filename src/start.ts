import { ConsoleAdapter } from './adapters/console/console.js';
import { createBackfill, type Backfill } from './app.js';
import type { Config } from './config/env.js';
import { createLogger, type Logger } from './core/log.js';
import type { CommandRegistry } from './core/registry.js';
import { openKnowledge } from './knowledge/index.js';
import { openStore } from './store/open.js';

export async function openBackfill(config: Config, log: Logger): Promise<Backfill> {
  const knowledge = openKnowledge(config.KNOWLEDGE_DIR);
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
export async function runConsole(config: Config): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // In a pipe, keep stderr quiet unless asked: stdout is the conversation.
  const log = createLogger(interactive ? config.LOG_LEVEL : config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const app = await openBackfill(config, log);
  const chat = new ConsoleAdapter({ input: process.stdin, output: process.stdout, interactive });
  app.messengers.register('console', chat);
  chat.attach(app.bot);
  await app.resume();
  try {
    await chat.run();
  } finally {
    await app.close();
  }
}
