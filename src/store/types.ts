import { z } from 'zod';

/** Rows as the store hands them out, checked with zod on the way out of the database. */
export const QuizSchema = z.object({
  id: z.string(),
  kind: z.enum(['quiz', 'daily']),
  address: z.string(),
  scope: z.string(),
  topic: z.string().nullable(),
  total: z.number().int().positive(),
  current: z.number().int().nonnegative(),
  state: z.enum(['running', 'finished']),
  endReason: z.string().nullable(),
  idle: z.number().int().nonnegative(),
  windowSeconds: z.number().int().positive(),
  startedBy: z.string(),
  startedByName: z.string(),
  createdAt: z.string(),
});
export type Quiz = z.infer<typeof QuizSchema>;

export const QuestionSchema = z.object({
  quizId: z.string(),
  position: z.number().int().nonnegative(),
  questionKey: z.string(),
  conceptId: z.string(),
  prompt: z.string(),
  options: z.array(z.string()).length(4),
  correct: z.number().int().min(0).max(3),
  why: z.string(),
  messageId: z.string().nullable(),
  openedAt: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type StoredQuestion = z.infer<typeof QuestionSchema>;

export const AnswerSchema = z.object({
  quizId: z.string(),
  position: z.number().int().nonnegative(),
  userId: z.string(),
  userName: z.string(),
  address: z.string(),
  scope: z.string(),
  choice: z.number().int().min(0).max(3),
  correct: z.boolean(),
  points: z.number().int().nonnegative(),
  answeredAt: z.string(),
});
export type Answer = z.infer<typeof AnswerSchema>;

export const ScoreRowSchema = z.object({
  userId: z.string(),
  userName: z.string(),
  points: z.number().int(),
  answers: z.number().int().positive(),
  correct: z.number().int().nonnegative(),
});
export type ScoreRow = z.infer<typeof ScoreRowSchema>;

export type LeaderboardScope = { address: string } | { scope: string };

export const DAILY_KINDS = ['concept', 'quiz'] as const;
export type DailyKind = (typeof DAILY_KINDS)[number];

export const SubscriptionSchema = z.object({
  address: z.string(),
  kinds: z.array(z.enum(DAILY_KINDS)).min(1),
  /** Local time of day, HH:MM. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  timezone: z.string(),
  /** Empty for all topics. */
  topics: z.array(z.string()),
  /** 0 = Sunday ... 6 = Saturday; empty for every day. */
  weekdays: z.array(z.number().int().min(0).max(6)),
  state: z.enum(['active', 'paused']),
  pausedReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const DailyPostSchema = z.object({
  address: z.string(),
  kind: z.enum(DAILY_KINDS),
  localDate: z.string(),
  status: z.enum(['claimed', 'posted', 'retry', 'failed']),
  conceptId: z.string().nullable(),
  attempts: z.number().int().positive(),
  claimedAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  postedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type DailyPost = z.infer<typeof DailyPostSchema>;

/**
 * A question search left unanswered (`no-card`), or a card someone said was not what they meant
 * (`not-meant`, with that card). Nobody's id is kept.
 */
export const SearchMissSchema = z.object({
  query: z.string(),
  normalized: z.string(),
  reason: z.enum(['no-card', 'not-meant']),
  conceptId: z.string().nullable(),
  topic: z.string().nullable(),
  platform: z.string(),
  at: z.string(),
});
export type SearchMiss = z.infer<typeof SearchMissSchema>;

/** Misses grouped by what was asked, most frequent first. */
export const SearchGapSchema = z.object({
  normalized: z.string(),
  /** One of the ways it was written (the latest). */
  query: z.string(),
  count: z.number().int(),
  noCard: z.number().int(),
  notMeant: z.number().int(),
  /** Cards people said were not what they meant. */
  concepts: z.array(z.string()),
  topic: z.string().nullable(),
  platforms: z.array(z.string()),
  lastAt: z.string(),
});
export type SearchGap = z.infer<typeof SearchGapSchema>;

/**
 * One bot post in the outbox, written before the post goes out. `sending`: an owner is posting
 * it and holds it until `leaseUntil` (renewed while the call runs); `sent`: the platform has it
 * as `messageId`; `refused`: the platform answered no, so nothing is out there and another attempt
 * may go; `unknown`: it may or may not be out there and nothing could tell, so it is never sent again.
 */
export const OutboxRecordSchema = z.object({
  postKey: z.string(),
  address: z.string(),
  state: z.enum(['sending', 'sent', 'refused', 'unknown']),
  owner: z.string(),
  /** When the attempt that may have reached the platform began (the start of Discord's nonce window). */
  startedAt: z.string(),
  leaseUntil: z.string(),
  attempts: z.number().int().positive(),
  messageId: z.string().nullable(),
  settledAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type OutboxRecord = z.infer<typeof OutboxRecordSchema>;
