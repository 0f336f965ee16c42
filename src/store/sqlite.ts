import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import type { Store } from './store.js';
import {
  AnswerSchema,
  DailyPostSchema,
  QuestionSchema,
  QuizSchema,
  SubscriptionSchema,
  type Answer,
  type DailyKind,
  type DailyPost,
  type LeaderboardScope,
  type Quiz,
  type ScoreRow,
  type StoredQuestion,
  type Subscription,
} from './types.js';

type Row = Record<string, unknown>;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function fromRow(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v]));
}

const toQuiz = (row: Row): Quiz => QuizSchema.parse(fromRow(row));
const toQuestion = (row: Row): StoredQuestion => QuestionSchema.parse({ ...fromRow(row), options: JSON.parse(String(row.options)) });
const toAnswer = (row: Row): Answer => AnswerSchema.parse({ ...fromRow(row), correct: row.correct === 1 });
const list = (value: unknown) => (String(value) === '' ? [] : String(value).split(','));
const toSubscription = (row: Row): Subscription =>
  SubscriptionSchema.parse({ ...fromRow(row), kinds: list(row.kinds), topics: list(row.topics), weekdays: list(row.weekdays).map(Number) });
const toPost = (row: Row): DailyPost => DailyPostSchema.parse(fromRow(row));

function where(w: LeaderboardScope, since: string | undefined): { sql: string; params: unknown[] } {
  const [column, value] = 'address' in w ? ['address', w.address] : ['scope', w.scope];
  return since ? { sql: `${column} = ? AND answered_at >= ?`, params: [value, since] } : { sql: `${column} = ?`, params: [value] };
}

/** Applies the migrations a database has not seen yet, each in its own transaction. */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => (r as { version: number }).version));
  let count = 0;
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }).immediate();
    count++;
  }
  return count;
}

