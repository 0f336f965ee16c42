import type { Answer, DailyKind, DailyPost, LeaderboardScope, Quiz, ScoreRow, StoredQuestion, Subscription } from './types.js';

/**
 * Everything Backfill keeps. SQLite implements it for one process (or several on one machine);
 * a server database can implement the same interface for processes on several machines.
 */
export interface Store {
  createQuiz(quiz: Quiz, questions: StoredQuestion[]): Promise<void>;
  getQuiz(id: string): Promise<Quiz | undefined>;
  /** The running quiz of a kind in a channel, if any. */
  runningQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined>;
  runningQuizzes(): Promise<Quiz[]>;
  /** The most recent quiz in a channel, running or not. */
  latestQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined>;
  updateQuiz(id: string, patch: Partial<Pick<Quiz, 'current' | 'state' | 'endReason' | 'idle'>>): Promise<void>;

  getQuestion(quizId: string, position: number): Promise<StoredQuestion | undefined>;
  questionsOf(quizId: string): Promise<StoredQuestion[]>;
  openQuestion(quizId: string, position: number, messageId: string, openedAt: string, deadlineAt: string): Promise<void>;
  /** Closes a question once; false when it was already closed (another timer or process won). */
  closeQuestion(quizId: string, position: number, closedAt: string): Promise<boolean>;

  /** Records an answer; false when this person already answered this question. */
  addAnswer(answer: Answer): Promise<boolean>;
  answersTo(quizId: string, position: number): Promise<Answer[]>;
  answersOfQuiz(quizId: string): Promise<Answer[]>;

  markSeen(address: string, questionKeys: string[], at: string): Promise<void>;
  /** When each question was last shown in a channel. */
  seenQuestions(address: string): Promise<Map<string, string>>;

  /** Totals per person over answers that count: daily questions and quizzes played by two or more. */
  scores(where: LeaderboardScope, since?: string): Promise<ScoreRow[]>;
  /** Answers of some people in a scope, oldest first, to work out streaks. */
  answerHistory(where: LeaderboardScope, userIds: string[], since?: string): Promise<Array<Pick<Answer, 'userId' | 'correct'>>>;

  saveSubscription(sub: Subscription): Promise<void>;
  getSubscription(address: string): Promise<Subscription | undefined>;
  deleteSubscription(address: string): Promise<boolean>;
  subscriptions(state?: Subscription['state']): Promise<Subscription[]>;
  setSubscriptionState(address: string, state: Subscription['state'], reason: string | null): Promise<void>;

  /** Claims the post of a kind for a channel's local date; false when it was claimed already, by anyone. */
  claimPost(address: string, kind: DailyKind, localDate: string, at: string): Promise<boolean>;
  /** Takes a post that is waiting for a retry (or was abandoned mid-send) for another attempt; false if someone else did. */
  reclaimPost(post: DailyPost, at: string): Promise<boolean>;
  updatePost(address: string, kind: DailyKind, localDate: string, patch: Partial<Pick<DailyPost, 'status' | 'conceptId' | 'nextAttemptAt' | 'postedAt' | 'error'>>): Promise<void>;
  /** Posts waiting for another attempt at `now`, and claims older than `staleBefore` that never finished. */
  retryablePosts(now: string, staleBefore: string): Promise<DailyPost[]>;
  /** A channel's daily posts, oldest first. */
  postsOf(address: string, kind?: DailyKind): Promise<DailyPost[]>;

  close(): Promise<void>;
}
