import { Bot } from './core/bot.js';
import { helpCommand } from './core/commands/help.js';
import { explainCommand, knowledgeActions, randomCommand, topicsCommand } from './core/commands/knowledge.js';
import { leaderboardCommand, quizActions, quizCommand } from './core/commands/quiz.js';
import type { Logger } from './core/log.js';
import { CommandRegistry } from './core/registry.js';
import { systemClock, systemTimers, type Clock, type Knowledge, type Timers } from './core/services.js';
import { MessengerRegistry } from './adapters/messengers.js';
import { QuizService } from './quiz/engine.js';
import type { Store } from './store/store.js';

export interface BackfillOptions {
  knowledge: Knowledge;
  store: Store;
  log: Logger;
  clock?: Clock;
  timers?: Timers;
  random?: () => number;
  answerSeconds?: number;
}

export interface Backfill {
  bot: Bot;
  knowledge: Knowledge;
  store: Store;
  quizzes: QuizService;
  messengers: MessengerRegistry;
  clock: Clock;
  log: Logger;
  /** Picks up quizzes that were running when the process stopped. Call once adapters are registered. */
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
  const quizzes = new QuizService({ store, knowledge, messenger: messengers, clock, timers: options.timers ?? systemTimers, random, log, answerSeconds });
  const registry: CommandRegistry = new CommandRegistry([
    explainCommand(knowledge),
    topicsCommand(knowledge),
    randomCommand(knowledge, random),
    quizCommand(knowledge.kb, quizzes, answerSeconds),
    leaderboardCommand(store, clock),
    helpCommand(() => registry),
  ]);
  const bot = new Bot(registry, [...knowledgeActions(knowledge, random), ...quizActions(quizzes)], log);
  return {
    bot,
    knowledge,
    store,
    quizzes,
    messengers,
    clock,
    log,
    async resume() {
      const n = await quizzes.resume();
      if (n) log.info(`resumed ${n} running quiz(zes)`);
    },
    async close() {
      quizzes.shutdown();
      await store.close();
    },
  };
}