export class SqliteStore implements Store {
  readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
  }

  async createQuiz(quiz: Quiz, questions: StoredQuestion[]): Promise<void> {
    const insertQuiz = this.db.prepare(
      `INSERT INTO quizzes (id, kind, address, scope, topic, total, current, state, end_reason, idle, window_seconds, started_by, started_by_name, created_at)
       VALUES (@id, @kind, @address, @scope, @topic, @total, @current, @state, @endReason, @idle, @windowSeconds, @startedBy, @startedByName, @createdAt)`,
    );
    const insertQuestion = this.db.prepare(
      `INSERT INTO quiz_questions (quiz_id, position, question_key, concept_id, prompt, options, correct, why, message_id, opened_at, deadline_at, closed_at)
       VALUES (@quizId, @position, @questionKey, @conceptId, @prompt, @options, @correct, @why, @messageId, @openedAt, @deadlineAt, @closedAt)`,
    );
    this.db.transaction(() => {
      insertQuiz.run(quiz);
      for (const q of questions) insertQuestion.run({ ...q, options: JSON.stringify(q.options) });
    }).immediate();
  }

  async getQuiz(id: string): Promise<Quiz | undefined> {
    const row = this.db.prepare('SELECT * FROM quizzes WHERE id = ?').get(id) as Row | undefined;
    return row && toQuiz(row);
  }

  async runningQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined> {
    const row = this.db.prepare("SELECT * FROM quizzes WHERE state = 'running' AND address = ? AND kind = ? ORDER BY created_at DESC LIMIT 1").get(address, kind) as Row | undefined;
    return row && toQuiz(row);
  }

  async runningQuizzes(): Promise<Quiz[]> {
    return (this.db.prepare("SELECT * FROM quizzes WHERE state = 'running' ORDER BY created_at").all() as Row[]).map(toQuiz);
  }

  async latestQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined> {
    const row = this.db.prepare('SELECT * FROM quizzes WHERE address = ? AND kind = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(address, kind) as Row | undefined;
    return row && toQuiz(row);
  }

  async updateQuiz(id: string, patch: Partial<Pick<Quiz, 'current' | 'state' | 'endReason' | 'idle'>>): Promise<void> {
    const keys = Object.keys(patch) as Array<keyof typeof patch>;
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE quizzes SET ${keys.map((k) => `${snake(k)} = @${k}`).join(', ')} WHERE id = @id`).run({ ...patch, id });
  }

  async getQuestion(quizId: string, position: number): Promise<StoredQuestion | undefined> {
    const row = this.db.prepare('SELECT * FROM quiz_questions WHERE quiz_id = ? AND position = ?').get(quizId, position) as Row | undefined;
    return row && toQuestion(row);
  }

  async questionsOf(quizId: string): Promise<StoredQuestion[]> {
    return (this.db.prepare('SELECT * FROM quiz_questions WHERE quiz_id = ? ORDER BY position').all(quizId) as Row[]).map(toQuestion);
  }

  async openQuestion(quizId: string, position: number, messageId: string, openedAt: string, deadlineAt: string): Promise<void> {
    this.db.prepare('UPDATE quiz_questions SET message_id = ?, opened_at = ?, deadline_at = ? WHERE quiz_id = ? AND position = ?').run(messageId, openedAt, deadlineAt, quizId, position);
  }

  async closeQuestion(quizId: string, position: number, closedAt: string): Promise<boolean> {
    return this.db.prepare('UPDATE quiz_questions SET closed_at = ? WHERE quiz_id = ? AND position = ? AND closed_at IS NULL').run(closedAt, quizId, position).changes === 1;
  }

  async addAnswer(a: Answer): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO answers (quiz_id, position, user_id, user_name, address, scope, choice, correct, points, answered_at)
         VALUES (@quizId, @position, @userId, @userName, @address, @scope, @choice, @correct, @points, @answeredAt)
         ON CONFLICT (quiz_id, position, user_id) DO NOTHING`,
      )
      .run({ ...a, correct: a.correct ? 1 : 0 });
    return result.changes === 1;
  }

  async answersTo(quizId: string, position: number): Promise<Answer[]> {
    return (this.db.prepare('SELECT * FROM answers WHERE quiz_id = ? AND position = ? ORDER BY answered_at').all(quizId, position) as Row[]).map(toAnswer);
  }

  async answersOfQuiz(quizId: string): Promise<Answer[]> {
    return (this.db.prepare('SELECT * FROM answers WHERE quiz_id = ? ORDER BY position, answered_at').all(quizId) as Row[]).map(toAnswer);
  }

  async markSeen(address: string, keys: string[], at: string): Promise<void> {
    const upsert = this.db.prepare('INSERT INTO seen_questions (address, question_key, seen_at) VALUES (?, ?, ?) ON CONFLICT (address, question_key) DO UPDATE SET seen_at = excluded.seen_at');
    this.db.transaction(() => {
      for (const k of keys) upsert.run(address, k, at);
    })();
  }

  async seenQuestions(address: string): Promise<Map<string, string>> {
    const rows = this.db.prepare('SELECT question_key, seen_at FROM seen_questions WHERE address = ?').all(address) as Array<{ question_key: string; seen_at: string }>;
    return new Map(rows.map((r) => [r.question_key, r.seen_at]));
  }

  async scores(w: LeaderboardScope, since?: string): Promise<ScoreRow[]> {
    const { sql, params } = where(w, since);
    const rows = this.db
      .prepare(
        `SELECT user_id AS userId, MAX(user_name) AS userName, SUM(points) AS points, COUNT(*) AS answers, SUM(correct) AS correct
         FROM answers WHERE ${sql} GROUP BY user_id ORDER BY points DESC, correct DESC, userId`,
      )
      .all(...params) as ScoreRow[];
    return rows;
  }

  async answerHistory(w: LeaderboardScope, userIds: string[], since?: string): Promise<Array<Pick<Answer, 'userId' | 'correct'>>> {
    if (userIds.length === 0) return [];
    const { sql, params } = where(w, since);
    const rows = this.db
      .prepare(`SELECT user_id, correct FROM answers WHERE ${sql} AND user_id IN (${userIds.map(() => '?').join(', ')}) ORDER BY answered_at, rowid`)
      .all(...params, ...userIds) as Array<{ user_id: string; correct: number }>;
    return rows.map((r) => ({ userId: r.user_id, correct: r.correct === 1 }));
  }

  async saveSubscription(sub: Subscription): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO daily_subscriptions (address, kinds, time, timezone, topics, weekdays, state, paused_reason, created_by, created_at)
         VALUES (@address, @kinds, @time, @timezone, @topics, @weekdays, @state, @pausedReason, @createdBy, @createdAt)
         ON CONFLICT (address) DO UPDATE SET kinds = excluded.kinds, time = excluded.time, timezone = excluded.timezone, topics = excluded.topics,
           weekdays = excluded.weekdays, state = excluded.state, paused_reason = excluded.paused_reason`,
      )
      .run({ ...sub, kinds: sub.kinds.join(','), topics: sub.topics.join(','), weekdays: sub.weekdays.join(',') });
  }

  async getSubscription(address: string): Promise<Subscription | undefined> {
    const row = this.db.prepare('SELECT * FROM daily_subscriptions WHERE address = ?').get(address) as Row | undefined;
    return row && toSubscription(row);
  }

  async deleteSubscription(address: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM daily_subscriptions WHERE address = ?').run(address).changes === 1;
  }

  async subscriptions(state?: Subscription['state']): Promise<Subscription[]> {
    const rows = (state ? this.db.prepare('SELECT * FROM daily_subscriptions WHERE state = ? ORDER BY address').all(state) : this.db.prepare('SELECT * FROM daily_subscriptions ORDER BY address').all()) as Row[];
    return rows.map(toSubscription);
  }

  async setSubscriptionState(address: string, state: Subscription['state'], reason: string | null): Promise<void> {
    this.db.prepare('UPDATE daily_subscriptions SET state = ?, paused_reason = ? WHERE address = ?').run(state, reason, address);
  }

  async claimPost(address: string, kind: DailyKind, localDate: string, at: string): Promise<boolean> {
    return (
      this.db
        .prepare(`INSERT INTO daily_posts (address, kind, local_date, status, claimed_at) VALUES (?, ?, ?, 'claimed', ?) ON CONFLICT (address, kind, local_date) DO NOTHING`)
        .run(address, kind, localDate, at).changes === 1
    );
  }

  async reclaimPost(post: DailyPost, at: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE daily_posts SET status = 'claimed', attempts = attempts + 1, claimed_at = ?, next_attempt_at = NULL
           WHERE address = ? AND kind = ? AND local_date = ? AND status = ? AND attempts = ?`,
        )
        .run(at, post.address, post.kind, post.localDate, post.status, post.attempts).changes === 1
    );
  }

  async updatePost(address: string, kind: DailyKind, localDate: string, patch: Partial<Pick<DailyPost, 'status' | 'conceptId' | 'nextAttemptAt' | 'postedAt' | 'error'>>): Promise<void> {
    const keys = Object.keys(patch) as Array<keyof typeof patch>;
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE daily_posts SET ${keys.map((k) => `${snake(k)} = @${k}`).join(', ')} WHERE address = @address AND kind = @kind AND local_date = @localDate`)
      .run({ ...patch, address, kind, localDate });
  }

  async retryablePosts(now: string, staleBefore: string): Promise<DailyPost[]> {
    const rows = this.db
      .prepare(`SELECT * FROM daily_posts WHERE (status = 'retry' AND next_attempt_at <= ?) OR (status = 'claimed' AND claimed_at < ?) ORDER BY claimed_at`)
      .all(now, staleBefore) as Row[];
    return rows.map(toPost);
  }

  async postsOf(address: string, kind?: DailyKind): Promise<DailyPost[]> {
    const rows = (kind
      ? this.db.prepare('SELECT * FROM daily_posts WHERE address = ? AND kind = ? ORDER BY local_date, claimed_at').all(address, kind)
      : this.db.prepare('SELECT * FROM daily_posts WHERE address = ? ORDER BY local_date, claimed_at').all(address)) as Row[];
    return rows.map(toPost);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
