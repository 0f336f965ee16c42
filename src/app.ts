import { Bot } from './core/bot.js';
import { helpCommand } from './core/commands/help.js';
import { explainCommand, knowledgeActions, randomCommand, topicsCommand, type MissLog } from './core/commands/knowledge.js';
import { dailyCommand } from './core/commands/daily.js';
import { leaderboardCommand, quizActions, quizCommand } from './core/commands/quiz.js';
import type { Logger } from './core/log.js';
import { Outbox } from './core/outbox.js';
import { CommandRegistry } from './core/registry.js';
import { systemClock, systemTimers, type Clock, type Knowledge, type Timers } from './core/services.js';
import { MessengerRegistry } from './adapters/messengers.js';
import { DailyService } from './daily/service.js';
import { QuizService } from './quiz/engine.js';
import { normalizedQuestion } from './search/tokenize.js';
import type { Store } from './store/store.js';

export interface BackfillOptions {
  knowledge: Knowledge;
  store: Store;
  log: Logger;
  clock?: Clock;
  timers?: Timers;
  random?: () => number;
  answerSeconds?: number;
  defaultTimezone?: string;
  dailyRevealMinutes?: number;
}

export interface Backfill {
  bot: Bot;
  knowledge: Knowledge;
  store: Store;
  quizzes: QuizService;
  daily: DailyService;
  messengers: MessengerRegistry;
  clock: Clock;
  log: Logger;
  /** Picks up running quizzes and starts the daily schedule (with its catch-up). Call once adapters are registered. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** Wires the core together; adapters register on `messengers` before `resume()`. */
export function createBackfill(options: BackfillOptions): Backfill {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const answerSeconds = options.answerSeconds ?? 20;
  const { knowledge, store, log } = options;
  const messengers = new MessengerRegistry();
  const timers = options.timers ?? systemTimers;
  // Every post outside a request goes out through the outbox: exactly once, across restarts and processes.
  const outbox = new Outbox({ store, messenger: messengers, clock, timers, log });
  const quizzes = new QuizService({ store, knowledge, messenger: messengers, outbox, clock, timers, random, log, answerSeconds });
  const daily = new DailyService({ store, knowledge, quizzes, messenger: messengers, outbox, clock, random, log, revealMinutes: options.dailyRevealMinutes ?? 240 });
  const misses: MissLog = {
    record: async (miss) => {
      try {
        await store.recordSearchMiss({ ...miss, query: miss.query.slice(0, 500), normalized: normalizedQuestion(miss.query), at: clock.now().toISOString() });
      } catch (err) {
        log.warn('could not record a search miss', err);
      }
    },
  };
  const registry: CommandRegistry = new CommandRegistry([
    explainCommand(knowledge, misses),
    topicsCommand(knowledge),
    randomCommand(knowledge, random),
    quizCommand(knowledge.kb, quizzes, answerSeconds),
    leaderboardCommand(store, clock),
    dailyCommand({ kb: knowledge.kb, store, daily, clock, defaultTimezone: options.defaultTimezone ?? 'UTC' }),
    helpCommand(() => registry),
  ]);
  const bot = new Bot(registry, [...knowledgeActions(knowledge, random, misses), ...quizActions(quizzes)], log);
  return {
    bot,
    knowledge,
    store,
    quizzes,
    daily,
    messengers,
    clock,
    log,
    async resume() {
      const n = await quizzes.resume();
      if (n) log.info(`resumed ${n} running quiz(zes)`);
      await daily.start();
    },
    async close() {
      daily.stop();
      quizzes.shutdown();
      await store.close();
    },
  };
}
