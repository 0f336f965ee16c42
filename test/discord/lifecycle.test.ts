import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionPostKey } from '../../src/quiz/engine.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { freePort, MainProcess } from '../helpers/spawn-main.js';
import { FakeDiscord, type RecordedCall } from './fake-discord.js';
import { APPLICATION_ID, BOT_USER, CHANNEL_B_ID, CHANNEL_ID, channelMessage, GUILD_B_ID, GUILD_ID, inGuild, slashCommand } from './payloads.js';

/** `npm start` with Discord, as a real process: its health endpoint, a graceful stop, and shard processes. */

const concept = (n: number): ConceptFixture => ({
  id: `kafka/c${n}`,
  title: `Kafka idea ${n}`,
  quiz: [{ question: `Which statement about Kafka idea ${n} holds?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
});
const dir = writeKnowledge([1, 2, 3].map(concept));
const SUBCOMMAND = 1;
const STRING = 3;
const INTEGER = 4;

interface Health {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function health(port: number): Promise<Health> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: res.status, body: await res.json() };
}

/** Polls the health endpoint until `done` holds. */
async function healthUntil(port: number, done: (h: Health) => boolean, timeoutMs = 20_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let last: Health | string = 'no answer';
  while (Date.now() < deadline) {
    last = await health(port).catch((err: unknown) => String(err));
    if (typeof last !== 'string' && done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`health never matched; last: ${JSON.stringify(last)}`);
}

const callbackOf = (interaction: { id: string; token: string }) => (c: RecordedCall) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`;
const quizStart = () => slashCommand('quiz', [{ name: 'start', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }, { name: 'count', type: INTEGER, value: 1 }] }]);
const explain = () => slashCommand('explain', [{ name: 'query', type: STRING, value: 'kafka idea 1' }]);
/** A post of the bot's own in the channel (not a reply to a mention). */
const isPostIn = (channel: string) => (m: { channelId: string; body: { message_reference?: unknown } }) => m.channelId === channel && !m.body.message_reference;
const isQuestionPost = (channel: string) => (c: RecordedCall) => c.method === 'POST' && c.path === `/channels/${channel}/messages` && /^Question 1 of 1/.test(c.body?.embeds?.[0]?.title);

describe('one Discord process', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake.close());

  const env = async (database: string) => ({ KNOWLEDGE_DIR: dir, SQLITE_PATH: database, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl, HEALTH_PORT: String(await freePort()) });

  it('says it is healthy once connected; on SIGTERM mid-post it finishes that post, once, refuses new work, and exits 0', async () => {
    const database = tempDatabase();
    const vars = await env(database);
    const port = Number(vars.HEALTH_PORT);
    const main = new MainProcess(vars);
    const ok = await healthUntil(port, (h) => h.status === 200);
    expect(ok.body).toEqual({ ok: true, status: 'ok', platform: 'discord', shards: { ready: 1, total: 1 }, uptime: expect.any(Number), platforms: { discord: { ready: true, shards: { ready: 1, total: 1 } } } });

    // The question reaches Discord, whose answer is slow: the stop is asked for in between.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => fake.holdNext(isQuestionPost(CHANNEL_ID), { deliver: true, onHeld: (send) => ((answer = send), resolve()) }));
    const start = quizStart();
    fake.dispatch('INTERACTION_CREATE', start);
    await held;
    main.kill('SIGTERM');
    await main.waitForLog(/stopping \(SIGTERM\)/);
    expect(await health(port)).toMatchObject({ status: 503, body: { status: 'stopping' } });
    const late = explain();
    fake.dispatch('INTERACTION_CREATE', late);
    expect((await fake.waitForCall(callbackOf(late))).body.data.content).toBe('Backfill is restarting; try again in a few seconds.');
    // A mention is told the same, in reply (once the channel's post ahead of it is answered: discord.js
    // sends one request per route at a time); a message that does not mention the bot gets nothing.
    const chatter = channelMessage('talking among ourselves');
    fake.dispatch('MESSAGE_CREATE', chatter);
    const mention = channelMessage(`<@${BOT_USER.id}> explain kafka idea 1`, [BOT_USER]);
    fake.dispatch('MESSAGE_CREATE', mention);
    await new Promise((r) => setTimeout(r, 200));
    answer();
    const told = await fake.waitForCall((c) => c.method === 'POST' && c.body?.message_reference?.message_id === mention.id);
    expect(told.body.content).toBe('Backfill is restarting; try again in a few seconds.');
    expect(fake.calls.filter((c) => c.body?.message_reference?.message_id === chatter.id)).toHaveLength(0);

    const { code, ms } = await main.exited;
    expect(code, main.stderr).toBe(0);
    expect(ms).toBeLessThan(15_000);
    expect(main.stderr).toMatch(/stopped in \d+ ms/);
    const posted = fake.created.filter(isPostIn(CHANNEL_ID));
    expect(posted).toHaveLength(1);
    expect((await fake.waitForCall(callbackOf(start))).body.data.content).toContain('Started a 1-question quiz');
    // The database knows it went out, and the question is open.
    const store = new SqliteStore(database);
    const quiz = (await store.runningQuizzes())[0]!;
    expect(await store.getOutbox(questionPostKey(quiz.id, 0))).toMatchObject({ state: 'sent', messageId: posted[0]!.id });
    expect((await store.getQuestion(quiz.id, 0))!.openedAt).not.toBeNull();
    await store.close();

    // Started again on the same database: the quiz goes on from its stored deadline, nothing is posted again.
    const again = new MainProcess({ ...vars, HEALTH_PORT: String(await freePort()) });
    await again.waitForLog(/Discord started/);
    await new Promise((r) => setTimeout(r, 500));
    again.kill('SIGTERM');
    expect((await again.exited).code, again.stderr).toBe(0);
    expect(fake.created.filter(isPostIn(CHANNEL_ID))).toHaveLength(1);
  });

  it('cuts off a post that never gets an answer at its deadline, closes the database, and exits 1 within 10 s saying so', async () => {
    const database = tempDatabase();
    const vars = await env(database);
    const main = new MainProcess(vars);
    await healthUntil(Number(vars.HEALTH_PORT), (h) => h.status === 200);
    const held = new Promise<void>((resolve) => fake.holdNext(isQuestionPost(CHANNEL_ID), { deliver: false, onHeld: () => resolve() }));
    fake.dispatch('INTERACTION_CREATE', quizStart());
    await held;
    const killedAt = Date.now();
    main.kill('SIGTERM');
    const { code } = await main.exited;
    const stopMs = Date.now() - killedAt;
    expect(code, main.stderr).toBe(1);
    // One deadline for every step: 9 s for the post, then the gateway and the database close, before the 10 s bound.
    expect(stopMs).toBeGreaterThan(8_500);
    expect(stopMs).toBeLessThan(10_000);
    expect(main.stderr).toContain('1 post(s) still being sent were cut off; the next start settles them');
    expect(main.stderr).not.toContain('still stopping after 10 s');
    expect(main.stderr).toMatch(/stopped in \d+ ms/);
    // The database was closed cleanly: the post is still `sending`, for the next start to settle.
    const store = new SqliteStore(database);
    const quiz = (await store.runningQuizzes())[0]!;
    expect(await store.getOutbox(questionPostKey(quiz.id, 0))).toMatchObject({ state: 'sending' });
    await store.close();
  });

  it('runs the one shard Discord recommends for DISCORD_SHARD_COUNT=auto in its own process, on the SQLite file', async () => {
    const vars = await env(tempDatabase());
    const main = new MainProcess({ ...vars, DISCORD_SHARD_COUNT: 'auto' });
    const ok = await healthUntil(Number(vars.HEALTH_PORT), (h) => h.status === 200);
    expect(ok.body).toMatchObject({ ok: true, platform: 'discord', shards: { ready: 1, total: 1 } });
    expect(main.stderr).toContain('discord: Discord recommends one shard: running it in this process');
    // No shard process: nothing else opens the database.
    expect(readFileSync(`/proc/${main.pid}/task/${main.pid}/children`, 'utf8').trim()).toBe('');
    const interaction = explain();
    fake.dispatch('INTERACTION_CREATE', interaction);
    expect((await fake.waitForCall(callbackOf(interaction))).body.data.embeds[0].title).toBe('Kafka idea 1');
    main.kill('SIGTERM');
    expect((await main.exited).code, main.stderr).toBe(0);
  });
});

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

