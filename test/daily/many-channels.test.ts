import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/adapters/slack/slack.js';
import { createBackfill, type Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import type { Reply } from '../../src/core/reply.js';
import type { InterruptedSend, Messenger, PostedMessage, SendOptions } from '../../src/core/services.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/store/types.js';
import { tempDatabase } from '../helpers/app.js';
import { Process } from '../helpers/crash.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { LaneTime } from '../helpers/lane-time.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';
import { postgres, sqliteFile, type DatabaseKind } from '../reliability/harness.js';
import { FakeSlack } from '../slack/fake-slack.js';

const concept = (n: number): ConceptFixture => ({
  id: `kafka/c${n}`,
  title: `Kafka idea ${n}`,
  summary: `What Kafka idea number ${n} is about, in one sentence for the card.`,
  quiz: [{ question: `Which statement about Kafka idea ${n} holds?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
});
const knowledge = openKnowledge(writeKnowledge([1, 2, 3, 4, 5, 6].map(concept)));

const NINE = '2026-06-01T09:00:00Z';
const subscription = (address: string, o: Partial<Subscription> = {}): Subscription => ({
  address,
  kinds: ['concept'],
  time: '09:00',
  timezone: 'UTC',
  topics: [],
  weekdays: [],
  state: 'active',
  pausedReason: null,
  createdBy: 'U1',
  createdAt: '2026-05-01T00:00:00.000Z',
  ...o,
});

/** A messenger passed through unchanged, counting the sends in flight at once. */
class CountingMessenger implements Messenger {
  inFlight = 0;
  maxInFlight = 0;
  sent = 0;
  constructor(private readonly inner: Messenger) {}
  async send(address: string, reply: Reply, options?: SendOptions): Promise<PostedMessage> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      const posted = await this.inner.send(address, reply, options);
      this.sent++;
      return posted;
    } finally {
      this.inFlight--;
    }
  }
  update(message: PostedMessage, reply: Reply): Promise<void> {
    return this.inner.update(message, reply);
  }
  recover(address: string, reply: Reply, send: InterruptedSend) {
    return this.inner.recover!(address, reply, send);
  }
}

interface BotProcess {
  app: Backfill;
  counting: CountingMessenger;
  stop(): Promise<void>;
}

/** A bot process on the shared database, posting to the fake Slack through Bolt's WebClient and the channel lanes. */
function slackProcess(store: Store, fake: FakeSlack, time: FakeTime, seed: number, postsInFlight: number): BotProcess {
  const app = createBackfill({ knowledge, store, log: silentLogger, clock: time, timers: time, random: seededRandom(seed), dailyPostsInFlight: postsInFlight });
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
  const parts = createSlackApp(app, config, silentLogger, { laneTiming: new LaneTime() });
  const counting = new CountingMessenger(parts.messenger);
  app.messengers.register('slack', counting);
  return {
    app,
    counting,
    async stop() {
      parts.stopSending();
      await app.close();
    },
  };
}

const DATABASES: DatabaseKind[] = [sqliteFile, postgres()];

describe.each(DATABASES)('$name: daily posts for many channels', (database) => {
  afterAll(() => database.cleanUp());

  it.skipIf(database.skip)(
    'two processes share 500 channels due in the same minute: every post goes out exactly once, with a bounded number in flight',
    async () => {
      const CHANNELS = 500;
      const time = new FakeTime('2026-06-01T08:59:30Z');
      const fake = await new FakeSlack({ now: () => time.now().getTime() }).start();
      // A round trip of a few milliseconds, so that posts overlap and the bound has something to hold.
      fake.slowDown('chat.postMessage', 3);
      const db = await database.fresh();
      const setup = await db.open();
      // Five workspaces; every tenth channel gets a quiz of the day too (550 posts in all).
      const addresses = Array.from({ length: CHANNELS }, (_, i) => `slack:T${i % 5}:C${String(i).padStart(4, '0')}`);
      for (const [i, address] of addresses.entries()) await setup.saveSubscription(subscription(address, i % 10 === 0 ? { kinds: ['concept', 'quiz'] } : {}));
      await setup.close();
      const processes = [slackProcess(await db.open(), fake, time, 1, 6), slackProcess(await db.open(), fake, time, 2, 6)];
      try {
        await time.advanceTo(NINE);
        await Promise.all(processes.map((p) => p.app.daily.sweep()));

        const perChannel = new Map<string, number>();
        for (const m of fake.messages) perChannel.set(m.channel, (perChannel.get(m.channel) ?? 0) + 1);
        expect(fake.messages).toHaveLength(CHANNELS + CHANNELS / 10);
        expect([...perChannel.keys()].sort()).toEqual(addresses.map((a) => a.split(':')[2]).sort());
        expect([...perChannel.entries()].filter(([channel, n]) => n !== (Number(channel.slice(1)) % 10 === 0 ? 2 : 1))).toEqual([]);
        // Both took part, neither had more than its bound in flight.
        for (const p of processes) {
          expect(p.counting.sent).toBeGreaterThan(0);
          expect(p.counting.maxInFlight).toBeLessThanOrEqual(6);
        }
        expect(processes[0]!.counting.maxInFlight).toBeGreaterThan(1);
        const store = processes[0]!.app.store;
        for (const address of addresses.slice(0, 20)) {
          expect((await store.postsOf(address)).map((p) => [p.localDate, p.status])).toEqual(
            Array.from({ length: Number(address.slice(-4)) % 10 === 0 ? 2 : 1 }, () => ['2026-06-01', 'posted']),
          );
          // Next due: tomorrow at 09:00.
          expect(await store.nextDue(address)).toBe('2026-06-02T09:00:00.000Z');
        }
        // Nothing is left due, and a later sweep in the same minute sends nothing more.
        expect(await store.dueSubscriptions(time.now().toISOString(), 10)).toEqual([]);
        await time.advance(30_000);
        await Promise.all(processes.map((p) => p.app.daily.sweep()));
        expect(fake.messages).toHaveLength(CHANNELS + CHANNELS / 10);
      } finally {
        for (const p of processes) await p.stop();
        await fake.close();
      }
    },
    60_000,
  );
});

describe('a process that dies while it holds due channels', () => {
  for (const step of ['holdDueSubscriptions', 'claimPosts', 'setNextDues', 'markPosted'] as const) {
    it(`dies after ${step}: another process sends each post once, and the channels come due again on their next day`, async () => {
      const database = tempDatabase();
      const time = new FakeTime(NINE);
      const proc = new Process(time);
      const store = new SqliteStore(database);
      const dying = createBackfill({ knowledge, store: proc.store(store), log: silentLogger, clock: time, timers: proc.timers, random: seededRandom(1) });
      const survivor = createBackfill({ knowledge, store: new SqliteStore(database), log: silentLogger, clock: time, timers: time, random: seededRandom(2) });
      const [first, second] = [new RecordingMessenger(), new RecordingMessenger()];
      dying.messengers.register('test', first);
      survivor.messengers.register('test', second);
      try {
        const addresses = Array.from({ length: 40 }, (_, i) => `test:W1:C${String(i).padStart(2, '0')}`);
        for (const address of addresses) await survivor.store.saveSubscription(subscription(address));
        proc.dieAt({ after: (c) => c.method === step });
        await Promise.race([dying.daily.sweep(), proc.died]);
        expect(proc.isDead).toBe(true);
        // The survivor leaves what the dead one holds; its claims go stale, its holds run out.
        for (let minute = 0; minute < 7; minute++) {
          await survivor.daily.sweep();
          await time.advance(60_000);
        }
        const sent = [...first.sent, ...second.sent].map((m) => m.address).sort();
        expect(sent).toEqual(addresses);
        for (const address of addresses) {
          expect((await survivor.store.postsOf(address)).map((p) => p.status)).toEqual(['posted']);
          expect(await survivor.store.nextDue(address)).toBe('2026-06-02T09:00:00.000Z');
        }
      } finally {
        await survivor.close();
        await store.close();
      }
    });
  }
});

describe('a process posts only where it reaches', () => {
  it('leaves the due channels of a platform it does not run to the process that does', async () => {
    const database = tempDatabase();
    const time = new FakeTime(NINE);
    const apps = [0, 1].map(() => createBackfill({ knowledge, store: new SqliteStore(database), log: silentLogger, clock: time, timers: time, random: seededRandom(1) }));
    const [test, other] = [new RecordingMessenger(), new RecordingMessenger()];
    apps[0]!.messengers.register('test', test);
    apps[1]!.messengers.register('other', other);
    try {
      for (let i = 0; i < 30; i++) await apps[0]!.store.saveSubscription(subscription(`${i % 2 ? 'other' : 'test'}:W1:C${i}`));
      await apps[0]!.daily.sweep();
      expect(test.sent).toHaveLength(15);
      // Still due for the process that runs the other platform: not held, not claimed.
      expect((await apps[0]!.store.dueSubscriptions(time.now().toISOString(), 100)).map((d) => d.address.split(':')[0])).toEqual(Array(15).fill('other'));
      await apps[1]!.daily.sweep();
      expect(other.sent).toHaveLength(15);
      expect(test.sent).toHaveLength(15);
    } finally {
      for (const app of apps) await app.close();
    }
  });
});

/** The due query as each database plans it over 10,000 subscriptions with 100 due: through the due index, not a scan. */
describe('due subscriptions are found through an index', () => {
  const SEED = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
    INSERT INTO daily_subscriptions (address, kinds, time, timezone, topics, weekdays, state, paused_reason, created_by, created_at, next_due_at)
    SELECT 'slack:T1:C' || i, 'concept', '09:00', 'UTC', '', '', 'active', NULL, 'U1', '2026-05-01T00:00:00.000Z',
      CASE WHEN i < 100 THEN '2026-06-01T09:00:00.000Z' ELSE '2026-06-02T09:00:00.000Z' END FROM n`;
  const NOW = '2026-06-01T09:00:30.000Z';

  /** The SQL (and parameters) the store runs for a first page and a next page of due subscriptions. */
  async function dueQueries(store: SqliteStore): Promise<Array<{ sql: string; params: unknown[] }>> {
    const seen: Array<{ sql: string; params: unknown[] }> = [];
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      const all = statement.all.bind(statement);
      return Object.assign(statement, { all: (...params: unknown[]) => (seen.push({ sql, params }), all(...params)) });
    }) as typeof store.db.prepare;
    const first = await store.dueSubscriptions(NOW, 50);
    expect(first).toHaveLength(50);
    expect(await store.dueSubscriptions(NOW, 50, first[49])).toHaveLength(50);
    store.db.prepare = prepare;
    return seen;
  }

  it('SQLite', async () => {
    const store = new SqliteStore(':memory:');
    try {
      store.db.exec(SEED);
      store.db.exec('ANALYZE');
      const queries = await dueQueries(store);
      expect(queries).toHaveLength(2);
      for (const q of queries) {
        const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
        expect(plan).toMatch(/USING (COVERING )?INDEX daily_subscriptions_due/);
        expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
      }
    } finally {
      await store.close();
    }
  });

  const url = process.env.TEST_DATABASE_URL;
  it.skipIf(!url)('PostgreSQL', async () => {
    // The same SQL, as the store runs it on SQLite; on PostgreSQL the driver numbers the placeholders.
    const sqlite = new SqliteStore(':memory:');
    sqlite.db.exec(SEED);
    const queries = await dueQueries(sqlite);
    await sqlite.close();
    const schema = `backfill_due_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const inSchema = new URL(url!);
      inSchema.searchParams.set('options', `-c search_path=${schema}`);
      await (await PostgresStore.open(inSchema.toString())).close();
      const client = new pg.Client({ connectionString: inSchema.toString() });
      await client.connect();
      try {
        await client.query(SEED);
        await client.query('ANALYZE daily_subscriptions');
        for (const q of queries) {
          let n = 0;
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.sql.replace(/\?/g, () => `$${++n}`)}`, q.params);
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(plan).toContain('daily_subscriptions_due');
          expect(plan).toContain('Index Only Scan using daily_subscriptions_due');
          expect(plan).not.toMatch(/Seq Scan|Sort/);
        }
      } finally {
        await client.end();
      }
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
