import type { Answer, LeaderboardScope, Quiz, ScoreRow, StoredQuestion } from './types.js';

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

  scores(where: LeaderboardScope, since?: string): Promise<ScoreRow[]>;
  /** Answers of some people in a scope, oldest first, to work out streaks. */
  answerHistory(where: LeaderboardScope, userIds: string[], since?: string): Promise<Array<Pick<Answer, 'userId' | 'correct'>>>;

  close(): Promise<void>;
}
