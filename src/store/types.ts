// zod's v3 API, as in src/config/env.ts: it loads fast, and every start reads rows through these.
import { z } from 'zod/v3';

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

/** Where a due subscription sits in the due index: when it became due ('' when it is to be worked out), and its address. */
export interface DueSubscription {
  address: string;
  nextDueAt: string;
}

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

/** A daily post to claim: a channel's post of a kind for a local date, and the concept it will show if chosen already. */
export interface PostClaim {
  address: string;
  kind: DailyKind;
  localDate: string;
  conceptId: string | null;
}

/**
 * One setting a workspace or server chose (`/settings set`), kept as text: the settings service
 * reads and checks it. `scope` is the workspace or server part of an address (`slack:T1`,
 * `discord:G1`). No user id: who may change settings is decided when they do.
 */
export const ScopeSettingSchema = z.object({
  scope: z.string(),
  name: z.string(),
  value: z.string(),
  updatedAt: z.string(),
});
export type ScopeSetting = z.infer<typeof ScopeSettingSchema>;

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

/**
 * Whose memory: a person in a workspace. `scope` is `slack:T1` for Slack (ids are a workspace's),
 * `discord` for Discord (a user id is the same person on every server and in DMs), and the
 * channel scope elsewhere; see `learnerOf` in src/learning.
 */
export interface Learner {
  scope: string;
  userId: string;
}

/** A person's FSRS card for a concept, as ts-fsrs keeps it, with a version for compare-and-set. */
export const LearningCardSchema = z.object({
  scope: z.string(),
  userId: z.string(),
  conceptId: z.string(),
  /** 0 new, 1 learning, 2 review, 3 relearning (ts-fsrs `State`). */
  state: z.number().int().min(0).max(3),
  due: z.string(),
  stability: z.number(),
  difficulty: z.number(),
  elapsedDays: z.number().int().nonnegative(),
  scheduledDays: z.number().int().nonnegative(),
  learningSteps: z.number().int().nonnegative(),
  reps: z.number().int().nonnegative(),
  lapses: z.number().int().nonnegative(),
  lastReview: z.string().nullable(),
  /** When the person first met the concept in an answer or on a card button. */
  firstSeen: z.string(),
  /** Bumped by every change: an update applies only to the version it was computed from. */
  version: z.number().int().positive(),
});
export type LearningCard = z.infer<typeof LearningCardSchema>;

export const REVIEW_SOURCES = ['quiz', 'daily', 'practice', 'card'] as const;
export type ReviewSource = (typeof REVIEW_SOURCES)[number];

/**
 * One change to a person's card: an answer (channel quiz, quiz of the day, practice) or a card
 * button. `eventKey` is unique per person (`quiz:<id>:<position>`, `practice:<id>`, ...), so the
 * same answer changes the schedule once however often its reveal runs.
 */
export const LearningReviewSchema = z.object({
  scope: z.string(),
  userId: z.string(),
  eventKey: z.string(),
  conceptId: z.string(),
  source: z.enum(REVIEW_SOURCES),
  /** ts-fsrs Rating: 1 Again, 2 Hard, 3 Good, 4 Easy. */
  rating: z.number().int().min(1).max(4),
  /** Right or wrong for answers; null for card buttons, which are no answer. */
  correct: z.boolean().nullable(),
  /** The channel of a quiz answer; null for private practice and buttons. */
  address: z.string().nullable(),
  /** When the person answered or pressed. */
  answeredAt: z.string(),
  /** When the schedule changed: the reveal, for quiz answers. */
  recordedAt: z.string(),
  /** The card after this review. */
  scheduledDays: z.number().int().nonnegative(),
  stability: z.number(),
  due: z.string(),
});
export type LearningReview = z.infer<typeof LearningReviewSchema>;

