import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeKnowledge } from '../helpers/knowledge.js';
import { slackHarness } from '../helpers/slack.js';

/**
 * Requests a Slack app should never see, sent to the real Bolt HTTP receiver on loopback, signed
 * with the right secret: a body that is not an object, a timestamp from the future, and the same
 * signed click sent twice.
 */

type AnyBlock = Record<string, any>;

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], related: ['kafka/isr'] },
  { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['isr'] },
]);

let slack: Awaited<ReturnType<typeof slackHarness>>;

beforeAll(async () => {
  slack = await slackHarness(dir);
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The server still answers: a real command gets its card. */
async function stillServing(id: string): Promise<void> {
  await slack.command('/explain', 'in-sync replicas', id);
  const answer = await slack.fake.firstResponseTo(id);
  expect(answer.body['text']).toContain('In-sync replicas');
}

describe('Slack HTTP receiver: signed bodies that are not objects', () => {
  it.each([
    ['form payload=null', 'payload=null', FORM],
    ['form payload=1', 'payload=1', FORM],
    ['form payload="text"', 'payload=%22text%22', FORM],
    ['form payload=[]', 'payload=%5B%5D', FORM],
    ['JSON null', 'null', JSON_TYPE],
    ['JSON number', '42', JSON_TYPE],
    ['JSON string', '"hello"', JSON_TYPE],
    ['JSON array', '[1,2]', JSON_TYPE],
  ])('answers %s with 400 and keeps serving', async (_name, body, contentType) => {
    const res = await slack.send(body, contentType);
    expect(res.status).toBe(400);
    await stillServing(`after-${body}`);
  });

  it('still answers 401, not 400, when the odd body is not signed', async () => {
    const res = await slack.send('payload=null', FORM, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await slack.send('{"type":', JSON_TYPE);
    expect(res.status).toBe(400);
    await stillServing('after-malformed');
  });
});

describe('Slack HTTP receiver: signed objects without what a request should carry', () => {
  it.each([
    ['{}', JSON_TYPE],
    ['{"type":"event_callback"}', JSON_TYPE],
    ['{"type":"event_callback","event":null}', JSON_TYPE],
    ['{"type":"event_callback","event":{"type":"app_mention"}}', JSON_TYPE],
    ['{"type":"event_callback","event":{"type":"message","channel_type":"im"}}', JSON_TYPE],
    ['payload=%7B%22type%22%3A%22block_actions%22%7D', FORM],
    ['payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3Anull%7D', FORM],
    ['payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5Bnull%5D%2C%22user%22%3Anull%7D', FORM],
    ['payload=%7B%22type%22%3A%22view_submission%22%7D', FORM],
    ['command=%2Fexplain', FORM],
    ['command=%2Fexplain&text=acks&user_id=U1&channel_id=C1&team_id=T1', FORM],
  ])('does not fall over on %s, and answers at once', async (body, contentType) => {
    const started = Date.now();
    const res = await slack.send(body, contentType);
    // 400 from the screen; 200 when Bolt acks it; 500 when Bolt's own error handler caught a failure.
    expect([200, 400, 500]).toContain(res.status);
    expect(Date.now() - started).toBeLessThan(1000);
    await stillServing(`after-object-${body.length}-${contentType.length}`);
  });

  it('lets Slack\'s unsigned ssl_check through, and refuses a body over 4 MB with 413', async () => {
    const ssl = await fetch(`${slack.base}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: 'ssl_check=1&token=x' });
    expect(ssl.status).toBe(200);
    const huge = await slack.send(`payload=${'x'.repeat(4 * 1024 * 1024 + 10)}`, FORM);
    expect(huge.status).toBe(413);
    await stillServing('after-huge');
  });
});

describe('Slack HTTP receiver: timestamps', () => {
  it('refuses a correctly signed request from ten minutes in the future with 401, and does nothing', async () => {
    const res = await slack.command('/explain', 'kafka acks', 'future', 'UALICE', 'CGENERAL', { timestamp: nowSeconds() + 10 * 60 });
    expect(res.status).toBe(401);
    await stillServing('after-future');
    expect(slack.fake.responsesTo('future')).toEqual([]);
  });

  it('accepts a clock a little ahead or behind (within five minutes both ways)', async () => {
    const ahead = await slack.command('/explain', 'kafka acks', 'ahead', 'UALICE', 'CGENERAL', { timestamp: nowSeconds() + 4 * 60 });
    const behind = await slack.command('/explain', 'kafka acks', 'behind', 'UALICE', 'CGENERAL', { timestamp: nowSeconds() - 4 * 60 });
    expect([ahead.status, behind.status]).toEqual([200, 200]);
    expect((await slack.fake.firstResponseTo('ahead')).body['text']).toContain('Producer acks');
    expect((await slack.fake.firstResponseTo('behind')).body['text']).toContain('Producer acks');
  });
});

describe('Slack HTTP receiver: replays', () => {
  const header = (c: { body: Record<string, unknown> }) => (c.body['blocks'] as AnyBlock[]).find((b) => b.type === 'header')?.text.text;
  // A shared card goes to the channel through the click's response_url (in_channel).
  const shared = () => slack.fake.responses.filter((r) => r.body['response_type'] === 'in_channel');

  it('posts a shared card once when the same signed click is sent three times', async () => {
    const first = await slack.click({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' }, 'replayed-share', { ephemeral: true });
    const replays = [await slack.replay(), await slack.replay()];
    expect([first.status, ...replays.map((r) => r.status)]).toEqual([200, 200, 200]);
    // A fresh click by someone else afterwards: by the time its card is posted, the replays had every chance.
    await slack.click({ action_id: '1:share:kafka/isr', value: 'share:kafka/isr' }, 'other-share', { ephemeral: true, user: 'UADMIN' });
    await slack.fake.waitFor(() => shared().some((c) => header(c) === 'In-sync replicas'));
    expect(shared().map(header)).toEqual(['Producer acks', 'In-sync replicas']);
  });

  it('answers a replayed slash command once', async () => {
    await slack.command('/explain', 'kafka acks', 'replayed-command');
    expect((await slack.replay()).status).toBe(200);
    await stillServing('after-replayed-command');
    expect(slack.fake.responsesTo('replayed-command')).toHaveLength(1);
  });

  it('posts again for a second click on the same button (a new request, signed anew)', async () => {
    await slack.click({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' }, 'twice-1', { ephemeral: true });
    await slack.click({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' }, 'twice-2', { ephemeral: true });
    await slack.fake.waitFor(() => shared().length >= 2);
    expect(shared().map(header)).toEqual(['Producer acks', 'Producer acks']);
  });
});
