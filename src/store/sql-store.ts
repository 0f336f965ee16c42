import {
  snake,
  toAnswer,
  toChannelConcept,
  toLearner,
  toLearningCard,
  toLearningReview,
  toMiss,
  toOutbox,
  toPost,
  toPractice,
  toQuestion,
  toQuiz,
  toReminderSend,
  toReport,
  toScopeSetting,
  toScore,
  toSubscription,
  type Row,
} from './rows.js';
import { toSlackInstallation } from './rows.js';
import type { CreateQuizResult, OutboxSettlement, ReviewChange, ReviewResult, Store } from './store.js';
import type {
  Answer,
  ChannelActivity,
  DailyKind,
  DailyPost,
  LeaderboardScope,
  Learner,
  LearnerSettings,
  LearningCard,
  LearningReview,
  OutboxRecord,
  PersonalData,
  PracticeQuestion,
  Quiz,
  ReminderSend,
  Report,
  ScoreRow,
  SearchGap,
  ScopeSetting,
  SearchMiss,
  StoredQuestion,
  Subscription,
  DueSubscription,
  PostClaim,
} from './types.js';
import type { SlackInstallation } from './types.js';

export interface Statement {
  sql: string;
  params: unknown[];
  /** In `runAll`: when the statement changes no row, the transaction is rolled back with a NoChange of this reason. */
  mustChange?: string;
}

/** A statement of a transaction that had to change a row changed none: the transaction was rolled back. */
export class NoChange extends Error {
  constructor(readonly reason: string) {
    super(`no row changed: ${reason}`);
    this.name = 'NoChange';
  }
}

/**
 * What the store needs of a database. The SQL is written once, with `?` placeholders, in the
 * part of SQL that SQLite and PostgreSQL share; each driver adapts it to its own.
 */
