import {
  ChannelConceptSchema,
  LearnerSettingsSchema,
  LearningCardSchema,
  LearningReviewSchema,
  PracticeQuestionSchema,
  ReminderSendSchema,
  ReportSchema,
  type ChannelConcept,
  type LearnerSettings,
  type LearningCard,
  type LearningReview,
  type PracticeQuestion,
  type ReminderSend,
  type Report,
  AnswerSchema,
  DailyPostSchema,
  OutboxRecordSchema,
  SearchMissSchema,
  QuestionSchema,
  QuizSchema,
  ScoreRowSchema,
  ScopeSettingSchema,
  SubscriptionSchema,
  type Answer,
  type DailyPost,
  type OutboxRecord,
  type SearchMiss,
  type Quiz,
  type ScoreRow,
  type StoredQuestion,
  type ScopeSetting,
  type Subscription,
} from './types.js';

import { SlackInstallationSchema, type SlackInstallation } from './types.js';

/** A row as a database driver returns it: snake_case columns. */
export type Row = Record<string, unknown>;

export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function fromRow(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v]));
}

/** Lists are stored comma-separated. */
const list = (value: unknown) => (String(value) === '' ? [] : String(value).split(','));

export const toQuiz = (row: Row): Quiz => QuizSchema.parse(fromRow(row));
export const toQuestion = (row: Row): StoredQuestion => QuestionSchema.parse({ ...fromRow(row), options: JSON.parse(String(row.options)) });
export const toAnswer = (row: Row): Answer => AnswerSchema.parse({ ...fromRow(row), correct: row.correct === 1 });
export const toSubscription = (row: Row): Subscription =>
  SubscriptionSchema.parse({ ...fromRow(row), kinds: list(row.kinds), topics: list(row.topics), weekdays: list(row.weekdays).map(Number) });
export const toPost = (row: Row): DailyPost => DailyPostSchema.parse(fromRow(row));
export const toScopeSetting = (row: Row): ScopeSetting => ScopeSettingSchema.parse(fromRow(row));
export const toScore = (row: Row): ScoreRow => ScoreRowSchema.parse(fromRow(row));
export const toOutbox = (row: Row): OutboxRecord => OutboxRecordSchema.parse(fromRow(row));
export const toMiss = (row: Row): SearchMiss => SearchMissSchema.parse(fromRow(row));

/** Numbers PostgreSQL hands out as strings (64-bit counts) or SQLite as integers, as numbers. */
const num = (value: unknown) => (value === null || value === undefined ? value : Number(value));

export const toLearningCard = (row: Row): LearningCard =>
  LearningCardSchema.parse({ ...fromRow(row), stability: num(row.stability), difficulty: num(row.difficulty) });
export const toLearningReview = (row: Row): LearningReview =>
  LearningReviewSchema.parse({ ...fromRow(row), correct: row.correct === null ? null : Number(row.correct) === 1, stability: num(row.stability) });
export const toPractice = (row: Row): PracticeQuestion => PracticeQuestionSchema.parse({ ...fromRow(row), options: JSON.parse(String(row.options)) });
export const toLearner = (row: Row): LearnerSettings => LearnerSettingsSchema.parse(fromRow(row));
export const toReminderSend = (row: Row): ReminderSend => ReminderSendSchema.parse(fromRow(row));
export const toChannelConcept = (row: Row): ChannelConcept =>
  ChannelConceptSchema.parse({ conceptId: row.concept_id, answers: num(row.answers), correct: num(row.correct), people: num(row.people) });
export const toReport = (row: Row): Report => ReportSchema.parse(fromRow(row));

/** Scope lists are stored comma-separated; the flag as 0 or 1; expiry seconds may come back as 64-bit strings. */
export const toSlackInstallation = (row: Row): SlackInstallation =>
  SlackInstallationSchema.parse({
    ...fromRow(row),
    isEnterpriseInstall: Number(row.is_enterprise_install) === 1,
    botScopes: list(row.bot_scopes),
    userScopes: list(row.user_scopes),
    botExpiresAt: num(row.bot_expires_at),
    userExpiresAt: num(row.user_expires_at),
  });