/** A private practice question (/review), stored so its answer is graded once and by the server. */
export const PracticeQuestionSchema = z.object({
  id: z.string(),
  scope: z.string(),
  userId: z.string(),
  conceptId: z.string(),
  questionKey: z.string(),
  prompt: z.string(),
  options: z.array(z.string()).length(4),
  correct: z.number().int().min(0).max(3),
  why: z.string(),
  shownAt: z.string(),
  windowSeconds: z.number().int().positive(),
  choice: z.number().int().min(0).max(3).nullable(),
  answeredAt: z.string().nullable(),
});
export type PracticeQuestion = z.infer<typeof PracticeQuestionSchema>;

/** A person's settings: the zone their days are counted in, and the daily reminder when opted in. */
export const LearnerSettingsSchema = z.object({
  scope: z.string(),
  userId: z.string(),
  timezone: z.string().nullable(),
  /** HH:MM local time of the reminder; null when reminders are off (the default). */
  remindAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).nullable(),
  /** Where the reminder goes (a direct-message address an adapter can post to). */
  remindAddress: z.string().nullable(),
  updatedAt: z.string(),
});
export type LearnerSettings = z.infer<typeof LearnerSettingsSchema>;

/** A reminder claimed for a person's local date, like a daily post: once, by one process. */
export const ReminderSendSchema = z.object({
  scope: z.string(),
  userId: z.string(),
  localDate: z.string(),
  address: z.string(),
  /** The outbox key it goes out under. */
  postKey: z.string(),
  status: z.enum(['claimed', 'sent', 'retry', 'failed']),
  attempts: z.number().int().positive(),
  claimedAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type ReminderSend = z.infer<typeof ReminderSendSchema>;

/** What a channel answered over a period, per concept (revealed answers only). */
export const ChannelConceptSchema = z.object({
  conceptId: z.string(),
  answers: z.number().int().positive(),
  correct: z.number().int().nonnegative(),
  people: z.number().int().positive(),
});
export type ChannelConcept = z.infer<typeof ChannelConceptSchema>;

export interface ChannelActivity {
  /** People who answered at least one revealed question. */
  people: number;
  answers: number;
  correct: number;
  /** Quizzes (and quizzes of the day) with at least one revealed answer. */
  quizzes: number;
  concepts: ChannelConcept[];
}

export const REPORT_KINDS = ['wrong', 'unclear', 'outdated'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A problem someone reported with a card or a question. Nobody's id is kept. */
export const ReportSchema = z.object({
  conceptId: z.string(),
  /** The question reported, from a reveal; null for a card. */
  questionKey: z.string().nullable(),
  kind: z.enum(REPORT_KINDS),
  note: z.string().nullable(),
  at: z.string(),
  platform: z.string(),
});
export type Report = z.infer<typeof ReportSchema>;

/** Rows a person has, per table: what `/progress forget` shows and deletes. */
export type PersonalData = Record<string, number>;

/**
 * A Slack app installation made through OAuth (distribution): a workspace's, keyed by its team id,
 * or an organization's installed org-wide, keyed by its enterprise id (and without a team). Tokens
 * are kept as Slack issued them; with token rotation, `*ExpiresAt` is when the token ends, in Unix
 * seconds. `userId` is who installed it; `userToken` is set only when user scopes were asked for.
 */
export const SlackInstallationSchema = z.object({
  installKey: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  enterpriseUrl: z.string().nullable(),
  isEnterpriseInstall: z.boolean(),
  appId: z.string().nullable(),
  botToken: z.string().nullable(),
  botId: z.string().nullable(),
  botUserId: z.string().nullable(),
  botScopes: z.array(z.string()),
  botRefreshToken: z.string().nullable(),
  botExpiresAt: z.number().int().nullable(),
  userId: z.string(),
  userToken: z.string().nullable(),
  userScopes: z.array(z.string()),
  userRefreshToken: z.string().nullable(),
  userExpiresAt: z.number().int().nullable(),
  installedAt: z.string(),
  updatedAt: z.string(),
});
export type SlackInstallation = z.infer<typeof SlackInstallationSchema>;
