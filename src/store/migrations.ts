/** One schema change, in the SQL of each database Backfill runs on. */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** SQLite compares text byte by byte; PostgreSQL does so only in the "C" collation, whatever the database's locale. */
const bytewiseText = (sql: string) => sql.replace(/\bTEXT\b/g, 'TEXT COLLATE "C"');

/** A step written once for both databases; `postgresOnly` adds what PostgreSQL alone needs. */
function step(version: number, name: string, sql: string, postgresOnly = ''): Migration {
  return { version, name, sqlite: sql, postgres: bytewiseText(sql) + postgresOnly };
}

/**
 * Versioned schema changes, applied in order on start. Never edit a released step: add one.
 * Times are ISO-8601 UTC strings, which sort as they compare.
 */
export const MIGRATIONS: readonly Migration[] = [
  step(
    1,
    'quizzes, questions, answers and seen questions',
    `
      CREATE TABLE quizzes (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('quiz', 'daily')),
        address TEXT NOT NULL,
        scope TEXT NOT NULL,
        topic TEXT,
        total INTEGER NOT NULL,
        current INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'finished')),
        end_reason TEXT,
        idle INTEGER NOT NULL DEFAULT 0,
        window_seconds INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        started_by_name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX quizzes_running ON quizzes (state, address);
      CREATE TABLE quiz_questions (
        quiz_id TEXT NOT NULL REFERENCES quizzes (id),
        position INTEGER NOT NULL,
        question_key TEXT NOT NULL,
        concept_id TEXT NOT NULL,
        prompt TEXT NOT NULL,
        options TEXT NOT NULL,
        correct INTEGER NOT NULL,
        why TEXT NOT NULL,
        message_id TEXT,
        opened_at TEXT,
        deadline_at TEXT,
        closed_at TEXT,
        PRIMARY KEY (quiz_id, position)
      );
      CREATE TABLE answers (
        quiz_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        address TEXT NOT NULL,
        scope TEXT NOT NULL,
        choice INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        points INTEGER NOT NULL,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (quiz_id, position, user_id),
        FOREIGN KEY (quiz_id, position) REFERENCES quiz_questions (quiz_id, position)
      );
      CREATE INDEX answers_by_address ON answers (address, answered_at);
      CREATE INDEX answers_by_scope ON answers (scope, answered_at);
      CREATE TABLE seen_questions (
        address TEXT NOT NULL,
        question_key TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (address, question_key)
      );
    `,
    // PostgreSQL has no implicit rowid; the queries break ties in insertion order with it.
    `
      ALTER TABLE quizzes ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE answers ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
    `,
  ),
  step(
    2,
    'daily subscriptions and claimed daily posts',
    `
      CREATE TABLE daily_subscriptions (
        address TEXT PRIMARY KEY,
        kinds TEXT NOT NULL,
        time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        topics TEXT NOT NULL,
        weekdays TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'paused')),
        paused_reason TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE daily_posts (
        address TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('concept', 'quiz')),
        local_date TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'retry', 'failed')),
        concept_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 1,
        claimed_at TEXT NOT NULL,
        next_attempt_at TEXT,
        posted_at TEXT,
        error TEXT,
        PRIMARY KEY (address, kind, local_date)
      );
      CREATE INDEX daily_posts_retry ON daily_posts (status, next_attempt_at);
    `,
  ),
  step(
    3,
    'one running quiz per channel; the outbox of bot posts',
    // Channels that already hold several running quizzes (the race this step closes) keep the
    // oldest; the others end, so the unique index can be built.
    `
      UPDATE quizzes SET state = 'finished', end_reason = 'Ended: another quiz was already running here.'
      WHERE kind = 'quiz' AND state = 'running' AND EXISTS (
        SELECT 1 FROM quizzes other
        WHERE other.kind = 'quiz' AND other.state = 'running' AND other.address = quizzes.address
          AND (other.created_at < quizzes.created_at OR (other.created_at = quizzes.created_at AND other.id < quizzes.id))
      );
      CREATE UNIQUE INDEX quizzes_one_running ON quizzes (address) WHERE kind = 'quiz' AND state = 'running';
      CREATE TABLE outbox (
        post_key TEXT PRIMARY KEY,
        address TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'refused', 'unknown')),
        owner TEXT NOT NULL,
        started_at TEXT NOT NULL,
        lease_until TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        message_id TEXT,
        settled_at TEXT,
        error TEXT
      );
      CREATE INDEX outbox_open ON outbox (state, lease_until);
    `,
  ),
  step(
    4,
    'questions search could not answer, for authors',
    // No user ids: what was asked, when, where (platform) and about what is enough to find gaps.
    `
      CREATE TABLE search_misses (
        query TEXT NOT NULL,
        normalized TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('no-card', 'not-meant')),
        concept_id TEXT,
        topic TEXT,
        platform TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX search_misses_at ON search_misses (at);
    `,
  ),
  step(
    5,
    'personal learning: FSRS cards, reviews, practice, reminders; problem reports',
    // Every table with a person in it keys them by (scope, user_id), so forgetting finds every row.
    // Reports keep no user id: the concept, question, kind, note, time and platform are enough.
    `
      CREATE TABLE learning_cards (
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        concept_id TEXT NOT NULL,
        state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3),
        due TEXT NOT NULL,
        stability DOUBLE PRECISION NOT NULL,
        difficulty DOUBLE PRECISION NOT NULL,
        elapsed_days INTEGER NOT NULL,
        scheduled_days INTEGER NOT NULL,
        learning_steps INTEGER NOT NULL,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        last_review TEXT,
        first_seen TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (scope, user_id, concept_id)
      );
      CREATE INDEX learning_cards_due ON learning_cards (scope, user_id, due);
      CREATE TABLE learning_reviews (
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        event_key TEXT NOT NULL,
        concept_id TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('quiz', 'daily', 'practice', 'card')),
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        correct INTEGER,
        address TEXT,
        answered_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        scheduled_days INTEGER NOT NULL,
        stability DOUBLE PRECISION NOT NULL,
        due TEXT NOT NULL,
        PRIMARY KEY (scope, user_id, event_key)
      );
      CREATE INDEX learning_reviews_by_person ON learning_reviews (scope, user_id, answered_at);
      CREATE TABLE learning_practice (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        concept_id TEXT NOT NULL,
        question_key TEXT NOT NULL,
        prompt TEXT NOT NULL,
        options TEXT NOT NULL,
        correct INTEGER NOT NULL,
        why TEXT NOT NULL,
        shown_at TEXT NOT NULL,
        window_seconds INTEGER NOT NULL,
        choice INTEGER,
        answered_at TEXT
      );
      CREATE INDEX learning_practice_by_person ON learning_practice (scope, user_id, shown_at);
      CREATE TABLE learning_people (
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        timezone TEXT,
        remind_at TEXT,
        remind_address TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, user_id)
      );
      CREATE INDEX learning_people_reminded ON learning_people (remind_at);
      CREATE TABLE learning_reminders (
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        local_date TEXT NOT NULL,
        address TEXT NOT NULL,
        post_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'retry', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 1,
        claimed_at TEXT NOT NULL,
        next_attempt_at TEXT,
        sent_at TEXT,
        error TEXT,
        PRIMARY KEY (scope, user_id, local_date)
      );
      CREATE INDEX learning_reminders_retry ON learning_reminders (status, next_attempt_at);
      CREATE TABLE reports (
        concept_id TEXT NOT NULL,
        question_key TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('wrong', 'unclear', 'outdated')),
        note TEXT,
        at TEXT NOT NULL,
        platform TEXT NOT NULL
      );
      CREATE INDEX reports_at ON reports (at);
      CREATE INDEX answers_by_user ON answers (user_id);
    `,
    `
      ALTER TABLE learning_reviews ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE reports ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
    `,
  ),
  step(
    6,
    'slack installations',
    // One row per OAuth installation: a workspace's (keyed by its team id) or an organization's
    // installed org-wide (keyed by its enterprise id, no team). Expiry times are Unix seconds, as
    // Slack's token rotation gives them. slack_org_teams says which organization serves a workspace
    // whose own requests arrived under an org-wide installation, so posts there find its token.
    `
      CREATE TABLE slack_installations (
        install_key TEXT PRIMARY KEY,
        team_id TEXT,
        team_name TEXT,
        enterprise_id TEXT,
        enterprise_name TEXT,
        enterprise_url TEXT,
        is_enterprise_install INTEGER NOT NULL CHECK (is_enterprise_install IN (0, 1)),
        app_id TEXT,
        bot_token TEXT,
        bot_id TEXT,
        bot_user_id TEXT,
        bot_scopes TEXT NOT NULL,
        bot_refresh_token TEXT,
        bot_expires_at BIGINT,
        user_id TEXT NOT NULL,
        user_token TEXT,
        user_scopes TEXT NOT NULL,
        user_refresh_token TEXT,
        user_expires_at BIGINT,
        installed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (install_key <> '' AND install_key = COALESCE(CASE WHEN is_enterprise_install = 1 THEN enterprise_id ELSE team_id END, ''))
      );
      CREATE TABLE slack_org_teams (
        team_id TEXT PRIMARY KEY,
        enterprise_id TEXT NOT NULL,
        seen_at TEXT NOT NULL
      );
    `,
  ),
  step(
    7,
    'settings per workspace and guild; when each daily subscription is next due',
    // next_due_at: '' (sorts first) means "look at it in the next sweep", which works out the time.
    // A sweep finds due subscriptions through the index instead of reading every one each minute.
    `
      CREATE TABLE scope_settings (
        scope TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, name)
      );
      ALTER TABLE daily_subscriptions ADD COLUMN next_due_at TEXT NOT NULL DEFAULT '';
      CREATE INDEX daily_subscriptions_due ON daily_subscriptions (next_due_at, address) WHERE state = 'active';
    `,
  ),
  step(
    8,
    'quizzes played by two or more people stay counted when one of them is forgotten',
    // Set when a player's answers are deleted (/progress forget): the others' answers still count.
    `
      ALTER TABLE quizzes ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
    `,
  ),
  step(
    9,
    'one problem report per press of a report choice',
    // The message the choice was pressed on and what it reports, not who pressed it: a second press
    // (a double click, a button delivered twice) is the same report. NULL for /report, which may repeat.
    `
      ALTER TABLE reports ADD COLUMN press_key TEXT;
      CREATE UNIQUE INDEX reports_press_key ON reports (press_key);
    `,
  ),
];

/** The table that records which steps a database has had. */
export const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';
export const RECORD_MIGRATION = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)';
