import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.js';
import { slackLanes } from '../../src/adapters/slack/lanes.js';
import { SlackMessenger } from '../../src/adapters/slack/messenger.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { silentLogger } from '../../src/core/log.js';
import { buttons, text } from '../../src/core/reply.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { LaneTime } from '../helpers/lane-time.js';
import { slackHarness, TEAM } from '../helpers/slack.js';

/**
 * Slack allows about one message a second per channel and answers faster posts with 429 and a
 * Retry-After. The fake Slack here enforces that pace on the same virtual clock as the bot's
 * channel lanes, so a minute of rate limits runs in milliseconds.
 */

type AnyBlock = Record<string, any>;
const textOf = (c: { params: Record<string, unknown> }) => String(c.params['text']);

describe('SlackMessenger against a Slack that enforces its pace', () => {
  let time: LaneTime;
  let fake: FakeSlack;
  let messenger: SlackMessenger;

  beforeAll(async () => {
    time = new LaneTime();
    fake = await new FakeSlack({ now: () => time.now() }).start();
    // As the app configures it: a 429 comes back at once, a few quick retries for network errors.
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    messenger = new SlackMessenger(client, slackLanes(silentLogger, time));
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => fake.reset());

  it('delivers a flood of 30 posts to one channel, all of them, once each, in order, without a 429', async () => {
    fake.paceChannels('chat.postMessage', { intervalMs: 1000 });
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => messenger.send('slack:T1:CFLOOD', { blocks: [text(`message ${i}`)] })));
    const accepted = fake.acceptedCallsOf('chat.postMessage');
    expect(accepted.map(textOf)).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i}`));
    expect(fake.rateLimitedCallsOf('chat.postMessage')).toEqual([]);
    expect(new Set(sent.map((p) => p.messageId)).size).toBe(30);
    const gaps = accepted.slice(1).map((c, i) => c.at! - accepted[i]!.at!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });

  it('waits out a longer Retry-After in place: nothing lost, nothing doubled, order kept', async () => {
    // Slack slower than the lanes expect: one post per 3 s, refusals ask for 3 s.
    fake.paceChannels('chat.postMessage', { intervalMs: 3000, retryAfterSeconds: 3 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => messenger.send('slack:T1:CSLOW', { blocks: [text(`slow ${i}`)] })));
    const calls = fake.callsOf('chat.postMessage');
    expect(fake.acceptedCallsOf('chat.postMessage').map(textOf)).toEqual(Array.from({ length: 8 }, (_, i) => `slow ${i}`));
    expect(fake.rateLimitedCallsOf('chat.postMessage').length).toBeGreaterThan(0);
    // After each 429 the next attempt came no sooner than the Retry-After.
    calls.forEach((c, i) => {
      if (c.status === 429 && calls[i + 1]) expect(calls[i + 1]!.at! - c.at!).toBeGreaterThanOrEqual(3000);
    });
  });

  it('keeps a rate-limited channel from holding up another channel', async () => {
    fake.fail('chat.postMessage', { retryAfterSeconds: 60 });
    const slow = messenger.send('slack:T1:CBUSY', { blocks: [text('busy')] });
    await fake.waitFor(() => fake.rateLimitedCallsOf('chat.postMessage').length === 1);
    await messenger.send('slack:T1:CQUIET', { blocks: [text('quiet')] });
    expect(fake.acceptedCallsOf('chat.postMessage').map(textOf)).toEqual(['quiet']);
    await slow;
    expect(fake.acceptedCallsOf('chat.postMessage').map(textOf)).toEqual(['quiet', 'busy']);
  });

  it('keeps an edit going through a Slack outage until it lands; later posts in the channel wait behind it', async () => {
    const posted = await messenger.send('slack:T1:COUT', { blocks: [text('question'), buttons([{ action: 'quiz:abc123:0:0', label: 'A' }])] });
    fake.fail('chat.update', { status: 503 }, 6);
    const edit = messenger.update(posted, { blocks: [text('revealed')] });
    const next = messenger.send('slack:T1:COUT', { blocks: [text('next question')] });
    await Promise.all([edit, next]);
    const updates = fake.callsOf('chat.update');
    expect(updates.map((c) => c.status ?? 200)).toEqual([503, 503, 503, 503, 503, 503, 200]);
    expect(fake.messagesIn('COUT').map((m) => m.text)).toEqual(['revealed', 'next question']);
    // The post came after the edit landed.
    expect(fake.callsOf('chat.postMessage').at(-1)!.at!).toBeGreaterThanOrEqual(updates.at(-1)!.at!);
  });

  it('gives up on an edit Slack refuses for good, and never repeats a post whose fate is unknown', async () => {
    fake.fail('chat.update', { error: 'message_not_found' });
    await expect(messenger.update({ address: 'slack:T1:CGONE', messageId: '1.2' }, { blocks: [text('x')] })).rejects.toMatchObject({ code: 'message_not_found', permanent: false });
    fake.fail('chat.postMessage', { status: 503 });
    const err = await messenger.send('slack:T1:CGONE', { blocks: [text('maybe')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ code: 'http_503' });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('a quiz in Slack when Slack says "slow down"', () => {
  const dir = writeKnowledge(
    ['a', 'b', 'c'].map((k) => ({
      id: `kafka/${k}`,
      title: `Concept ${k}`,
      quiz: [{ question: `Question about ${k}?`, answer: `right ${k}`, wrong: ['w1', 'w2', 'w3'], why: `Because ${k}.` }],
    })),
  );
  let slack: Awaited<ReturnType<typeof slackHarness>>;
  beforeAll(async () => {
    slack = await slackHarness(dir);
  });
  afterAll(async () => {
    await slack?.close();
  });
  afterEach(() => slack.fake.reset());

  const headerOf = (blocks: unknown) => (blocks as AnyBlock[]).find((b) => b.type === 'header')?.text.text as string;
  const answerButtons = (blocks: unknown) => (blocks as AnyBlock[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements).filter((e: AnyBlock) => String(e.value).startsWith('quiz:'));

  async function startQuiz(channel: string, count: number) {
    await slack.command('/quiz', `kafka ${count}`, `start-${channel}`, 'UALICE', channel);
    // The answer comes once the first question is posted and its window is running.
    expect((await slack.fake.firstResponseTo(`start-${channel}`)).body['text']).toContain(`Started a ${count}-question quiz`);
    return slack.fake.messagesIn(channel)[0]!;
  }

  it('reveals a question whose edit was refused with 429, then posts the next one', async () => {
    const first = await startQuiz('CQ1', 2);
    expect(answerButtons(first.blocks)).toHaveLength(4);
    slack.fake.fail('chat.update', { retryAfterSeconds: 5 });
    await slack.time.advance(20_000);
    await slack.fake.waitFor(() => slack.fake.messagesIn('CQ1').length === 2);

    const [question1, question2] = slack.fake.messagesIn('CQ1');
    // The reveal landed: question 1 shows the answer and has no answer buttons left.
    expect(JSON.stringify(question1!.blocks)).toContain('Answer: ');
    expect(answerButtons(question1!.blocks)).toEqual([]);
    expect(headerOf(question2!.blocks)).toMatch(/^Question 2 of 2/);
    const updates = slack.fake.callsOf('chat.update');
    expect(updates.map((c) => c.status ?? 200)).toEqual([429, 200]);
    expect(updates[1]!.at! - updates[0]!.at!).toBeGreaterThanOrEqual(5000);
    // In order: the reveal, then the next question.
    const question2Call = slack.fake.acceptedCallsOf('chat.postMessage').at(-1)!;
    expect(question2Call.at!).toBeGreaterThanOrEqual(updates[1]!.at!);
  });

  it('posts the next question after a 429 instead of ending the quiz', async () => {
    await startQuiz('CQ2', 2);
    slack.fake.fail('chat.postMessage', { retryAfterSeconds: 3 }, 2);
    await slack.time.advance(20_000);
    await slack.fake.waitFor(() => slack.fake.messagesIn('CQ2').length === 2);
    expect(headerOf(slack.fake.messagesIn('CQ2')[1]!.blocks)).toMatch(/^Question 2 of 2/);
    expect(slack.fake.rateLimitedCallsOf('chat.postMessage')).toHaveLength(2);
    const quiz = await slack.app.store.latestQuiz(`slack:${TEAM}:CQ2`, 'quiz');
    expect(quiz).toMatchObject({ state: 'running', current: 1 });
  });
});