export interface SqlDatabase {
  rows(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs one statement; the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs statements in one transaction: all or none; a NoChange when a `mustChange` statement changed no row. */
  runAll(statements: Statement[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * An answer whose question has been revealed (closed). Until then nothing about it shows: not in
 * points or accuracy, not in streaks, and not in whether a quiz had two players.
 */
const REVEALED = `EXISTS (SELECT 1 FROM quiz_questions q WHERE q.quiz_id = answers.quiz_id AND q.position = answers.position AND q.closed_at IS NOT NULL)`;

/** Quizzes at least two people played (solo play is practice). */
const PLAYED_BY_SEVERAL = `SELECT quiz_id FROM answers WHERE ${REVEALED} GROUP BY quiz_id HAVING COUNT(DISTINCT user_id) >= 2`;

/**
 * Answers that count on leaderboards: quizzes of the day, and quizzes at least two people played,
 * or played before one of them was forgotten (`shared`).
 */
const COUNTED = `(quiz_id IN (SELECT id FROM quizzes WHERE kind = 'daily' OR shared = 1) OR quiz_id IN (${PLAYED_BY_SEVERAL}))`;

/** Misses (newest first) grouped by what was asked, most frequent first. */
export function groupMisses(misses: SearchMiss[]): SearchGap[] {
  const groups = new Map<string, SearchGap & { conceptSet: Set<string>; platformSet: Set<string> }>();
  for (const m of misses) {
    let g = groups.get(m.normalized);
    if (!g) {
      g = { normalized: m.normalized, query: m.query, count: 0, noCard: 0, notMeant: 0, concepts: [], topic: m.topic, platforms: [], lastAt: m.at, conceptSet: new Set(), platformSet: new Set() };
      groups.set(m.normalized, g);
    }
    g.count++;
    if (m.reason === 'no-card') g.noCard++;
    else g.notMeant++;
    if (m.conceptId) g.conceptSet.add(m.conceptId);
    g.platformSet.add(m.platform);
    g.topic ??= m.topic;
  }
  return [...groups.values()]
    .map(({ conceptSet, platformSet, ...g }) => ({ ...g, concepts: [...conceptSet].sort(), platforms: [...platformSet].sort() }))
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt) || a.normalized.localeCompare(b.normalized));
}

function where(w: LeaderboardScope, since: string | undefined): Statement {
  const [column, value] = 'address' in w ? ['address', w.address] : ['scope', w.scope];
  return since
    ? { sql: `${column} = ? AND answered_at >= ? AND ${REVEALED} AND ${COUNTED}`, params: [value, since] }
    : { sql: `${column} = ? AND ${REVEALED} AND ${COUNTED}`, params: [value] };
}

/** SQLite's and PostgreSQL's "a unique index or primary key refused this row". */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** `SET a = ?, b = ?` for a patch of camelCase fields. */
function assignments(patch: Record<string, unknown>): Statement {
  const keys = Object.keys(patch);
  return { sql: keys.map((k) => `${snake(k)} = ?`).join(', '), params: keys.map((k) => patch[k]) };
}

const QUIZ_COLUMNS = ['id', 'kind', 'address', 'scope', 'topic', 'total', 'current', 'state', 'endReason', 'idle', 'windowSeconds', 'startedBy', 'startedByName', 'createdAt'] as const;
const QUESTION_COLUMNS = ['quizId', 'position', 'questionKey', 'conceptId', 'prompt', 'options', 'correct', 'why', 'messageId', 'openedAt', 'deadlineAt', 'closedAt'] as const;
const ANSWER_COLUMNS = ['quizId', 'position', 'userId', 'userName', 'address', 'scope', 'choice', 'correct', 'points', 'answeredAt'] as const;
const MISS_REPORT_ROWS = 100_000;
const MISS_COLUMNS = ['query', 'normalized', 'reason', 'conceptId', 'topic', 'platform', 'at'] as const;
const SUBSCRIPTION_COLUMNS = ['address', 'kinds', 'time', 'timezone', 'topics', 'weekdays', 'state', 'pausedReason', 'createdBy', 'createdAt'] as const;
const CARD_COLUMNS = ['scope', 'userId', 'conceptId', 'state', 'due', 'stability', 'difficulty', 'elapsedDays', 'scheduledDays', 'learningSteps', 'reps', 'lapses', 'lastReview', 'firstSeen', 'version'] as const;
const REVIEW_COLUMNS = ['scope', 'userId', 'eventKey', 'conceptId', 'source', 'rating', 'correct', 'address', 'answeredAt', 'recordedAt', 'scheduledDays', 'stability', 'due'] as const;
const PRACTICE_COLUMNS = ['id', 'scope', 'userId', 'conceptId', 'questionKey', 'prompt', 'options', 'correct', 'why', 'shownAt', 'windowSeconds', 'choice', 'answeredAt'] as const;
const LEARNER_COLUMNS = ['scope', 'userId', 'timezone', 'remindAt', 'remindAddress', 'updatedAt'] as const;
const REPORT_COLUMNS = ['conceptId', 'questionKey', 'kind', 'note', 'at', 'platform'] as const;
const SLACK_INSTALLATION_COLUMNS = [
  'installKey', 'teamId', 'teamName', 'enterpriseId', 'enterpriseName', 'enterpriseUrl', 'isEnterpriseInstall', 'appId',
  'botToken', 'botId', 'botUserId', 'botScopes', 'botRefreshToken', 'botExpiresAt',
  'userId', 'userToken', 'userScopes', 'userRefreshToken', 'userExpiresAt', 'installedAt', 'updatedAt',
] as const;
const SCOPE_SETTING_COLUMNS = ['scope', 'name', 'value', 'updatedAt'] as const;
/** The card fields a review changes (everything but who, what and when first seen). */
const CARD_STATE = CARD_COLUMNS.filter((c) => !['scope', 'userId', 'conceptId', 'firstSeen'].includes(c));

/** A person's rows: `scope` and `user_id` columns of a learning table. */
const PERSON = 'scope = ? AND user_id = ?';
const person = (l: Learner) => [l.scope, l.userId];

/**
 * Rows of a user id anywhere on one platform: scopes are `slack:T1`, `discord:G1`, `discord`,
 * `console:local`, so the platform's own name or anything under it. Platform names are plain
 * words (checked), so the LIKE pattern holds no wildcard of theirs.
 */
function onPlatform(platform: string, column = 'scope'): Statement {
  if (!/^[a-z][a-z0-9-]*$/.test(platform)) throw new Error(`not a platform name: ${platform}`);
  return { sql: `(${column} = ? OR ${column} LIKE ?)`, params: [platform, `${platform}:%`] };
}

/** The tables (and how to find a person's rows in them) that `personalData` counts and `forgetPerson` clears. */
function personalTables(userId: string, platform: string) {
  const where = onPlatform(platform);
  const mine = { sql: `user_id = ? AND ${where.sql}`, params: [userId, ...where.params] };
  const reminders = `SELECT post_key FROM learning_reminders WHERE ${mine.sql}`;
  return {
    /** The person's rows in a table with their user id (answers, learning_*). */
    mine,
    /** Deleted, in this order (outbox records of reminders before the reminders that name them). */
    deleted: [
      { table: 'outbox', where: { sql: `post_key IN (${reminders})`, params: mine.params } },
      { table: 'learning_reminders', where: mine },
      { table: 'learning_people', where: mine },
      { table: 'learning_practice', where: mine },
      { table: 'learning_reviews', where: mine },
      { table: 'learning_cards', where: mine },
      { table: 'answers', where: mine },
    ],
    /** Kept for the channel, with the person's id and name blanked. */
    blanked: [
      { table: 'quizzes', set: "started_by = '', started_by_name = 'someone'", where: { sql: `started_by = ? AND ${where.sql}`, params: [userId, ...where.params] } },
      { table: 'daily_subscriptions', set: "created_by = ''", where: { sql: `created_by = ? AND ${onPlatform(platform, 'address').sql}`, params: [userId, ...onPlatform(platform, 'address').params] } },
      // Who installed the app in a workspace, and their user token if any: the row and its bot token
      // are the workspace's (deleting them would uninstall Backfill there for everyone).
      ...(platform === 'slack'
        ? [{ table: 'slack_installations', set: "user_id = '', user_token = NULL, user_scopes = '', user_refresh_token = NULL, user_expires_at = NULL", where: { sql: 'user_id = ?', params: [userId] } }]
        : []),
    ],
  };
}

/** `INSERT INTO table (a, b) VALUES (?, ?)` with the values of those fields. */
function insert<K extends string>(table: string, columns: readonly K[], values: Record<K, unknown>, suffix = ''): Statement {
  return {
    sql: `INSERT INTO ${table} (${columns.map(snake).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${suffix}`,
    params: columns.map((c) => values[c]),
  };
}

/** The Store on any SQL database: the queries and row checks both databases share. */
export class SqlStore implements Store {
  constructor(protected readonly database: SqlDatabase) {}

  async createQuiz(quiz: Quiz, questions: StoredQuestion[]): Promise<CreateQuizResult> {
    try {
      await this.database.runAll([
        insert('quizzes', QUIZ_COLUMNS, quiz),
        ...questions.map((q) => insert('quiz_questions', QUESTION_COLUMNS, { ...q, options: JSON.stringify(q.options) })),
      ]);
      return 'created';
    } catch (err) {
      // The transaction is rolled back; which unique rule refused it decides the answer.
      if (!isUniqueViolation(err)) throw err;
      if (await this.getQuiz(quiz.id)) return 'exists';
      if (quiz.kind === 'quiz' && quiz.state === 'running' && (await this.runningQuiz(quiz.address, 'quiz'))) return 'running';
      throw err;
    }
  }

  async getQuiz(id: string): Promise<Quiz | undefined> {
    return this.first(toQuiz, 'SELECT * FROM quizzes WHERE id = ?', [id]);
  }

  async runningQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined> {
    return this.first(toQuiz, "SELECT * FROM quizzes WHERE state = 'running' AND address = ? AND kind = ? ORDER BY created_at DESC LIMIT 1", [address, kind]);
  }

  async runningQuizzes(): Promise<Quiz[]> {
    return this.all(toQuiz, "SELECT * FROM quizzes WHERE state = 'running' ORDER BY created_at");
  }

  async overdueQuizzes(before: string): Promise<Quiz[]> {
    return this.all(
      toQuiz,
      `SELECT q.* FROM quizzes q
         JOIN quiz_questions s ON s.quiz_id = q.id AND s.position = q.current
         LEFT JOIN quiz_questions p ON p.quiz_id = q.id AND p.position = q.current - 1
       WHERE q.state = 'running' AND COALESCE(s.closed_at, s.deadline_at, p.closed_at, q.created_at) < ?
       ORDER BY q.created_at`,
      [before],
    );
  }

  async latestQuiz(address: string, kind: Quiz['kind'], answeredBy?: string): Promise<Quiz | undefined> {
    const played = answeredBy === undefined ? '' : ' AND EXISTS (SELECT 1 FROM answers a WHERE a.quiz_id = q.id AND a.user_id = ?)';
    const params = answeredBy === undefined ? [address, kind] : [address, kind, answeredBy];
    return this.first(toQuiz, `SELECT * FROM quizzes q WHERE address = ? AND kind = ?${played} ORDER BY created_at DESC, rowid DESC LIMIT 1`, params);
  }

  async updateQuiz(id: string, patch: Partial<Pick<Quiz, 'current' | 'state' | 'endReason' | 'idle'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    const set = assignments(patch);
    await this.database.run(`UPDATE quizzes SET ${set.sql} WHERE id = ?`, [...set.params, id]);
  }

  async getQuestion(quizId: string, position: number): Promise<StoredQuestion | undefined> {
    return this.first(toQuestion, 'SELECT * FROM quiz_questions WHERE quiz_id = ? AND position = ?', [quizId, position]);
  }

  async questionsOf(quizId: string): Promise<StoredQuestion[]> {
    return this.all(toQuestion, 'SELECT * FROM quiz_questions WHERE quiz_id = ? ORDER BY position', [quizId]);
  }

  async openQuestion(quizId: string, position: number, messageId: string, openedAt: string, deadlineAt: string): Promise<boolean> {
    const opened = await this.database.run('UPDATE quiz_questions SET message_id = ?, opened_at = ?, deadline_at = ? WHERE quiz_id = ? AND position = ? AND message_id IS NULL', [
      messageId,
      openedAt,
      deadlineAt,
      quizId,
      position,
    ]);
    return opened === 1;
  }

  async closeQuestion(quizId: string, position: number, closedAt: string): Promise<boolean> {
    return (await this.database.run('UPDATE quiz_questions SET closed_at = ? WHERE quiz_id = ? AND position = ? AND closed_at IS NULL', [closedAt, quizId, position])) === 1;
  }

  async addAnswer(a: Answer): Promise<boolean> {
    const { sql, params } = insert('answers', ANSWER_COLUMNS, { ...a, correct: a.correct ? 1 : 0 }, 'ON CONFLICT (quiz_id, position, user_id) DO NOTHING');
    return (await this.database.run(sql, params)) === 1;
  }

  async answersTo(quizId: string, position: number): Promise<Answer[]> {
    return this.all(toAnswer, 'SELECT * FROM answers WHERE quiz_id = ? AND position = ? ORDER BY answered_at', [quizId, position]);
  }

  async answersOfQuiz(quizId: string): Promise<Answer[]> {
    return this.all(toAnswer, 'SELECT * FROM answers WHERE quiz_id = ? ORDER BY position, answered_at', [quizId]);
  }

  async markSeen(address: string, keys: string[], at: string): Promise<void> {
    const upsert = 'INSERT INTO seen_questions (address, question_key, seen_at) VALUES (?, ?, ?) ON CONFLICT (address, question_key) DO UPDATE SET seen_at = excluded.seen_at';
    await this.database.runAll(keys.map((k) => ({ sql: upsert, params: [address, k, at] })));
  }

  async seenQuestions(address: string): Promise<Map<string, string>> {
    const rows = await this.database.rows('SELECT question_key, seen_at FROM seen_questions WHERE address = ?', [address]);
    return new Map(rows.map((r) => [String(r.question_key), String(r.seen_at)]));
  }

  async scores(w: LeaderboardScope, since?: string): Promise<ScoreRow[]> {
    const { sql, params } = where(w, since);
    // PostgreSQL sums and counts in 64 bits, which its driver hands out as strings: cast back.
    return this.all(
      toScore,
      `SELECT user_id, MAX(user_name) AS user_name, CAST(SUM(points) AS INTEGER) AS points, CAST(COUNT(*) AS INTEGER) AS answers, CAST(SUM(correct) AS INTEGER) AS correct
       FROM answers WHERE ${sql} GROUP BY user_id ORDER BY points DESC, correct DESC, user_id`,
      params,
    );
  }

  async answerHistory(w: LeaderboardScope, userIds: string[], since?: string): Promise<Array<Pick<Answer, 'userId' | 'correct'>>> {
    if (userIds.length === 0) return [];
    const { sql, params } = where(w, since);
    const rows = await this.database.rows(`SELECT user_id, correct FROM answers WHERE ${sql} AND user_id IN (${userIds.map(() => '?').join(', ')}) ORDER BY answered_at, rowid`, [...params, ...userIds]);
    return rows.map((r) => ({ userId: String(r.user_id), correct: r.correct === 1 }));
  }

  async saveSubscription(sub: Subscription): Promise<void> {
    const { sql, params } = insert(
      'daily_subscriptions',
      SUBSCRIPTION_COLUMNS,
      { ...sub, kinds: sub.kinds.join(','), topics: sub.topics.join(','), weekdays: sub.weekdays.join(',') },
      `ON CONFLICT (address) DO UPDATE SET kinds = excluded.kinds, time = excluded.time, timezone = excluded.timezone, topics = excluded.topics,
         weekdays = excluded.weekdays, state = excluded.state, paused_reason = excluded.paused_reason, next_due_at = ''`,
    );
    await this.database.run(sql, params);
  }

  async getSubscription(address: string): Promise<Subscription | undefined> {
    return this.first(toSubscription, 'SELECT * FROM daily_subscriptions WHERE address = ?', [address]);
  }

  async deleteSubscription(address: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM daily_subscriptions WHERE address = ?', [address])) === 1;
  }

  async subscriptions(state?: Subscription['state']): Promise<Subscription[]> {
    return state
      ? this.all(toSubscription, 'SELECT * FROM daily_subscriptions WHERE state = ? ORDER BY address', [state])
      : this.all(toSubscription, 'SELECT * FROM daily_subscriptions ORDER BY address');
  }

  async setSubscriptionState(address: string, state: Subscription['state'], reason: string | null): Promise<void> {
    await this.database.run("UPDATE daily_subscriptions SET state = ?, paused_reason = ?, next_due_at = '' WHERE address = ?", [state, reason, address]);
  }

  async dueSubscriptions(now: string, limit: number, after?: DueSubscription): Promise<DueSubscription[]> {
    const page = after ? { sql: ' AND (next_due_at, address) > (?, ?)', params: [after.nextDueAt, after.address] } : { sql: '', params: [] };
    const rows = await this.database.rows(
      `SELECT address, next_due_at FROM daily_subscriptions WHERE state = 'active' AND next_due_at <= ?${page.sql} ORDER BY next_due_at, address LIMIT ?`,
      [now, ...page.params, limit],
    );
    return rows.map((r) => ({ address: String(r.address), nextDueAt: String(r.next_due_at) }));
  }

  async holdDueSubscriptions(addresses: readonly string[], now: string, holdUntil: string): Promise<Subscription[]> {
    if (addresses.length === 0) return [];
    // The condition is checked again on each row as it is updated: on PostgreSQL, a process that
    // waited for another's hold sees the new next_due_at and leaves that row, so none is held twice.
    return this.all(
      toSubscription,
      `UPDATE daily_subscriptions SET next_due_at = ? WHERE state = 'active' AND next_due_at <= ? AND address IN (${addresses.map(() => '?').join(', ')}) RETURNING *`,
      [holdUntil, now, ...addresses],
    );
  }

  async setNextDue(address: string, heldUntil: string, nextDueAt: string): Promise<boolean> {
    return (await this.database.run('UPDATE daily_subscriptions SET next_due_at = ? WHERE address = ? AND next_due_at = ?', [nextDueAt, address, heldUntil])) === 1;
  }

  async setNextDues(heldUntil: string, next: ReadonlyArray<DueSubscription>): Promise<number> {
    if (next.length === 0) return 0;
    return this.database.run(
      `UPDATE daily_subscriptions SET next_due_at = CASE address ${next.map(() => 'WHEN ? THEN ?').join(' ')} END
       WHERE next_due_at = ? AND address IN (${next.map(() => '?').join(', ')})`,
      [...next.flatMap((n) => [n.address, n.nextDueAt]), heldUntil, ...next.map((n) => n.address)],
    );
  }

  async claimPosts(claims: ReadonlyArray<PostClaim>, at: string): Promise<PostClaim[]> {
    if (claims.length === 0) return [];
    const rows = await this.database.rows(
      `INSERT INTO daily_posts (address, kind, local_date, status, concept_id, claimed_at) VALUES ${claims.map(() => "(?, ?, ?, 'claimed', ?, ?)").join(', ')}
       ON CONFLICT (address, kind, local_date) DO NOTHING RETURNING address, kind, local_date`,
      claims.flatMap((c) => [c.address, c.kind, c.localDate, c.conceptId, at]),
    );
    const won = new Set(rows.map((r) => `${String(r.kind)}\n${String(r.local_date)}\n${String(r.address)}`));
    return claims.filter((c) => won.has(`${c.kind}\n${c.localDate}\n${c.address}`));
  }

  async markPosted(posts: ReadonlyArray<PostClaim>, postedAt: string): Promise<void> {
    if (posts.length === 0) return;
    const row = 'address = ? AND kind = ? AND local_date = ?';
    const key = (p: PostClaim) => [p.address, p.kind, p.localDate];
    await this.database.run(
      `UPDATE daily_posts SET status = 'posted', posted_at = ?, error = NULL,
         concept_id = CASE ${posts.map(() => `WHEN ${row} THEN ?`).join(' ')} ELSE concept_id END
       WHERE (address, kind, local_date) IN (VALUES ${posts.map(() => '(?, ?, ?)').join(', ')})`,
      [postedAt, ...posts.flatMap((p) => [...key(p), p.conceptId]), ...posts.flatMap(key)],
    );
  }

  async postedConcepts(addresses: readonly string[]): Promise<DailyPost[]> {
    if (addresses.length === 0) return [];
    return this.all(
      toPost,
      `SELECT * FROM daily_posts WHERE address IN (${addresses.map(() => '?').join(', ')}) AND status = 'posted' AND concept_id IS NOT NULL ORDER BY address, local_date, claimed_at`,
      [...addresses],
    );
  }

  async nextDue(address: string): Promise<string | undefined> {
    const [row] = await this.database.rows('SELECT next_due_at FROM daily_subscriptions WHERE address = ?', [address]);
    return row ? String(row.next_due_at) : undefined;
  }

  async scopeSettings(scope: string): Promise<ScopeSetting[]> {
    return this.all(toScopeSetting, 'SELECT * FROM scope_settings WHERE scope = ? ORDER BY name', [scope]);
  }

  async saveScopeSetting(setting: ScopeSetting): Promise<void> {
    const s = insert('scope_settings', SCOPE_SETTING_COLUMNS, setting, 'ON CONFLICT (scope, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    await this.database.run(s.sql, s.params);
  }

  async deleteScopeSettings(scope: string, names?: readonly string[]): Promise<number> {
    if (!names) return this.database.run('DELETE FROM scope_settings WHERE scope = ?', [scope]);
    if (names.length === 0) return 0;
    return this.database.run(`DELETE FROM scope_settings WHERE scope = ? AND name IN (${names.map(() => '?').join(', ')})`, [scope, ...names]);
  }

  async claimPost(address: string, kind: DailyKind, localDate: string, at: string): Promise<boolean> {
    const claimed = await this.database.run(
      "INSERT INTO daily_posts (address, kind, local_date, status, claimed_at) VALUES (?, ?, ?, 'claimed', ?) ON CONFLICT (address, kind, local_date) DO NOTHING",
      [address, kind, localDate, at],
    );
    return claimed === 1;
  }

  async reclaimPost(post: DailyPost, at: string): Promise<boolean> {
    const reclaimed = await this.database.run(
      `UPDATE daily_posts SET status = 'claimed', attempts = attempts + 1, claimed_at = ?, next_attempt_at = NULL
       WHERE address = ? AND kind = ? AND local_date = ? AND status = ? AND attempts = ?`,
      [at, post.address, post.kind, post.localDate, post.status, post.attempts],
    );
    return reclaimed === 1;
  }

  async updatePost(address: string, kind: DailyKind, localDate: string, patch: Partial<Pick<DailyPost, 'status' | 'conceptId' | 'nextAttemptAt' | 'postedAt' | 'error'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    const set = assignments(patch);
    await this.database.run(`UPDATE daily_posts SET ${set.sql} WHERE address = ? AND kind = ? AND local_date = ?`, [...set.params, address, kind, localDate]);
  }

  async retryablePosts(now: string, staleBefore: string): Promise<DailyPost[]> {
    return this.all(toPost, "SELECT * FROM daily_posts WHERE (status = 'retry' AND next_attempt_at <= ?) OR (status = 'claimed' AND claimed_at < ?) ORDER BY claimed_at", [now, staleBefore]);
  }

  async postsOf(address: string, kind?: DailyKind): Promise<DailyPost[]> {
    return kind
      ? this.all(toPost, 'SELECT * FROM daily_posts WHERE address = ? AND kind = ? ORDER BY local_date, claimed_at', [address, kind])
      : this.all(toPost, 'SELECT * FROM daily_posts WHERE address = ? ORDER BY local_date, claimed_at', [address]);
  }

  async claimOutbox(postKey: string, address: string, owner: string, at: string, leaseUntil: string): Promise<boolean> {
    const claimed = await this.database.run(
      "INSERT INTO outbox (post_key, address, state, owner, started_at, lease_until) VALUES (?, ?, 'sending', ?, ?, ?) ON CONFLICT (post_key) DO NOTHING",
      [postKey, address, owner, at, leaseUntil],
    );
    return claimed === 1;
  }

  async getOutbox(postKey: string): Promise<OutboxRecord | undefined> {
    return this.first(toOutbox, 'SELECT * FROM outbox WHERE post_key = ?', [postKey]);
  }

  async takeOverOutbox(seen: OutboxRecord, owner: string, at: string, leaseUntil: string, restart: boolean): Promise<boolean> {
    const taken = await this.database.run(
      `UPDATE outbox SET state = 'sending', owner = ?, lease_until = ?, started_at = ?, attempts = attempts + 1, error = NULL
       WHERE post_key = ? AND state = ? AND owner = ? AND lease_until = ? AND attempts = ?`,
      [owner, leaseUntil, restart ? at : seen.startedAt, seen.postKey, seen.state, seen.owner, seen.leaseUntil, seen.attempts],
    );
    return taken === 1;
  }

  async settleOutbox(postKey: string, owner: string, settlement: OutboxSettlement): Promise<boolean> {
    const set = assignments(settlement);
    return (await this.database.run(`UPDATE outbox SET ${set.sql} WHERE post_key = ? AND owner = ? AND state = 'sending'`, [...set.params, postKey, owner])) === 1;
  }

  async outboxOf(address: string): Promise<OutboxRecord[]> {
    return this.all(toOutbox, 'SELECT * FROM outbox WHERE address = ? ORDER BY started_at, post_key', [address]);
  }

  async recordSearchMiss(miss: SearchMiss): Promise<void> {
    const s = insert('search_misses', MISS_COLUMNS, miss);
    await this.database.run(s.sql, s.params);
  }

  async searchGaps(since: string, limit: number): Promise<SearchGap[]> {
    // Grouped here rather than in SQL: listing a group's cards and platforms is written differently
    // in SQLite and PostgreSQL, and a report reads at most the latest MISS_REPORT_ROWS rows.
    const rows = await this.all(toMiss, 'SELECT * FROM search_misses WHERE at >= ? ORDER BY at DESC LIMIT ?', [since, MISS_REPORT_ROWS]);
    return groupMisses(rows).slice(0, limit);
  }

  async learningCard(learner: Learner, conceptId: string): Promise<LearningCard | undefined> {
    return this.first(toLearningCard, `SELECT * FROM learning_cards WHERE ${PERSON} AND concept_id = ?`, [...person(learner), conceptId]);
  }

  async learningCards(learner: Learner): Promise<LearningCard[]> {
    return this.all(toLearningCard, `SELECT * FROM learning_cards WHERE ${PERSON} ORDER BY due, concept_id`, person(learner));
  }

  async dueLearningCards(learner: Learner, now: string, limit: number): Promise<LearningCard[]> {
    return this.all(toLearningCard, `SELECT * FROM learning_cards WHERE ${PERSON} AND due <= ? ORDER BY due, concept_id LIMIT ?`, [...person(learner), now, limit]);
  }

  async applyReview(change: ReviewChange): Promise<ReviewResult> {
    const { review, card, practice } = change;
    const statements: Statement[] = [
      { ...insert('learning_reviews', REVIEW_COLUMNS, { ...review, correct: review.correct === null ? null : review.correct ? 1 : 0 }, 'ON CONFLICT (scope, user_id, event_key) DO NOTHING'), mustChange: 'duplicate' },
    ];
    if (practice) {
      statements.push({
        sql: `UPDATE learning_practice SET choice = ?, answered_at = ? WHERE id = ? AND ${PERSON} AND answered_at IS NULL`,
        params: [practice.choice, practice.answeredAt, practice.id, review.scope, review.userId],
        mustChange: 'duplicate',
      });
    }
    if (card.version === 1) {
      statements.push({ ...insert('learning_cards', CARD_COLUMNS, card, 'ON CONFLICT (scope, user_id, concept_id) DO NOTHING'), mustChange: 'conflict' });
    } else {
      const set = assignments(Object.fromEntries(CARD_STATE.map((c) => [c, card[c]])));
      statements.push({
        sql: `UPDATE learning_cards SET ${set.sql} WHERE ${PERSON} AND concept_id = ? AND version = ?`,
        params: [...set.params, card.scope, card.userId, card.conceptId, card.version - 1],
        mustChange: 'conflict',
      });
    }
    try {
      await this.database.runAll(statements);
      return 'recorded';
    } catch (err) {
      if (err instanceof NoChange) return err.reason === 'duplicate' ? 'duplicate' : 'conflict';
      // Two first reviews of one card at once: the loser's insert may meet the winner's row as a unique violation.
      if (isUniqueViolation(err)) return (await this.hasReview(review)) ? 'duplicate' : 'conflict';
      throw err;
    }
  }

  private async hasReview(r: LearningReview): Promise<boolean> {
    return (await this.database.rows(`SELECT 1 FROM learning_reviews WHERE ${PERSON} AND event_key = ?`, [r.scope, r.userId, r.eventKey])).length > 0;
  }

  async learningReviews(learner: Learner, since?: string): Promise<LearningReview[]> {
    return since
      ? this.all(toLearningReview, `SELECT * FROM learning_reviews WHERE ${PERSON} AND answered_at >= ? ORDER BY answered_at, rowid`, [...person(learner), since])
      : this.all(toLearningReview, `SELECT * FROM learning_reviews WHERE ${PERSON} ORDER BY answered_at, rowid`, person(learner));
  }

  async addPractice(q: PracticeQuestion): Promise<void> {
    const s = insert('learning_practice', PRACTICE_COLUMNS, { ...q, options: JSON.stringify(q.options) });
    await this.database.run(s.sql, s.params);
  }

  async getPractice(id: string): Promise<PracticeQuestion | undefined> {
    return this.first(toPractice, 'SELECT * FROM learning_practice WHERE id = ?', [id]);
  }

  async getLearner(learner: Learner): Promise<LearnerSettings | undefined> {
    return this.first(toLearner, `SELECT * FROM learning_people WHERE ${PERSON}`, person(learner));
  }

  async saveLearner(settings: LearnerSettings): Promise<void> {
    const s = insert(
      'learning_people',
      LEARNER_COLUMNS,
      settings,
      'ON CONFLICT (scope, user_id) DO UPDATE SET timezone = excluded.timezone, remind_at = excluded.remind_at, remind_address = excluded.remind_address, updated_at = excluded.updated_at',
    );
    await this.database.run(s.sql, s.params);
  }

  async remindedLearners(): Promise<LearnerSettings[]> {
    return this.all(toLearner, 'SELECT * FROM learning_people WHERE remind_at IS NOT NULL AND remind_address IS NOT NULL AND timezone IS NOT NULL ORDER BY scope, user_id');
  }

  async claimReminder(learner: Learner, localDate: string, address: string, postKey: string, at: string): Promise<boolean> {
    const claimed = await this.database.run(
      "INSERT INTO learning_reminders (scope, user_id, local_date, address, post_key, status, claimed_at) VALUES (?, ?, ?, ?, ?, 'claimed', ?) ON CONFLICT (scope, user_id, local_date) DO NOTHING",
      [...person(learner), localDate, address, postKey, at],
    );
    return claimed === 1;
  }

  async reclaimReminder(send: ReminderSend, at: string): Promise<boolean> {
    const reclaimed = await this.database.run(
      `UPDATE learning_reminders SET status = 'claimed', attempts = attempts + 1, claimed_at = ?, next_attempt_at = NULL
       WHERE ${PERSON} AND local_date = ? AND status = ? AND attempts = ?`,
      [at, send.scope, send.userId, send.localDate, send.status, send.attempts],
    );
    return reclaimed === 1;
  }

  async updateReminder(learner: Learner, localDate: string, patch: Partial<Pick<ReminderSend, 'status' | 'nextAttemptAt' | 'sentAt' | 'error'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    const set = assignments(patch);
    await this.database.run(`UPDATE learning_reminders SET ${set.sql} WHERE ${PERSON} AND local_date = ?`, [...set.params, ...person(learner), localDate]);
  }

  async retryableReminders(now: string, staleBefore: string): Promise<ReminderSend[]> {
    return this.all(
      toReminderSend,
      "SELECT * FROM learning_reminders WHERE (status = 'retry' AND next_attempt_at <= ?) OR (status = 'claimed' AND claimed_at < ?) ORDER BY claimed_at",
      [now, staleBefore],
    );
  }

  async remindersOf(learner: Learner): Promise<ReminderSend[]> {
    return this.all(toReminderSend, `SELECT * FROM learning_reminders WHERE ${PERSON} ORDER BY local_date`, person(learner));
  }

  async channelActivity(address: string, since: string): Promise<ChannelActivity> {
    const from = `FROM answers a JOIN quiz_questions q ON q.quiz_id = a.quiz_id AND q.position = a.position
      WHERE a.address = ? AND a.answered_at >= ? AND q.closed_at IS NOT NULL`;
    const [totals] = await this.database.rows(
      `SELECT CAST(COUNT(DISTINCT a.user_id) AS INTEGER) AS people, CAST(COUNT(*) AS INTEGER) AS answers,
         CAST(COALESCE(SUM(a.correct), 0) AS INTEGER) AS correct, CAST(COUNT(DISTINCT a.quiz_id) AS INTEGER) AS quizzes ${from}`,
      [address, since],
    );
    const concepts = await this.all(
      toChannelConcept,
      `SELECT q.concept_id, CAST(COUNT(*) AS INTEGER) AS answers, CAST(SUM(a.correct) AS INTEGER) AS correct, CAST(COUNT(DISTINCT a.user_id) AS INTEGER) AS people
       ${from} GROUP BY q.concept_id ORDER BY q.concept_id`,
      [address, since],
    );
    return { people: Number(totals?.people ?? 0), answers: Number(totals?.answers ?? 0), correct: Number(totals?.correct ?? 0), quizzes: Number(totals?.quizzes ?? 0), concepts };
  }

  async personalData(userId: string, platform: string): Promise<PersonalData> {
    const { deleted, blanked } = personalTables(userId, platform);
    const counts: PersonalData = {};
    for (const { table, where } of [...deleted, ...blanked]) {
      const [row] = await this.database.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table} WHERE ${where.sql}`, where.params);
      counts[table] = Number(row?.n ?? 0);
    }
    return counts;
  }

  async forgetPerson(userId: string, platform: string): Promise<PersonalData> {
    // Counted, then cleared in one transaction; a row written in between is cleared too, if not counted.
    const counts = await this.personalData(userId, platform);
    const { mine, deleted, blanked } = personalTables(userId, platform);
    await this.database.runAll([
      // The quizzes this person played with others keep counting for the others.
      { sql: `UPDATE quizzes SET shared = 1 WHERE shared = 0 AND id IN (${PLAYED_BY_SEVERAL}) AND id IN (SELECT quiz_id FROM answers WHERE ${mine.sql})`, params: mine.params },
      ...deleted.map(({ table, where }) => ({ sql: `DELETE FROM ${table} WHERE ${where.sql}`, params: where.params })),
      ...blanked.map(({ table, set, where }) => ({ sql: `UPDATE ${table} SET ${set} WHERE ${where.sql}`, params: where.params })),
    ]);
    return counts;
  }

  async addReport(report: Report, pressKey?: string): Promise<boolean> {
    const s = insert('reports', [...REPORT_COLUMNS, 'pressKey'], { ...report, pressKey: pressKey ?? null }, 'ON CONFLICT DO NOTHING');
    return (await this.database.run(s.sql, s.params)) === 1;
  }

  async reports(since?: string, limit = 1000): Promise<Report[]> {
    return since
      ? this.all(toReport, 'SELECT * FROM reports WHERE at >= ? ORDER BY at DESC, rowid DESC LIMIT ?', [since, limit])
      : this.all(toReport, 'SELECT * FROM reports ORDER BY at DESC, rowid DESC LIMIT ?', [limit]);
  }

  async saveSlackInstallation(installation: SlackInstallation): Promise<void> {
    const replaced = SLACK_INSTALLATION_COLUMNS.filter((c) => c !== 'installKey' && c !== 'installedAt').map((c) => `${snake(c)} = excluded.${snake(c)}`);
    const s = insert(
      'slack_installations',
      SLACK_INSTALLATION_COLUMNS,
      { ...installation, isEnterpriseInstall: installation.isEnterpriseInstall ? 1 : 0, botScopes: installation.botScopes.join(','), userScopes: installation.userScopes.join(',') },
      `ON CONFLICT (install_key) DO UPDATE SET ${replaced.join(', ')}`,
    );
    await this.database.run(s.sql, s.params);
  }

  async slackInstallation(installKey: string): Promise<SlackInstallation | undefined> {
    return this.first(toSlackInstallation, 'SELECT * FROM slack_installations WHERE install_key = ?', [installKey]);
  }

  async slackInstallationForTeam(teamId: string): Promise<SlackInstallation | undefined> {
    const own = await this.first(toSlackInstallation, 'SELECT * FROM slack_installations WHERE install_key = ? AND is_enterprise_install = 0', [teamId]);
    return (
      own ??
      this.first(
        toSlackInstallation,
        'SELECT i.* FROM slack_installations i JOIN slack_org_teams t ON i.install_key = t.enterprise_id WHERE t.team_id = ? AND i.is_enterprise_install = 1',
        [teamId],
      )
    );
  }

  async noteSlackOrgTeam(teamId: string, enterpriseId: string, at: string): Promise<void> {
    await this.database.run(
      'INSERT INTO slack_org_teams (team_id, enterprise_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (team_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, seen_at = excluded.seen_at',
      [teamId, enterpriseId, at],
    );
  }

  async deleteSlackInstallation(installKey: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM slack_installations WHERE install_key = ?', [installKey])) === 1;
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  private async all<T>(toValue: (row: Row) => T, sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.database.rows(sql, params)).map(toValue);
  }

  private async first<T>(toValue: (row: Row) => T, sql: string, params: unknown[]): Promise<T | undefined> {
    const [row] = await this.database.rows(sql, params);
    return row && toValue(row);
  }
}
