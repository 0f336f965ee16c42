import type { Feature } from '../core/feature.js';
import type { User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import type { Clock } from '../core/services.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { Store } from '../store/store.js';
import { answerButton } from './buttons.js';
import { leaderboardCommand } from './commands/leaderboard.js';
import { quizCommand, type QuizSettings } from './commands/quiz.js';
import type { QuizService } from './engine.js';

export interface QuizFeatureOptions {
  knowledge: Knowledge;
  quizzes: QuizService;
  store: Store;
  clock: Clock;
  log: Logger;
  /** The answer time and allowed topics of a channel's workspace or server. */
  settings: QuizSettings;
}

/** Stands for the bot when it ends a quiz itself (the console's input ended). */
const BOT: User = { id: 'backfill', name: 'Backfill', isManager: true };

/** In-channel quizzes and their leaderboards: `/quiz`, `/leaderboard`, the answer buttons, and resuming after a restart. */
export function quizFeature(o: QuizFeatureOptions): Feature {
  const { quizzes, log } = o;
  return {
    name: 'quiz',
    commands: [quizCommand(o.knowledge, quizzes, o.settings), leaderboardCommand(o.store, o.clock)],
    buttons: [answerButton.handledBy((request, value) => quizzes.answer(request, value))],
    async start() {
      const n = await quizzes.resume();
      if (n) log.info(`resumed ${n} running quiz(zes)`);
      quizzes.watch();
    },
    stop: () => quizzes.shutdown(),
    async channelEnding(address, reason) {
      if (await o.store.runningQuiz(address, 'quiz')) await quizzes.stop(address, BOT, reason);
    },
  };
}