describe.skipIf(!TEST_DATABASE_URL)('Discord shards as processes (DISCORD_SHARD_COUNT=auto, PostgreSQL)', () => {
  let fake: FakeDiscord;
  let admin: pg.Pool;
  const schema = `backfill_shards_${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ id: GUILD_ID, channelId: CHANNEL_ID }, { id: GUILD_B_ID, channelId: CHANNEL_B_ID }], shards: 2, maxConcurrency: 16 });
    admin = new pg.Pool({ connectionString: TEST_DATABASE_URL });
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await fake.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('runs a process per shard as Discord recommends; each answers its own servers once; SIGTERM stops them all and exits 0', async () => {
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const port = await freePort();
    const main = new MainProcess({ KNOWLEDGE_DIR: dir, DATABASE_URL: url.toString(), DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl, DISCORD_SHARD_COUNT: 'auto', HEALTH_PORT: String(port) });
    const ready = await healthUntil(port, (h) => h.status === 200, 25_000);
    expect(ready.body).toMatchObject({ status: 'ok', platform: 'discord', shards: { ready: 2, total: 2 } });
    expect([...fake.identified].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(main.stderr).toMatch(/starting 2 shard process\(es\) \(as Discord recommends\)/);

    for (const [guild, channel] of [
      [GUILD_ID, CHANNEL_ID],
      [GUILD_B_ID, CHANNEL_B_ID],
    ] as const) {
      const interaction = inGuild(explain(), guild, channel);
      expect(fake.dispatch('INTERACTION_CREATE', interaction)).toBe(1);
      expect((await fake.waitForCall(callbackOf(interaction), 10_000)).body.data.embeds[0].title).toBe('Kafka idea 1');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls.filter((c) => /^\/interactions\/.*\/callback$/.test(c.path))).toHaveLength(2);

    // A shard process that dies is started again; meanwhile the health endpoint says one is missing.
    const children = readFileSync(`/proc/${main.pid}/task/${main.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(children).toHaveLength(2);
    process.kill(children[1]!, 'SIGKILL');
    expect((await healthUntil(port, (h) => h.status === 503, 10_000)).body).toMatchObject({ status: 'disconnected', shards: { ready: 1, total: 2 } });
    await healthUntil(port, (h) => h.status === 200 && h.body.shards.ready === 2, 25_000);
    expect(main.stderr).toMatch(/shard [01]'s process ended \(killed by SIGKILL\); starting it again/);

    main.kill('SIGTERM');
    const { code } = await main.exited;
    expect(code, main.stderr).toBe(0);
    expect(fake.connections).toBe(0);
    expect(main.stderr.match(/stopped in \d+ ms/g)).toHaveLength(3);
    expect(main.stderr).not.toMatch(/ERROR/);
  });
});
