import { Bot } from './core/bot.js';
import { helpCommand } from './core/commands/help.js';
import { explainCommand, knowledgeActions, randomCommand, topicsCommand } from './core/commands/knowledge.js';
import type { Logger } from './core/log.js';
import { CommandRegistry } from './core/registry.js';
import { systemClock, type Clock, type Knowledge } from './core/services.js';
import { MessengerRegistry } from './adapters/messengers.js';

export interface BackfillOptions {
  knowledge: Knowledge;
  log: Logger;
  clock?: Clock;
  random?: () => number;
}

export interface Backfill {
  bot: Bot;
  knowledge: Knowledge;
  messengers: MessengerRegistry;
  clock: Clock;
  close(): Promise<void>;
}

/** Wires the core together; adapters are registered on `messengers` by whoever starts them. */
export function createBackfill(options: BackfillOptions): Backfill {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const messengers = new MessengerRegistry();
  let registry: CommandRegistry | undefined;
  registry = new CommandRegistry([
    explainCommand(options.knowledge),
    topicsCommand(options.knowledge),
    randomCommand(options.knowledge, random),
    helpCommand(() => registry!),
  ]);
  const bot = new Bot(registry, [...knowledgeActions(options.knowledge, random)], options.log);
  return { bot, knowledge: options.knowledge, messengers, clock, close: async () => {} };
}
