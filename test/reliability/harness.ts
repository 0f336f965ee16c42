import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startDiscord } from '../../src/adapters/discord/discord.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { createSlackApp } from '../../src/adapters/slack/slack.js';
import { createBackfill, type Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import type { User } from '../../src/core/incoming.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { plainText } from '../../src/core/reply.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { FakeDiscord } from '../discord/fake-discord.js';
import { APPLICATION_ID, CHANNEL_ID, GUILD_ID } from '../discord/payloads.js';
import { tempDatabase } from '../helpers/app.js';
import { Process } from '../helpers/crash.js';
import { LaneTime } from '../helpers/lane-time.js';
import type { FakeTime } from '../helpers/time.js';

/** One database that several bot processes open. */
export interface Database {
  open(): Promise<Store>;
}

export interface DatabaseKind {
  name: string;
  /** Why it cannot run here, if it cannot. */
  skip?: string;
  fresh(): Promise<Database>;
  /** Drops what the tests made. */
  cleanUp(): Promise<void>;
}

export const sqliteFile: DatabaseKind = {
  name: 'SQLite (a file)',
  fresh: async () => {
    const path = tempDatabase();
    return { open: async () => new SqliteStore(path) };
  },
  cleanUp: async () => undefined,
};

/** PostgreSQL at TEST_DATABASE_URL: every database is a schema of its own, dropped at the end. */
export function postgres(): DatabaseKind {
  const url = process.env.TEST_DATABASE_URL;
  let admin: pg.Pool | undefined;
  const schemas: string[] = [];
  return {
    name: 'PostgreSQL',
    skip: url ? undefined : 'TEST_DATABASE_URL is not set (.ci/run starts a PostgreSQL server and sets it)',
    async fresh() {
      admin ??= new pg.Pool({ connectionString: url });
      const schema = `backfill_once_${randomBytes(6).toString('hex')}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      schemas.push(schema);
      const inSchema = new URL(url!);
      inSchema.searchParams.set('options', `-c search_path=${schema}`);
      return { open: () => PostgresStore.open(inSchema.toString()) };
    },
    async cleanUp() {
      for (const schema of schemas.splice(0)) await admin?.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin?.end();
      admin = undefined;
    },
  };
}

/** A message as the channel shows it: its title (first line) and its whole text after any edits. */
export interface Seen {
  title: string;
  text: string;
}

/** A post a test aims at: its outbox key and its title on the platform. */
export interface Target {
  key: RegExp;
  title: RegExp;
}

/** A fake platform on loopback, reached by the real client (Bolt's WebClient, discord.js). */
export interface Platform {
  name: string;
  /** The channel the tests play in. */
  address: string;
  /** Registers a messenger on the app, talking to the fake through its own client; how to stop it. */
  connect(app: Backfill): Promise<() => Promise<void>>;
  /**
   * The next post of `target` is not answered; with `deliver` the platform creates the message
   * first. `onHeld` gets a function that sends the answer after all (a slow call, not a lost one).
   */
  hold(target: Target, deliver: boolean, onHeld: (answer: () => void) => void): void;
  /** The channel's messages, oldest first. */
  messages(): Seen[];
  close(): Promise<void>;
}

export interface PlatformKind {
  name: string;
  start(time: FakeTime): Promise<Platform>;
}

export const slack: PlatformKind = {
  name: 'Slack',
  async start(time) {
    const fake = await new FakeSlack({ now: () => time.now().getTime() }).start();
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
    const channel = 'CQUIZ';
    return {
      name: 'Slack',
      address: `slack:TFAKE:${channel}`,
      fake,
      async connect(app) {
        const parts = createSlackApp(app, config, silentLogger, { laneTiming: new LaneTime() });
        app.messengers.register('slack', parts.messenger);
        return async () => parts.stopSending();
      },
      hold(target, deliver, onHeld) {
        const keyOf = (params: Record<string, unknown>) => String((params['metadata'] as { event_payload?: { key?: string } } | undefined)?.event_payload?.key);
        fake.hold('chat.postMessage', (params) => target.key.test(keyOf(params)), { deliver, onHeld });
      },
      messages: () => fake.messagesIn(channel).map((m) => ({ title: String(m.text).split('\n')[0] ?? '', text: String(m.text) })),
      close: () => fake.close(),
    } as Platform & { fake: FakeSlack };
  },
};

export const discord: PlatformKind = {
  name: 'Discord',
  async start() {
    const fake = await FakeDiscord.start();
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
    const path = `/channels/${CHANNEL_ID}/messages`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const titleOf = (body: any) => String(body?.embeds?.[0]?.title ?? body?.content ?? '');
    return {
      name: 'Discord',
      address: `discord:${GUILD_ID}:${CHANNEL_ID}`,
      fake,
      async connect(app) {
        const running = await startDiscord(app, config, silentLogger);
        return () => running.stop();
      },
      hold(target, deliver, onHeld) {
        fake.holdNext((call) => call.method === 'POST' && call.path === path && target.title.test(titleOf(call.body)), { deliver, onHeld });
      },
      messages: () =>
        fake.created
          .filter((m) => m.channelId === CHANNEL_ID)
          .map((m) => {
            const edits = fake.calls.filter((c) => c.method === 'PATCH' && c.path === `${path}/${m.id}`);
            return { title: titleOf(m.body), text: JSON.stringify(edits.at(-1)?.body ?? m.body) };
          }),
      close: () => fake.close(),
    } as Platform & { fake: FakeDiscord };
  },
};

/** One bot process: a Backfill on the shared database and the shared fake platform, killable. */
export interface Instance {
  app: Backfill;
  proc: Process;
  /** What the bot answers `user` in the test channel. */
  say(text: string, user?: User): Promise<string>;
  /** `user` clicks the right (or a wrong) answer of the channel's open question. */
  answer(user: User, right: boolean): Promise<string>;
  /** Stops it (a dead one too): timers, platform client, database connection. */
  stop(): Promise<void>;
}

export const alice: User = { id: 'U1', name: 'alice', isManager: true };
export const bob: User = { id: 'U2', name: 'bob', isManager: false };

export async function instance(db: Database, platform: Platform, knowledge: Knowledge, time: FakeTime, seed: number): Promise<Instance> {
  const proc = new Process(time);
  const store = await db.open();
  const app = createBackfill({ knowledge, store: proc.store(store), log: silentLogger, clock: time, timers: proc.timers, random: seededRandom(seed), answerSeconds: 20 });
  const disconnect = await platform.connect(app);
  return {
    app,
    proc,
    say: async (text, user = alice) => plainText(await app.bot.handleText(platform.address, user, text)),
    async answer(user, right) {
      const quiz = (await store.runningQuizzes()).find((q) => q.address === platform.address);
      const q = quiz && (await store.getQuestion(quiz.id, quiz.current));
      if (!quiz || !q) throw new Error('no open question');
      const choice = right ? q.correct : (q.correct + 1) % 4;
      return plainText(await app.bot.handle({ kind: 'action', address: platform.address, user, action: `quiz:${quiz.id}:${q.position}:${choice}` }));
    },
    async stop() {
      await app.daily.stop();
      // Its timers are cleared at once; a killed process's work under way never ends (its store calls never return), so only a live one is waited for.
      const shutdown = app.quizzes.shutdown();
      if (!proc.isDead) await shutdown;
      await disconnect();
      await store.close();
    },
  };
}
