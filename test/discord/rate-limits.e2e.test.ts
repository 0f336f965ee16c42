import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/discord.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { buttons, reply, text } from '../../src/core/reply.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { LaneTime } from '../helpers/lane-time.js';
import type { FakeTime } from '../helpers/time.js';
import { FakeDiscord, rateLimited, type RecordedCall } from './fake-discord.js';
import { APPLICATION_ID, CHANNEL_ID, GUILD_ID, slashCommand } from './payloads.js';

/**
 * Discord limits message creation per channel (a bucket announced in X-RateLimit headers) and
 * answers 429 with a Retry-After. discord.js's REST paces each bucket and waits out 429s itself;
 * these tests hold the whole path to what people see: every message, once, in order.
 */

const knowledgeDir = writeKnowledge(
  ['a', 'b', 'c'].map((k) => ({
    id: `kafka/${k}`,
    title: `Concept ${k}`,
    quiz: [{ question: `Question about ${k}?`, answer: `right ${k}`, wrong: ['w1', 'w2', 'w3'], why: `Because ${k}.` }],
  })),
);
const address = `discord:${GUILD_ID}:${CHANNEL_ID}`;
const MESSAGES = /^\/channels\/\d+\/messages$/;
const EDITS = /^\/channels\/\d+\/messages\/\d+$/;

let fake: FakeDiscord;
let app: Backfill;
let time: FakeTime;
let discord: RunningDiscord;
const laneTime = new LaneTime();

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ app, time } = testApp(knowledgeDir));
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
  discord = await startDiscord(app, config, silentLogger, { laneTiming: laneTime });
});
afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await app?.close();
});
afterEach(() => {
  fake.limitMessages(undefined);
  fake.clearFailures();
});

const isPost = (c: RecordedCall) => c.method === 'POST' && MESSAGES.test(c.path);
const isEdit = (c: RecordedCall) => c.method === 'PATCH' && EDITS.test(c.path);

describe('Discord rate limits', () => {
  it('delivers a flood of 25 posts to one channel: all of them, once each, in order', async () => {
    fake.limitMessages({ limit: 5, windowMs: 250 });
    const before = fake.calls.length;
    const sent = await Promise.all(Array.from({ length: 25 }, (_, i) => app.messengers.send(address, reply([text(`flood ${i}`)]))));
    const accepted = fake.calls.slice(before).filter((c) => isPost(c) && c.status === 200);
    expect(accepted.map((c) => c.body.content)).toEqual(Array.from({ length: 25 }, (_, i) => `flood ${i}`));
    expect(new Set(sent.map((p) => p.messageId)).size).toBe(25);
    // Never more than the bucket allows in any window: the fake would have refused the rest.
    expect(fake.refused.filter((c) => c.at >= fake.calls[before]!.at).length).toBeLessThanOrEqual(5);
  });

  it('keeps a channel in order across routes: a rate-limited edit is not overtaken by the next post', async () => {
    const first = await app.messengers.send(address, reply([text('question one'), buttons([{ action: 'quiz:aaaaaa:0:0', label: 'A' }])]));
    fake.failNext(rateLimited('PATCH', EDITS, 0.3));
    const before = fake.calls.length;
    await Promise.all([app.messengers.update(first, reply([text('question one, revealed')])), app.messengers.send(address, reply([text('question two')]))]);
    const landed = fake.calls.slice(before).filter((c) => c.status === 200 && (isPost(c) || isEdit(c)));
    expect(landed.map((c) => `${c.method} ${c.body.content}`)).toEqual(['PATCH question one, revealed', 'POST question two']);
    expect(fake.calls.slice(before).filter((c) => c.status === 429)).toHaveLength(1);
  });

  it('keeps an edit going through a Discord outage until it lands', async () => {
    const posted = await app.messengers.send(address, reply([text('before the outage')]));
    // discord.js tries 4 times per call; three calls' worth of 503s.
    fake.failNext({ method: 'PATCH', path: EDITS, status: 503, body: { code: 0, message: 'Service Unavailable' }, times: 12 });
    const before = fake.calls.length;
    await app.messengers.update(posted, reply([text('after the outage')]));
    const edits = fake.calls.slice(before).filter(isEdit);
    expect(edits.map((c) => c.status)).toEqual([...Array<number>(12).fill(503), 200]);
    expect(edits.at(-1)!.body.content).toBe('after the outage');
  });
});

describe('a quiz on Discord when Discord says "slow down"', () => {
  async function startQuiz(count: number): Promise<RecordedCall> {
    const before = fake.calls.length;
    const start = slashCommand('quiz', [{ name: 'start', type: 1, options: [{ name: 'topics', type: 3, value: 'kafka' }, { name: 'count', type: 4, value: count }] }]);
    fake.dispatch('INTERACTION_CREATE', start);
    const started = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/interactions/${start.id}/${start.token}/callback`);
    expect(started.body.data.content).toContain(`Started a ${count}-question quiz`);
    return fake.calls.slice(before).find((c) => isPost(c) && /^Question 1 of/.test(c.body.embeds?.[0]?.title))!;
  }

  it('reveals a question whose edit got a 429, then posts the next one', async () => {
    const question1 = await startQuiz(2);
    const quiz = (await app.store.latestQuiz(address, 'quiz'))!;
    const q1 = (await app.store.getQuestion(quiz.id, 0))!;
    fake.failNext(rateLimited('PATCH', EDITS, 0.3));
    const before = fake.calls.length;
    await time.advance(20_000);
    const question2 = await fake.waitForCall((c) => fake.calls.indexOf(c) >= before && isPost(c) && /^Question 2 of 2/.test(c.body.embeds?.[0]?.title));
    const reveals = fake.calls.slice(before).filter((c) => isEdit(c) && c.path.endsWith(`/${q1.messageId}`));
    expect(reveals.map((c) => c.status)).toEqual([429, 200]);
    expect(reveals[1]!.body.embeds[0].description).toContain('**Answer: ');
    expect(reveals[1]!.body.components.flatMap((r: { components: Array<{ custom_id: string }> }) => r.components.map((b) => b.custom_id)).some((id: string) => id.startsWith('quiz:'))).toBe(false);
    expect(reveals[1]!.at).toBeLessThanOrEqual(question2.at);
    expect(question1.body.embeds[0].title).toMatch(/^Question 1 of 2/);
    await app.quizzes.stop(address, { id: 'admin', name: 'Admin', isManager: true });
  });

  it('posts the next question after a 429 instead of ending the quiz', async () => {
    await startQuiz(2);
    fake.failNext(rateLimited('POST', MESSAGES, 0.3));
    const before = fake.calls.length;
    await time.advance(20_000);
    await fake.waitForCall((c) => fake.calls.indexOf(c) >= before && isPost(c) && c.status === 200 && /^Question 2 of 2/.test(c.body.embeds?.[0]?.title));
    expect(fake.calls.slice(before).filter((c) => isPost(c) && c.status === 429)).toHaveLength(1);
    expect(await app.store.latestQuiz(address, 'quiz')).toMatchObject({ state: 'running', current: 1 });
    await app.quizzes.stop(address, { id: 'admin', name: 'Admin', isManager: true });
  });
});
