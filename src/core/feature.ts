import { Bot } from './bot.js';
import { ButtonRouter, type AnyButton } from './buttons.js';
import type { Command } from './command.js';
import { helpCommand } from './help.js';
import type { User } from './incoming.js';
import type { Logger } from './log.js';
import type { Reply } from './reply.js';
import { CommandRegistry } from './registry.js';

/**
 * A feature brings its commands, its buttons and its scheduled work. Knowledge, quizzes and daily
 * posts are features; the core knows none of them. A new command is one file in its feature,
 * listed in the feature's `commands`.
 */
export interface Feature {
  name: string;
  commands?: readonly Command[];
  buttons?: readonly AnyButton[];
  /** Starts its work once the platforms are up (resume running quizzes, schedule daily posts). */
  start?(): Promise<void>;
  /** Stops its timers; its state stays in the store for the next start. */
  stop?(): Promise<void> | void;
  /** A channel is going away (the console's input ended): finish or stop what runs there, and say so. */
  channelEnding?(address: string, reason: string): Promise<void>;
  /** A person's own page (Slack's Home tab), from their DM's address; at most one feature has it. */
  home?(address: string, user: User): Promise<Reply>;
}

export interface Assembly {
  bot: Bot;
  features: readonly Feature[];
  /** Starts each feature, in order. */
  start(): Promise<void>;
  /** Stops each feature, in reverse order. */
  stop(): Promise<void>;
  channelEnding(address: string, reason: string): Promise<void>;
}

/** The bot made of a list of features, with `/help` from all their declarations. */
export function assemble(features: readonly Feature[], log: Logger): Assembly {
  const names = new Set<string>();
  for (const f of features) {
    if (names.has(f.name)) throw new Error(`feature "${f.name}" is listed twice`);
    names.add(f.name);
  }
  const registry: CommandRegistry = new CommandRegistry(features.flatMap((f) => f.commands ?? []));
  registry.add(helpCommand(() => registry));
  const bot = new Bot(registry, new ButtonRouter(features.flatMap((f) => f.buttons ?? [])), log);
  const homes = features.filter((f) => f.home);
  if (homes.length > 1) throw new Error(`features ${homes.map((f) => `"${f.name}"`).join(' and ')} both provide the home page`);
  const home = homes[0];
  if (home?.home) bot.useHome((address, user) => home.home!(address, user));
  return {
    bot,
    features,
    async start() {
      for (const f of features) await f.start?.();
    },
    async stop() {
      for (const f of [...features].reverse()) await f.stop?.();
    },
    async channelEnding(address, reason) {
      for (const f of features) await f.channelEnding?.(address, reason);
    },
  };
}
