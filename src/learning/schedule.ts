import { createEmptyCard, fsrs, generatorParameters, Rating, State, type Card, type FSRS, type Grade } from 'ts-fsrs';
import type { LearningCard } from '../store/types.js';

export { Rating };

/**
 * How the scheduler is set up (ts-fsrs, FSRS-6 default weights):
 * - 90% retention asked for, ts-fsrs's default.
 * - No short-term (minute) learning steps: people meet a concept in a quiz or a daily post, not in
 *   a study session, so the shortest interval is a day. A miss brings the concept back tomorrow.
 * - At most a year between reviews: the knowledge itself is re-checked about yearly (`kb stale`).
 * - No fuzz: the same answers give the same schedule, which tests and people can follow.
 */
export const SCHEDULER_PARAMETERS = { request_retention: 0.9, maximum_interval: 365, enable_short_term: false, enable_fuzz: false } as const;

/**
 * A concept is mastered once its FSRS stability reaches 21 days: the time for recall to fall to
 * 90% is three weeks or more. 21 days is the line Anki draws for "mature" cards.
 */
export const MASTERED_STABILITY_DAYS = 21;

/**
 * A right answer is fast when given in the first half of the question's window (10 s of a
 * 20-second channel question, 15 s of a 30-second practice question), else slow. Windows longer
 * than LONG_WINDOW_SECONDS (the quiz of the day is open for hours) say when someone looked at the
 * channel, not how quickly they recalled: a right answer there is Good.
 */
export const FAST_SHARE = 0.5;
export const LONG_WINDOW_SECONDS = 300;

/** The window of a private practice question (/review): nothing closes it, it only sets fast and slow. */
export const PRACTICE_WINDOW_SECONDS = 30;

export interface TimedAnswer {
  correct: boolean;
  /** From when the question was shown to the answer. */
  elapsedMs: number;
  windowSeconds: number;
}

/** Right and fast = Good, right and slow = Hard, wrong = Again. */
export function gradeAnswer(a: TimedAnswer): Grade {
  if (!a.correct) return Rating.Again;
  if (a.windowSeconds > LONG_WINDOW_SECONDS) return Rating.Good;
  return a.elapsedMs <= a.windowSeconds * 1000 * FAST_SHARE ? Rating.Good : Rating.Hard;
}

export type RatingName = 'again' | 'hard' | 'good' | 'easy';
export const ratingName = (rating: number): RatingName => (['again', 'hard', 'good', 'easy'] as const)[rating - 1] ?? 'again';

let scheduler: FSRS | undefined;
export function fsrsScheduler(): FSRS {
  scheduler ??= fsrs(generatorParameters(SCHEDULER_PARAMETERS));
  return scheduler;
}

/** The ts-fsrs card of a stored card, or a new one. */
export function toFsrsCard(card: LearningCard | undefined, now: Date): Card {
  if (!card) return createEmptyCard(now);
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsedDays,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state as State,
    ...(card.lastReview ? { last_review: new Date(card.lastReview) } : {}),
  };
}

/**
 * The card after a review at `at` with `grade`, as the store keeps it (the next version). A review
 * is never placed before the card's last one: answers are applied at their reveal, possibly after
 * a later practice answer was.
 */
export function review(before: LearningCard | undefined, who: Pick<LearningCard, 'scope' | 'userId' | 'conceptId'>, at: Date, grade: Grade): LearningCard {
  const last = before?.lastReview ? new Date(before.lastReview) : undefined;
  const when = last && last > at ? last : at;
  const { card } = fsrsScheduler().next(toFsrsCard(before, when), when, grade);
  return {
    ...who,
    state: card.state,
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: Math.max(0, Math.round(card.elapsed_days)),
    scheduledDays: Math.max(0, Math.round(card.scheduled_days)),
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    lastReview: (card.last_review ?? when).toISOString(),
    firstSeen: before?.firstSeen ?? at.toISOString(),
    version: (before?.version ?? 0) + 1,
  };
}

/**
 * Probability of recall now, 0..1 (1 for a card never reviewed is meaningless: 0). The elapsed time
 * counts fractions of a day: ts-fsrs's get_retrievability counts whole days, so it says 100% for a
 * whole day after any review.
 */
export function retrievability(card: LearningCard, now: Date): number {
  if (!card.lastReview || card.stability <= 0) return 0;
  const days = Math.max(0, (now.getTime() - Date.parse(card.lastReview)) / 86_400_000);
  return fsrsScheduler().forgetting_curve(days, card.stability);
}

export type Mastery = 'learning' | 'mastered';
export const masteryOf = (card: Pick<LearningCard, 'stability'>): Mastery => (card.stability >= MASTERED_STABILITY_DAYS ? 'mastered' : 'learning');
