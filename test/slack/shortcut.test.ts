import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXPLAIN_SHORTCUT } from '../../src/adapters/slack/conventions.js';
import { readableText } from '../../src/adapters/slack/mrkdwn.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { SIGNING_SECRET, slackHarness } from '../helpers/slack.js';
import { slackSignature } from './fake-slack.js';

type AnyBlock = Record<string, any>;

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] },
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

const headerOf = (blocks: AnyBlock[]) => blocks.find((b) => b.type === 'header')?.text.text;

describe('the "Explain this" message shortcut', () => {
  it('acks at once and explains the message privately through the shortcut’s response_url', async () => {
    slack.fake.slowDown('users.info', 150);
    const ack = await slack.shortcut(EXPLAIN_SHORTCUT, 'our producers use <https://kafka.apache.org/documentation|acks> = all, right <@U0BOSS>?', 'short-1');
    expect(ack).toEqual({ status: 200, body: '' });
    expect(slack.fake.responsesTo('short-1')).toEqual([]);
    const answer = await slack.fake.firstResponseTo('short-1');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(headerOf(answer.body['blocks'] as AnyBlock[])).toBe('Producer acks');
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('sends the explanation as a DM from the bot when the shortcut has no response_url', async () => {
    await slack.shortcut(EXPLAIN_SHORTCUT, 'what is an isr', undefined, { user: 'UALICE' });
    const dm = await slack.fake.firstCallOf('chat.postMessage');
    expect(slack.fake.callsOf('conversations.open').map((c) => c.params['users'])).toEqual(['UALICE']);
    expect(dm.params).toMatchObject({ channel: 'DALICE' });
    expect(headerOf(dm.params['blocks'] as AnyBlock[])).toBe('In-sync replicas');
  });

  it('says so when the message has no text, and quotes a message it has no card for without live mentions', async () => {
    await slack.shortcut(EXPLAIN_SHORTCUT, '', 'short-empty');
    expect(JSON.stringify((await slack.fake.firstResponseTo('short-empty')).body)).toContain('That message has no text to explain');
    await slack.shortcut(EXPLAIN_SHORTCUT, '<!channel> lunch at noon &amp; <@U123|bob> brings cake', 'short-none');
    const json = JSON.stringify((await slack.fake.firstResponseTo('short-none')).body);
    expect(json).toContain('I have no card that matches');
    expect(json).not.toMatch(/<[!@]/);
  });

  it('refuses a shortcut with a bad signature, running nothing', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'message_action', callback_id: EXPLAIN_SHORTCUT }) }).toString();
    const res = await fetch(`${slack.base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(`${SIGNING_SECRET}-not`, body) }, body });
    expect(res.status).toBe(401);
    expect(slack.fake.calls).toEqual([]);
  });
});

describe('readableText', () => {
  it('reads mentions, channels and links as their labels and decodes entities', () => {
    expect(readableText('ask <@U1|ada> in <#C1|data-eng> about <https://x.io/a?b=1&amp;c=2|acks> &lt;3')).toBe('ask ada in data-eng about acks <3');
    expect(readableText('<@U1> <!here> see <https://kafka.apache.org>  now')).toBe('see https://kafka.apache.org now');
    expect(readableText('&amp;lt; stays text')).toBe('&lt; stays text');
  });
});
