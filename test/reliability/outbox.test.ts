import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../slack/fake-slack.js';
import { SlackMessenger } from '../../src/adapters/slack/messenger.js';
import { slackLanes } from '../../src/adapters/slack/lanes.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { silentLogger } from '../../src/core/log.js';
import { LEASE_MS, Outbox } from '../../src/core/outbox.js';
import { text, type Reply } from '../../src/core/reply.js';
import type { Messenger } from '../../src/core/services.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { LaneTime } from '../helpers/lane-time.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

const reply: Reply = { title: 'Question 1 of 1', blocks: [text('Which one?')] };
const stores: SqliteStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});

function outbox(messenger: Messenger, options: { database?: string; time?: FakeTime; owner?: string } = {}) {
  const time = options.time ?? new FakeTime();
  const store = new SqliteStore(options.database ?? tempDatabase());
  stores.push(store);
  return { box: new Outbox({ store, messenger, clock: time, timers: time, log: silentLogger, owner: options.owner }), store, time };
}

/** A platform that takes the message and then loses its answer, once (a timeout, a 5xx after the fact). */
class LostAnswer extends RecordingMessenger {
  lose = 1;
  override async send(...args: Parameters<RecordingMessenger['send']>) {
    const posted = await super.send(...args);
    if (this.lose-- > 0) {
      const err = new DeliveryError('no answer', 'http_503', false);
      err.maybePosted = true;
      throw err;
    }
    return posted;
  }
}

describe('the outbox', () => {
  it('sends a post once, however often it is delivered', async () => {
    const platform = new RecordingMessenger();
    const { box, store } = outbox(platform);
    const first = await box.deliver('quiz:q1:0', 'test:T1:C1', reply);
    expect(first).toEqual({ state: 'sent', message: { address: 'test:T1:C1', messageId: '1' } });
    expect(await box.deliver('quiz:q1:0', 'test:T1:C1', reply)).toEqual(first);
    expect(platform.sent.map((s) => s.key)).toEqual(['quiz:q1:0']);
    expect(await store.getOutbox('quiz:q1:0')).toMatchObject({ state: 'sent', messageId: '1', attempts: 1 });
  });

  it('settles a send that got no answer but did post: found, not sent again', async () => {
    const platform = new LostAnswer();
    const { box } = outbox(platform);
    expect(await box.deliver('k', 'test:T1:C1', reply)).toMatchObject({ state: 'sent', message: { messageId: '1' } });
    expect(platform.sent).toHaveLength(1);
  });

  it('settles a send that got no answer and did not post: sent again, once', async () => {
    const platform = new RecordingMessenger();
    const lost = new DeliveryError('connection reset', 'network', false);
    lost.maybePosted = true;
    platform.failures.set('test:T1:C1', { error: lost, times: 1 });
    const { box } = outbox(platform);
    expect(await box.deliver('k', 'test:T1:C1', reply)).toMatchObject({ state: 'sent' });
    expect(platform.sent).toHaveLength(1);
  });

  it('lets a refused post (the platform answered no) go out on a later attempt', async () => {
    const platform = new RecordingMessenger();
    platform.failures.set('test:T1:C1', { error: new DeliveryError('slow down', 'ratelimited', false), times: 1 });
    const { box, store } = outbox(platform);
    await expect(box.deliver('k', 'test:T1:C1', reply)).rejects.toMatchObject({ code: 'ratelimited' });
    expect(await store.getOutbox('k')).toMatchObject({ state: 'refused', error: 'ratelimited' });
    expect(await box.deliver('k', 'test:T1:C1', reply)).toMatchObject({ state: 'sent' });
    expect(platform.sent).toHaveLength(1);
  });

  it('answers busy while a live sender holds the post, and takes it over once that sender is gone', async () => {
    const database = tempDatabase();
    const time = new FakeTime();
    const platform = new RecordingMessenger();
    const dead = outbox(platform, { database, time, owner: 'dead' });
    // A sender that recorded the post and died before the platform call.
    await dead.store.claimOutbox('k', 'test:T1:C1', 'dead', time.now().toISOString(), new Date(time.now().getTime() + LEASE_MS).toISOString());
    const { box } = outbox(platform, { database, time, owner: 'alive' });
    expect(await box.deliver('k', 'test:T1:C1', reply)).toMatchObject({ state: 'busy', until: new Date(time.now().getTime() + LEASE_MS) });
    await time.advance(LEASE_MS);
    expect(await box.deliver('k', 'test:T1:C1', reply)).toMatchObject({ state: 'sent' });
    expect(platform.sent).toHaveLength(1);
  });

  it('never re-sends a post whose fate no one can tell', async () => {
    const database = tempDatabase();
    const time = new FakeTime();
    const sent: string[] = [];
    const cannotAsk: Messenger = { send: async (address) => (sent.push(address), { address, messageId: 'x' }), update: async () => undefined };
    const dead = outbox(cannotAsk, { database, time, owner: 'dead' });
    await dead.store.claimOutbox('k', 'test:T1:C1', 'dead', time.now().toISOString(), time.now().toISOString());
    const { box, store } = outbox(cannotAsk, { database, time });
    expect(await box.deliver('k', 'test:T1:C1', reply)).toEqual({ state: 'unknown', reason: 'the platform cannot be asked whether it arrived' });
    expect(await box.deliver('k', 'test:T1:C1', reply)).toMatchObject({ state: 'unknown' });
    expect(sent).toEqual([]);
    expect(await store.getOutbox('k')).toMatchObject({ state: 'unknown' });
  });
});

describe('what a failed Slack post says about the message', () => {
  it('a refusal or a rate limit posted nothing; a server error or no answer may have', async () => {
    const fake = await new FakeSlack().start();
    try {
      const client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
      const messenger = new SlackMessenger(client, slackLanes(silentLogger, new LaneTime()));
      const failure = (f: Parameters<FakeSlack['fail']>[1]) => (fake.fail('chat.postMessage', f), messenger.send('slack:T1:C1', reply, { key: 'k' }).catch((e: unknown) => e as DeliveryError));
      expect(await failure({ error: 'not_in_channel' })).toMatchObject({ code: 'not_in_channel', maybePosted: false });
      expect(await failure({ status: 503 })).toMatchObject({ code: 'http_503', maybePosted: true });
      expect(fake.messagesIn('C1')).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('a post with a key is never repeated by the WebClient itself: a repeat after a lost answer could double it', async () => {
    const fake = await new FakeSlack().start();
    try {
      // Retries like the app's client: for everything else they help.
      const client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 1, maxTimeout: 1 }, rejectRateLimitedCalls: true });
      const messenger = new SlackMessenger(client, slackLanes(silentLogger, new LaneTime()));
      fake.fail('chat.postMessage', { status: 503 }, 2);
      await expect(messenger.send('slack:T1:C1', reply, { key: 'k' })).rejects.toMatchObject({ maybePosted: true });
      expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
      await messenger.send('slack:T1:C1', reply);
      expect(fake.callsOf('chat.postMessage')).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });
});
