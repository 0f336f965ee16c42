import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_BOT, FakeSlack, slackSignature, slashCommandForm } from '../slack/fake-slack.js';
import { startSlack } from '../../src/adapters/slack/slack.js';
import { createBackfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import type { StoreCall } from '../helpers/crash.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { LaneTime } from '../helpers/lane-time.js';
import { FakeTime } from '../helpers/time.js';
import { alice, bob, discord, instance, postgres, slack, sqliteFile, type DatabaseKind, type Instance, type PlatformKind } from './harness.js';

const concept = (n: number): ConceptFixture => ({
  id: `kafka/c${n}`,
  title: `Kafka idea ${n}`,
  summary: `What Kafka idea number ${n} is about, in one sentence for the card.`,
  quiz: [{ question: `Which statement about Kafka idea ${n} holds?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
});
const knowledgeDir = writeKnowledge([1, 2, 3, 4, 5].map(concept));
const knowledge = openKnowledge(knowledgeDir);

const DATABASES: DatabaseKind[] = [sqliteFile, postgres()];
const PLATFORMS: PlatformKind[] = [slack, discord];
const firstQuestion = { key: /^quiz:[0-9a-f]{12}:0$/, title: /^Question 1 of 2/ };
const claimed = (c: StoreCall) => c.method === 'claimOutbox' && firstQuestion.key.test(String(c.args[0])) && c.result === true;
const titles = (seen: Array<{ title: string }>) => seen.map((m) => m.title.replace(/ · .*/, ''));

describe.each(DATABASES)('$name: two bot processes on one database', (database) => {
  afterAll(() => database.cleanUp());

  describe.each(PLATFORMS)('$name', (platformKind) => {
    it.skipIf(database.skip)('a process that starts while another sends a question leaves it to that one: each post goes out once', async () => {
      const time = new FakeTime('2026-06-01T08:59:00Z');
      const platform = await platformKind.start(time);
      const db = await database.fresh();
      const running: Instance[] = [];
      try {
        const a = await instance(db, platform, knowledge, time, 1);
        running.push(a);
        const { paused, resume } = a.proc.pauseAt({ after: claimed });
        const started = a.say('/quiz kafka 2');
        await paused;
        // The second process starts now: the quiz is running and its first question has no message yet.
        const b = await instance(db, platform, knowledge, time, 2);
        running.push(b);
        await b.app.resume();
        expect(platform.messages()).toEqual([]);
        resume();
        expect(await started).toContain('Started a 2-question quiz');
        await b.answer(bob, true);
        for (let i = 0; i < 6; i++) await time.advance(20_000);
        expect(titles(platform.messages())).toEqual(['Question 1 of 2', 'Question 2 of 2', 'Quiz over']);
        expect(platform.messages()[2]?.text).toMatch(/1\. bob: 150 pts/);
      } finally {
        for (const one of running.reverse()) await one.stop();
        await platform.close();
      }
    });

    it.skipIf(database.skip)('a slow platform call keeps its sender’s hold: another process waits instead of sending again', async () => {
      const time = new FakeTime('2026-06-01T08:59:00Z');
      const platform = await platformKind.start(time);
      const db = await database.fresh();
      const running: Instance[] = [];
      try {
        const a = await instance(db, platform, knowledge, time, 1);
        running.push(a);
        let answer: () => void = () => undefined;
        const held = new Promise<void>((resolve) => platform.hold(firstQuestion, true, (send) => ((answer = send), resolve())));
        const started = a.say('/quiz kafka 2');
        await held;
        const b = await instance(db, platform, knowledge, time, 2);
        running.push(b);
        await b.app.resume();
        // Two minutes without an answer: the sender renews its hold, so the other process keeps waiting.
        for (let i = 0; i < 12; i++) {
          await time.advance(10_000);
          await b.app.daily.sweep();
        }
        expect(titles(platform.messages())).toEqual(['Question 1 of 2']);
        answer();
        expect(await started).toContain('Started a 2-question quiz');
        for (let i = 0; i < 6; i++) await time.advance(20_000);
        expect(titles(platform.messages())).toEqual(['Question 1 of 2', 'Question 2 of 2', 'Quiz over']);
      } finally {
        for (const one of running.reverse()) await one.stop();
        await platform.close();
      }
    });

    it.skipIf(database.skip)('two schedulers post the day’s concept and quiz once, and a process without the platform leaves them alone', async () => {
      const time = new FakeTime('2026-06-01T08:59:00Z');
      const platform = await platformKind.start(time);
      const db = await database.fresh();
      const running: Instance[] = [];
      try {
        const a = await instance(db, platform, knowledge, time, 1);
        const b = await instance(db, platform, knowledge, time, 2);
        running.push(a, b);
        // A third process for another platform only, on the same database (a Slack and a Discord process).
        const other = createBackfill({ knowledge, store: await db.open(), log: silentLogger, clock: time, timers: time, random: seededRandom(3) });
        other.messengers.register(platform.name === 'Slack' ? 'discord' : 'slack', { send: () => Promise.reject(new Error('not this platform')), update: async () => undefined });
        running.push({ app: other, stop: () => other.close() } as Instance);
        expect(await a.say('/daily subscribe both 09:00 UTC')).toContain('Subscribed');
        await time.advanceTo('2026-06-01T09:00:00Z');
        await Promise.all([a.app.daily.sweep(), b.app.daily.sweep(), other.daily.sweep(), a.app.daily.run(platform.address), b.app.daily.run(platform.address), other.quizzes.resume()]);
        for (let i = 0; i < 3; i++) {
          await time.advance(60_000);
          await Promise.all([a.app.daily.sweep(), b.app.daily.sweep(), other.daily.sweep()]);
        }
        expect(platform.messages().map((m) => m.text)).toEqual([expect.stringContaining('Concept of the day'), expect.stringContaining('Quiz of the day')]);
        expect((await a.app.store.postsOf(platform.address)).map((p) => [p.kind, p.status])).toEqual([
          ['concept', 'posted'],
          ['quiz', 'posted'],
        ]);
      } finally {
        for (const one of running.reverse()) await one.stop();
        await platform.close();
      }
    });
  });

  it.skipIf(database.skip)('five /quiz commands at once in one channel, through two Slack receivers, start one quiz', async () => {
    const time = new FakeTime('2026-06-01T08:59:00Z');
    const fake = await new FakeSlack({ now: () => time.now().getTime() }).start();
    fake.addUser({ id: 'UALICE', display_name: 'Alice' }).addUser({ id: 'UBOB', display_name: 'Bob' });
    const config = { ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' }), PORT: 0 };
    const db = await database.fresh();
    const processes = await Promise.all(
      [1, 2].map(async (seed) => {
        const app = createBackfill({ knowledge, store: await db.open(), log: silentLogger, clock: time, timers: time, random: seededRandom(seed) });
        const receiver = await startSlack(app, config, silentLogger, { host: '127.0.0.1', laneTiming: new LaneTime() });
        return { app, receiver };
      }),
    );
    try {
      const command = (i: number) => {
        const body = slashCommandForm({ command: '/quiz', text: 'kafka 2', responseUrl: fake.responseUrl(`r${i}`), teamId: FAKE_BOT.teamId, channelId: 'CRACE', userId: i % 2 ? 'UALICE' : 'UBOB', triggerId: `${i}.1.race` });
        const headers = { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature('secret', body) };
        return fetch(`${processes[i % 2]!.receiver.url}/slack/events`, { method: 'POST', headers, body });
      };
      const acks = await Promise.all([0, 1, 2, 3, 4].map(command));
      expect(acks.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const answers = await fake.waitFor(() => {
        const all = [0, 1, 2, 3, 4].map((i) => fake.responsesTo(`r${i}`)[0]?.body['text']);
        return all.every(Boolean) && (all as string[]);
      });
      expect(answers.filter((t) => t.includes('Started a 2-question quiz'))).toHaveLength(1);
      expect(answers.filter((t) => t.includes('A quiz is already running here (question 1 of 2)'))).toHaveLength(4);
      expect((await processes[0]!.app.store.runningQuizzes()).map((q) => q.address)).toEqual([`slack:${FAKE_BOT.teamId}:CRACE`]);
      expect(fake.messagesIn('CRACE').map((m) => String(m.text).split('\n')[0])).toEqual([expect.stringMatching(/^Question 1 of 2/)]);
    } finally {
      for (const { app, receiver } of processes) {
        await receiver.stop();
        await app.close();
      }
      await fake.close();
    }
  });
});

describe('one process', () => {
  it('keeps results to itself until the reveal: leaderboard and review change only then', async () => {
    const time = new FakeTime('2026-06-01T08:59:00Z');
    const platform = await slack.start(time);
    const a = await instance(await sqliteFile.fresh(), platform, knowledge, time, 1);
    try {
      await a.say('/quiz kafka 2');
      await a.answer(alice, true);
      await a.answer(bob, false);
      // The question is open: nothing of it shows yet.
      expect(await a.say('/leaderboard')).toContain('No counted quiz answers in this channel');
      expect(await a.say('/quiz review', bob)).toBe('Nothing to review yet: your answer is revealed when the question closes.');
      await time.advance(20_000);
      expect(await a.say('/leaderboard')).toContain('1. **alice**: 150 pts · 100% right (1/1)');
      expect(await a.say('/leaderboard')).toContain('2. **bob**: 0 pts · 0% right (0/1)');
      const review = await a.say('/quiz review', bob);
      expect(review).toContain('Your review: 1 to look at');
      expect(review).toMatch(/You: [A-D]\. wrong/);
      // Question 2 is open: alice's answer to it changes nothing until it closes.
      await a.answer(alice, false);
      expect(await a.say('/quiz review')).toBe('All 1 of your answers were right. Nothing to review! Your answer to the open question is revealed when it closes.');
      expect(await a.say('/leaderboard')).toContain('1. **alice**: 150 pts · 100% right (1/1)');
    } finally {
      await a.stop();
      await platform.close();
    }
  });
});
