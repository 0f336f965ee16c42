import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_BOT } from './fake-slack.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { text } from '../../src/core/reply.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { slackHarness, TEAM } from '../helpers/slack.js';

type AnyBlock = Record<string, any>;

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], related: ['kafka/isr'], example: 'acks=all' },
  { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['isr'] },
  { id: 'kafka/partition', title: 'Partition', aliases: ['topic partition'] },
  { id: 'kafka/offset', title: 'Consumer offset', aliases: ['offset'] },
  { id: 'spark/rdd', title: 'RDD', aliases: ['resilient distributed dataset'] },
]);

let slack: Awaited<ReturnType<typeof slackHarness>>;

beforeAll(async () => {
  slack = await slackHarness(dir);
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

const header = (blocks: AnyBlock[]) => blocks.find((b) => b.type === 'header')?.text.text;
const buttonsOf = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

describe('Slack over HTTP: requests signed as Slack signs them', () => {
  it('answers the url_verification challenge and the health check', async () => {
    const res = await slack.send(JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'c-123' });
    const health = await fetch(`${slack.base}/health`);
    expect(health.status).toBe(200);
    // The health endpoint's report, for Slack alone; `ok` as before.
    expect(await health.json()).toEqual({ ok: true, status: 'ok', platform: 'slack', uptime: expect.any(Number), platforms: { slack: { ready: true } } });
  });

  it('acks /explain at once and answers privately through response_url with the card and a share button', async () => {
    slack.fake.slowDown('users.info', 150);
    const ack = await slack.command('/explain', 'kafka acks', 'explain-1');
    expect(ack).toEqual({ status: 200, body: '' });
    // The ack came back before the work was done.
    expect(slack.fake.responsesTo('explain-1')).toHaveLength(0);
    const answer = await slack.fake.firstResponseTo('explain-1');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const blocks = answer.body['blocks'] as AnyBlock[];
    expect(header(blocks)).toBe('Producer acks');
    expect(buttonsOf(blocks).map((b) => b.value)).toEqual(['explain:kafka/isr', 'share:kafka/acks', 'notmeant:kafka/acks:kafka acks', 'knew:kafka/acks', 'again:kafka/acks', 'report:kafka/acks']);
    expect(answer.body['text']).toContain('Producer acks');
    expect(slack.fake.callsOf('users.info')[0]?.params).toMatchObject({ user: 'UALICE' });
  });

  it('routes /backfill to help, or to the command it names', async () => {
    await slack.command('/backfill', '', 'help-1');
    await slack.command('/backfill', 'explain isr', 'help-2');
    const help = await slack.fake.firstResponseTo('help-1');
    expect(header(help.body['blocks'] as AnyBlock[])).toContain('Backfill');
    const card = await slack.fake.firstResponseTo('help-2');
    expect(header(card.body['blocks'] as AnyBlock[])).toBe('In-sync replicas');
  });

  it('reads slash command words with the one parser: any order, refusals by name, who manages here', async () => {
    await slack.command('/quiz', 'kafak 3', 'parse-1');
    expect((await slack.fake.firstResponseTo('parse-1')).body['text']).toContain('Unknown topic “kafak”. Did you mean “kafka”?');
    await slack.command('/daily', 'subscribe kafka 08:00 CET', 'parse-2');
    const refused = String((await slack.fake.firstResponseTo('parse-2')).body['text']);
    expect(refused).toContain('Only channel managers can change daily posts.');
    expect(refused).toContain('workspace admins and owners, and the members listed in SLACK_ADMIN_USERS');
    await slack.command('/daily', 'subscribe kafka 08:00 CET mon-fri', 'parse-3', 'UADMIN');
    expect((await slack.fake.firstResponseTo('parse-3')).body['text']).toMatch(/Subscribed: this channel gets a concept and a quiz question at 08:00 \(Europe\/\w+\), Monday to Friday, from Apache Kafka/);
    await slack.command('/backfill', 'help quiz', 'parse-4');
    expect(JSON.stringify((await slack.fake.firstResponseTo('parse-4')).body['blocks'])).toContain('/quiz [topics] [count] [answer time]');
  });

  it('never echoes a mention from the user as live syntax', async () => {
    await slack.command('/explain', '<!channel> <@U999> how do I bake bread & cake', 'escape-1');
    const answer = await slack.fake.firstResponseTo('escape-1');
    const json = JSON.stringify(answer.body);
    expect(json).toContain('I have no card that matches');
    expect(json).not.toMatch(/<[!@]/);
  });

  it('shares a card in the channel through the click\'s response_url, named after the clicker', async () => {
    const res = await slack.click({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' }, 'share-1', { ephemeral: true });
    expect(res.status).toBe(200);
    const shared = await slack.fake.firstResponseTo('share-1');
    expect(shared.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const blocks = shared.body['blocks'] as AnyBlock[];
    expect(header(blocks)).toBe('Producer acks');
    expect(JSON.stringify(blocks)).toContain('Shared by Alice');
    expect(buttonsOf(blocks).map((b) => b.value)).not.toContain('share:kafka/acks');
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('answers a related-card click privately, without replacing the original', async () => {
    await slack.click({ action_id: '0:explain:kafka/isr', value: 'explain:kafka/isr' }, 'related-1', { ephemeral: true });
    const answer = await slack.fake.firstResponseTo('related-1');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(header(answer.body['blocks'] as AnyBlock[])).toBe('In-sync replicas');
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('shares in a private channel the bot never joined, where chat.postMessage would be refused', async () => {
    slack.fake.fail('chat.postMessage', { error: 'not_in_channel' });
    await slack.click({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' }, 'share-2', { channel: 'CPRIVATE', ephemeral: true });
    const answer = await slack.fake.firstResponseTo('share-2');
    expect(answer.body).toMatchObject({ response_type: 'in_channel' });
    expect(header(answer.body['blocks'] as AnyBlock[])).toBe('Producer acks');
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('answers an @mention in its thread, privately when the answer is private', async () => {
    const res = await slack.event({ type: 'app_mention', user: 'UALICE', text: `<@${FAKE_BOT.userId}> explain kafka acks`, channel: 'CGENERAL', thread_ts: '1700000000.000042' });
    expect(res.status).toBe(200);
    const sent = await slack.fake.firstCallOf('chat.postEphemeral');
    expect(sent.params).toMatchObject({ channel: 'CGENERAL', user: 'UALICE', thread_ts: '1700000000.000042' });
    expect(header(sent.params['blocks'] as AnyBlock[])).toBe('Producer acks');
  });

  it('answers a direct message in the DM, and ignores bot posts and edits there', async () => {
    await slack.event({ type: 'message', channel_type: 'im', channel: 'DALICE', user: 'UALICE', text: 'what are acks?' });
    const sent = await slack.fake.firstCallOf('chat.postMessage');
    expect(sent.params).toMatchObject({ channel: 'DALICE' });
    expect(header(sent.params['blocks'] as AnyBlock[])).toBe('Producer acks');

    await slack.event({ type: 'message', channel_type: 'im', channel: 'DALICE', user: 'UOTHERBOT', bot_id: 'BOTHER', text: 'acks' });
    await slack.event({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: 'DALICE', hidden: true });
    await slack.event({ type: 'message', channel_type: 'im', channel: 'DALICE', user: 'UALICE', text: 'isr' });
    await slack.fake.waitFor(() => slack.fake.callsOf('chat.postMessage').length > 1);
    const posts = slack.fake.callsOf('chat.postMessage').map((c) => header(c.params['blocks'] as AnyBlock[]));
    expect(posts).toEqual(['Producer acks', 'In-sync replicas']);
  });

  it('posts and edits through the messenger registry, with Slack errors as DeliveryErrors', async () => {
    const posted = await slack.app.messengers.send(`slack:${TEAM}:CQUIZ`, { blocks: [text('Question 1')] });
    expect(posted).toEqual({ address: `slack:${TEAM}:CQUIZ`, messageId: expect.stringMatching(/^\d+\.\d+$/) });
    await slack.app.messengers.update(posted, { blocks: [text('Revealed')] });
    expect(slack.fake.callsOf('chat.update')[0]?.params).toMatchObject({ channel: 'CQUIZ', ts: posted.messageId });

    slack.fake.fail('chat.postMessage', { error: 'is_archived' });
    const failure = await slack.app.messengers.send(`slack:${TEAM}:COLD`, { blocks: [text('x')] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ code: 'is_archived', permanent: true });
  });
});

describe('Slack over HTTP: a quiz played with buttons', () => {
  it('posts the question, answers a click privately, and reveals by editing the question', async () => {
    await slack.command('/quiz', 'kafka 1', 'quiz-1');
    const started = await slack.fake.firstResponseTo('quiz-1');
    expect(started.body).toMatchObject({ response_type: 'ephemeral' });
    expect(started.body['text']).toContain('Started a 1-question quiz');

    const question = await slack.fake.firstCallOf('chat.postMessage');
    const answers = buttonsOf(question.params['blocks'] as AnyBlock[]);
    expect(answers).toHaveLength(4);
    const questionTs = String(question.response?.['ts']);

    await slack.click({ action_id: answers[0].action_id, value: answers[0].value }, 'answer-1', { messageTs: questionTs });
    const lockedIn = await slack.fake.firstResponseTo('answer-1');
    expect(lockedIn.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(lockedIn.body['text']).toLowerCase()).toContain('locked in');

    await slack.time.advance(20_000);
    const reveal = await slack.fake.firstCallOf('chat.update');
    expect(reveal.params).toMatchObject({ channel: 'CGENERAL', ts: questionTs });
    expect(buttonsOf(reveal.params['blocks'] as AnyBlock[]).map((b) => b.value)).toEqual([expect.stringMatching(/^explain:kafka\//), expect.stringMatching(/^report:kafka\/[a-z]+#(\d+|which)$/)]);
  });
});

describe('Slack over HTTP: forged and replayed requests', () => {
  async function expectNothingChanged(): Promise<void> {
    // A good request after the bad one: once its answer is in, the bad one has left no trace.
    await slack.command('/explain', 'isr', 'good-after-bad');
    await slack.fake.firstResponseTo('good-after-bad');
    expect(slack.fake.responses.map((r) => r.id)).toEqual(['good-after-bad']);
    expect(slack.fake.calls.every((c) => c.method === 'users.info')).toBe(true);
  }

  it('refuses a bad signature with 401', async () => {
    const res = await slack.command('/explain', 'kafka acks', 'forged', 'UALICE', 'CGENERAL', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('refuses a correctly signed request older than five minutes with 401', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await slack.command('/explain', 'kafka acks', 'replayed', 'UALICE', 'CGENERAL', { timestamp: sixMinutesAgo });
    expect(res.status).toBe(401);
    const event = await slack.send(JSON.stringify({ type: 'url_verification', challenge: 'x' }), 'application/json', { timestamp: sixMinutesAgo });
    expect(event.status).toBe(401);
    await expectNothingChanged();
  });
});
