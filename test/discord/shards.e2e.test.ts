import { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/discord.js';
import { ownsAddress } from '../../src/adapters/discord/shards.js';
import { createBackfill, type Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { plainText } from '../../src/core/reply.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { FakeTime } from '../helpers/time.js';
import { postgres, type Database } from '../reliability/harness.js';
import { FakeDiscord, type RecordedCall } from './fake-discord.js';
import { APPLICATION_ID, CHANNEL_B_ID, CHANNEL_ID, GUILD_B_ID, GUILD_ID, inGuild, shardOf, slashCommand } from './payloads.js';

const concept = (n: number): ConceptFixture => ({
  id: `kafka/c${n}`,
  title: `Kafka idea ${n}`,
  quiz: [{ question: `Which statement about Kafka idea ${n} holds?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
});
const knowledge = openKnowledge(writeKnowledge([1, 2, 3, 4].map(concept)));
const SUBCOMMAND = 1;
const STRING = 3;
const INTEGER = 4;
const A = { guild: GUILD_ID, channel: CHANNEL_ID, address: `discord:${GUILD_ID}:${CHANNEL_ID}` };
const B = { guild: GUILD_B_ID, channel: CHANNEL_B_ID, address: `discord:${GUILD_B_ID}:${CHANNEL_B_ID}` };
const manager = { id: '400000000000000002', name: 'mia', isManager: true };

const callbacks = (fake: FakeDiscord, interaction: { id: string; token: string }) => fake.calls.filter((c) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`);
const posts = (fake: FakeDiscord, channel: string) => fake.created.filter((m) => m.channelId === channel);
const settle = () => new Promise((r) => setTimeout(r, 250));

describe('which shard owns an address (a real discord.js Client, not connected)', () => {
  it('is the shard Discord sends the server’s events to, and shard 0 for DMs', () => {
    expect([shardOf(GUILD_ID, 2), shardOf(GUILD_B_ID, 2)]).toEqual([0, 1]);
    const second = new Client({ intents: [], shards: [1], shardCount: 2 });
    expect(ownsAddress(second, B.address)).toBe(true);
    expect(ownsAddress(second, A.address)).toBe(false);
    expect(ownsAddress(second, 'discord:@me:300000000000000009')).toBe(false);
    const first = new Client({ intents: [], shards: [0], shardCount: 2 });
    expect(ownsAddress(first, 'discord:@me:300000000000000009')).toBe(true);
    const alone = new Client({ intents: [] });
    expect([A.address, B.address, 'discord:@me:1'].every((a) => ownsAddress(alone, a))).toBe(true);
    expect(ownsAddress(alone, 'slack:T1:C1')).toBe(false);
  });
});

const database = postgres();

/** One bot process: a Backfill on the shared PostgreSQL database, and its Discord Client for some shards. */
interface ShardProcess {
  app: Backfill;
  discord: RunningDiscord;
}

describe.skipIf(database.skip)('two Discord shards, one process each, sharing PostgreSQL', () => {
  let fake: FakeDiscord;
  let db: Database;
  const time = new FakeTime('2026-06-01T08:00:00Z');
  const processes: ShardProcess[] = [];

  async function shardProcess(seed: number, shards: Record<string, string>): Promise<ShardProcess> {
    const app = createBackfill({ knowledge, store: await db.open(), log: silentLogger, clock: time, timers: time, random: seededRandom(seed) });
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl, DATABASE_URL: process.env.TEST_DATABASE_URL, ...shards });
    const running = { app, discord: await startDiscord(app, config, silentLogger, { deferAfterMs: 1000 }) };
    processes.push(running);
    return running;
  }

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ id: A.guild, channelId: A.channel }, { id: B.guild, channelId: B.channel }], shards: 2 });
    db = await database.fresh();
    await shardProcess(1, { DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '0' });
    await shardProcess(2, { DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '1' });
  });

  afterAll(async () => {
    for (const p of processes.reverse()) {
      await p.discord.stop();
      await p.app.close();
    }
    await fake?.close();
    await database.cleanUp();
  });

  it('both shards identify as theirs and become ready, each with its own servers', () => {
    expect([...fake.identified].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const [first, second] = processes;
    expect([...first!.discord.client.guilds.cache.keys()]).toEqual([A.guild]);
    expect([...second!.discord.client.guilds.cache.keys()]).toEqual([B.guild]);
    for (const p of processes) expect(p.discord.health()).toEqual({ ready: true, shards: { ready: 1, total: 1 } });
  });

  it('answers a command in a server of each shard once', async () => {
    for (const where of [A, B]) {
      const interaction = inGuild(slashCommand('explain', [{ name: 'query', type: STRING, value: 'kafka idea 2' }]), where.guild, where.channel);
      expect(fake.dispatch('INTERACTION_CREATE', interaction)).toBe(1);
      const { body } = await fake.waitForCall((c: RecordedCall) => callbacks(fake, interaction).includes(c));
      expect(body.data.embeds[0].title).toBe('Kafka idea 2');
      await settle();
      expect(callbacks(fake, interaction)).toHaveLength(1);
    }
  });

  it('runs a quiz on the shard of its server: its question is posted once', async () => {
    const start = inGuild(slashCommand('quiz', [{ name: 'start', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }, { name: 'count', type: INTEGER, value: 1 }] }]), B.guild, B.channel);
    fake.dispatch('INTERACTION_CREATE', start);
    await fake.waitForCall((c) => callbacks(fake, start).includes(c));
    await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${B.channel}/messages`);
    await settle();
    expect(posts(fake, B.channel)).toHaveLength(1);
    // The other shard's process finds the running quiz in the database but leaves it to its owner.
    expect(await processes[0]!.app.quizzes.resume()).toBe(0);
    expect(await processes[1]!.app.quizzes.resume()).toBe(1);
    await settle();
    expect(posts(fake, B.channel)).toHaveLength(1);
    await processes[1]!.app.bot.handle({ kind: 'command', address: B.address, user: manager, command: 'quiz', args: 'stop' });
  });

  it('sends each server’s daily post once, from the shard that has it, and once even when two processes both think they own it', async () => {
    const before = { a: posts(fake, A.channel).length, b: posts(fake, B.channel).length };
    for (const [p, where] of [
      [processes[0]!, A],
      [processes[1]!, B],
    ] as const) {
      const subscribed = await p.app.bot.handle({ kind: 'command', address: where.address, user: manager, command: 'daily', args: 'subscribe concept 09:00 UTC' });
      expect(plainText(subscribed)).toMatch(/concept/i);
    }
    expect(processes[0]!.app.messengers.canReach(A.address)).toBe(true);
    expect(processes[0]!.app.messengers.canReach(B.address)).toBe(false);
    expect(processes[1]!.app.messengers.canReach(B.address)).toBe(true);

    await time.advanceTo('2026-06-01T09:00:30Z');
    await Promise.all(processes.map((p) => p.app.daily.sweep()));
    expect(posts(fake, A.channel)).toHaveLength(before.a + 1);
    expect(posts(fake, B.channel)).toHaveLength(before.b + 1);

    // A rolling restart to one shard in all: the new process owns every server, the old ones still
    // own theirs. The database claims keep each post single.
    await shardProcess(3, {});
    expect(processes[2]!.app.messengers.canReach(A.address) && processes[2]!.app.messengers.canReach(B.address)).toBe(true);
    await time.advanceTo('2026-06-02T09:00:30Z');
    await Promise.all(processes.map((p) => p.app.daily.sweep()));
    expect(posts(fake, A.channel)).toHaveLength(before.a + 2);
    expect(posts(fake, B.channel)).toHaveLength(before.b + 2);
  });
});
