import type { Bot } from './core/bot.js';
import type { Conventions } from './core/conventions.js';
import { assemble, type Feature } from './core/feature.js';
import type { Logger } from './core/log.js';
import { within } from './core/in-flight.js';
import { Outbox } from './core/outbox.js';
import { systemClock, systemTimers, type Clock, type Messenger, type Timers } from './core/services.js';
import { MessengerRegistry } from './adapters/messengers.js';
import { dailyFeature } from './daily/feature.js';
import { DailyService } from './daily/service.js';
import { knowledgeFeature } from './knowledge/feature.js';
import type { Knowledge } from './knowledge/knowledge.js';
import { storedMisses } from './knowledge/misses.js';
import { learningFeature } from './learning/feature.js';
import { LearningService } from './learning/service.js';
import { QuizService } from './quiz/engine.js';
import { quizFeature } from './quiz/feature.js';
import { settingsFeature } from './settings/feature.js';
import { SettingsService } from './settings/service.js';
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
  /** Daily posts in flight at once per platform (default POSTS_IN_FLIGHT). */
  dailyPostsInFlight?: number;
  /**
   * Timers of the periodic sweeps (reminders every minute, quiz takeover every few seconds), which
   * read `clock`: real time by default; tests that step through days pass their fake timers.
   */
  sweepTimers?: Timers;
}

export interface Backfill {
  bot: Bot;
  knowledge: Knowledge;
  store: Store;
  quizzes: QuizService;
  daily: DailyService;
  learning: LearningService;
  settings: SettingsService;
  messengers: MessengerRegistry;
  features: readonly Feature[];
  clock: Clock;
  log: Logger;
  /** A platform is up: the core posts to its addresses through `messenger` and names commands its way. */
  attach(platform: string, messenger: Messenger, conventions?: Conventions): void;
  /** Starts every feature (running quizzes resume, the daily schedule and its catch-up). Call once platforms are attached. */
  resume(): Promise<void>;
  /** A channel is going away (the console's input ended): what runs there finishes or stops, saying so. */
  channelEnding(address: string, reason: string): Promise<void>;
  /**
   * The first half of a graceful stop: no new post begins (the next start takes them up), the
   * features' timers and schedules stop and their sweeps under way end, and this resolves once the
   * posts in flight are settled, or at `until` (ms since the epoch; no limit by default) with what
   * was cut off said in the log: true when nothing was.
   */
  quiesce(until?: number): Promise<boolean>;
  /** Stops the features (waiting for their sweeps until `until`) and closes the database. */
  close(until?: number): Promise<void>;
}

/**
 * The app is a list of features on shared services (store, outbox, clock). Each feature brings its
 * commands, buttons and scheduled work; platforms attach before `resume()`.
 */
export function createBackfill(options: BackfillOptions): Backfill {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const answerSeconds = options.answerSeconds ?? 20;
  const defaultTimezone = options.defaultTimezone ?? 'UTC';
  const { knowledge, store, log } = options;
  const messengers = new MessengerRegistry();
  const timers = options.timers ?? systemTimers;
  // Every post outside a request goes out through the outbox: exactly once, across restarts and processes.
  const outbox = new Outbox({ store, messenger: messengers, clock, timers, log });
  const settings = new SettingsService({ store, knowledge, clock, log, defaults: { answerSeconds, timezone: defaultTimezone } });
  const learning = new LearningService({ store, knowledge, clock, timers: options.sweepTimers ?? systemTimers, random, log, defaultTimezone, defaultTimezoneAt: (address) => settings.timezone(address) });
  const quizzes = new QuizService({ store, knowledge, messenger: messengers, outbox, clock, timers, sweepTimers: options.sweepTimers ?? systemTimers, random, log, answerSeconds, learning });
  const daily = new DailyService({
    store,
    knowledge,
    quizzes,
    messenger: messengers,
    outbox,
    clock,
    random,
    log,
    revealMinutes: options.dailyRevealMinutes ?? 240,
    settings,
    postsInFlight: options.dailyPostsInFlight,
  });

  const features: Feature[] = [
    knowledgeFeature({ knowledge, random, misses: storedMisses(store, clock, log) }),
    quizFeature({ knowledge, quizzes, store, clock, log, settings }),
    dailyFeature({ knowledge, store, daily, clock, settings }),
    learningFeature({ knowledge, learning, quizzes, outbox, messenger: messengers, settings }),
    settingsFeature(settings),
  ];
  const app = assemble(features, log);
  // Stopping once, however many of quiesce and close ask: a sweep cut off at the deadline is not waited for again.
  let stopping: Promise<void> | undefined;
  const stopFeatures = async (until: number): Promise<boolean> => {
    const stopped = (stopping ??= app.stop());
    if (await within(stopped, until)) return stopped.then(() => true);
    log.warn('stopping: a scheduled sweep was still running at the deadline');
    return false;
  };
  app.bot.useManagers((address, user) => settings.isManager(address, user));

  return {
    bot: app.bot,
    knowledge,
    store,
    quizzes,
    daily,
    learning,
    settings,
    messengers,
    features,
    clock,
    log,
    attach(platform, messenger, conventions) {
      messengers.register(platform, messenger);
      if (conventions) app.bot.useConventions(platform, conventions);
    },
    resume: () => {
      stopping = undefined;
      return app.start();
    },
    channelEnding: (address, reason) => app.channelEnding(address, reason),
    async quiesce(until = Infinity) {
      const settled = outbox.drain(until);
      const stopped = await stopFeatures(until);
      if (!(await settled)) log.warn(`stopping: ${outbox.sending} post(s) still being sent were cut off; the next start settles them`);
      return stopped && (await settled);
    },
    async close(until = Infinity) {
      await stopFeatures(until);
      await store.close();
    },
  };
}
