import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.js';
import { stripBotMention } from '../../src/adapters/slack/listeners.js';
import { slackLanes } from '../../src/adapters/slack/lanes.js';
import { SlackMessenger } from '../../src/adapters/slack/messenger.js';
import { startSlack } from '../../src/adapters/slack/slack.js';
import { parseAdminUsers, SlackUsers } from '../../src/adapters/slack/users.js';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { createLogger, silentLogger } from '../../src/core/log.js';
import { UnreachableError } from '../../src/config/config-error.js';
import { StartStopped } from '../../src/adapters/start-stopped.js';
import { freePort } from '../helpers/spawn-main.js';
import { text } from '../../src/core/reply.js';
import { testApp } from '../helpers/app.js';
import { LaneTime } from '../helpers/lane-time.js';
import { writeKnowledge } from '../helpers/knowledge.js';

let fake: FakeSlack;
let client: webApi.WebClient;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('SlackMessenger', () => {
  const messenger = () => new SlackMessenger(client, slackLanes(silentLogger, new LaneTime()));

  it('posts to the channel of the address and edits by ts', async () => {
    const posted = await messenger().send('slack:T1:C1', { title: 'Daily', blocks: [text('Concept of the day')] });
    expect(fake.callsOf('chat.postMessage')[0]?.params).toMatchObject({ channel: 'C1', text: 'Daily\nConcept of the day' });
    await messenger().update(posted, { blocks: [text('edited')] });
    expect(fake.callsOf('chat.update')[0]?.params).toMatchObject({ channel: 'C1', ts: posted.messageId, text: 'edited' });
  });

  it.each([
    ['not_in_channel', true],
    ['channel_not_found', true],
    ['is_archived', true],
    ['missing_scope', true],
    ['invalid_auth', true],
    ['internal_error', false],
    ['msg_too_long', false],
  ])('reports Slack error %s as a DeliveryError (permanent: %s)', async (error, permanent) => {
    fake.fail('chat.postMessage', { error });
    const err = await messenger().send('slack:T1:C1', { blocks: [text('x')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ code: error, permanent });
  });

  it('reports rate limits and server errors as transient, and a malformed address as permanent', async () => {
    // Posts and edits wait out a 429 in their channel's lane (rate-limits.test.ts); a private
    // message, sent at once, reports it.
    fake.fail('chat.postEphemeral', { retryAfterSeconds: 30 });
    await expect(messenger().sendPrivately('slack:T1:C1', 'U1', { blocks: [text('x')] })).rejects.toMatchObject({ code: 'ratelimited', permanent: false, message: expect.stringContaining('retry after 30 s') });
    fake.fail('chat.update', { retryAfterSeconds: 30 });
    await messenger().update({ address: 'slack:T1:C1', messageId: '1.2' }, { blocks: [text('x')] });
    expect(fake.callsOf('chat.update').map((c) => c.status ?? 200)).toEqual([429, 200]);
    fake.fail('chat.postMessage', { status: 503 });
    await expect(messenger().send('slack:T1:C1', { blocks: [text('x')] })).rejects.toMatchObject({ code: 'http_503', permanent: false });
    await expect(messenger().send('discord:G1:C1', { blocks: [text('x')] })).rejects.toMatchObject({ code: 'invalid_address', permanent: true });
  });
});

describe('SlackUsers', () => {
  it('names people and makes workspace admins, owners and listed users managers', async () => {
    fake.addUser({ id: 'UA', display_name: 'Alice' }).addUser({ id: 'UO', real_name: 'Olga Owner', is_owner: true }).addUser({ id: 'UD', name: 'ada', is_admin: true });
    const users = new SlackUsers(client, { admins: parseAdminUsers('UL, UX'), log: silentLogger });
    expect(await users.lookup('UA')).toEqual({ id: 'UA', name: 'Alice', isManager: false, lookupRoles: expect.any(Function) });
    expect(await users.lookup('UO')).toEqual({ id: 'UO', name: 'Olga Owner', isManager: true, lookupRoles: expect.any(Function) });
    expect(await users.lookup('UD')).toEqual({ id: 'UD', name: 'ada', isManager: true, lookupRoles: expect.any(Function) });
    // Unknown to users.info, but listed in SLACK_ADMIN_USERS.
    expect(await users.lookup('UL', 'lee')).toEqual({ id: 'UL', name: 'lee', isManager: true, lookupRoles: expect.any(Function) });
  });

  it('caches lookups, shares concurrent ones, and asks again once the entry expires', async () => {
    fake.addUser({ id: 'UC', display_name: 'Cai' });
    let now = 0;
    const users = new SlackUsers(client, { admins: [], log: silentLogger, ttlMs: 1000, now: () => now });
    await Promise.all([users.lookup('UC'), users.lookup('UC'), users.lookup('UC')]);
    await users.lookup('UC');
    expect(fake.callsOf('users.info')).toHaveLength(1);
    now = 1001;
    await users.lookup('UC');
    expect(fake.callsOf('users.info')).toHaveLength(2);
  });

  it('falls back to the given name, as a regular member, when users.info fails', async () => {
    fake.fail('users.info', { error: 'missing_scope' });
    const users = new SlackUsers(client, { admins: [], log: silentLogger });
    expect(await users.lookup('UZ', 'zed')).toEqual({ id: 'UZ', name: 'zed', isManager: false, lookupRoles: expect.any(Function) });
  });
});

describe('mentions', () => {
  it('strips the bot mention, in any form, wherever it is', () => {
    expect(stripBotMention('<@UBOT> explain kafka acks', 'UBOT')).toBe('explain kafka acks');
    expect(stripBotMention('hey <@UBOT|backfill>   what is   isr?', 'UBOT')).toBe('hey what is isr?');
    expect(stripBotMention('<@UBOT> ask <@UOTHER>', 'UBOT')).toBe('ask <@UOTHER>');
    expect(stripBotMention('<@UBOT> topics', undefined)).toBe('topics');
  });
});

describe('starting Slack', () => {
  it('turns a refused bot token into a configuration error naming the variable', async () => {
    fake.fail('auth.test', { error: 'invalid_auth' });
    const { app } = testApp(writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }]));
    const config = { ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bad', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' }), PORT: 0 };
    const err = await startSlack(app, config, silentLogger, { host: '127.0.0.1' }).catch((e: unknown) => e);
    await app.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines).toEqual(['SLACK_BOT_TOKEN: Slack refused the token (invalid_auth): copy it again from OAuth & Permissions → Bot User OAuth Token, or reinstall the app to the workspace if it was removed or revoked']);
  });

  it('opens Socket Mode through SLACK_API_URL, and names SLACK_APP_TOKEN when it is refused', async () => {
    fake.fail('apps.connections.open', { error: 'invalid_auth' });
    const { app } = testApp(writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }]));
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-bad', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
    expect(config.slackMode).toBe('socket');
    const err = await startSlack(app, config, silentLogger).catch((e: unknown) => e);
    await app.close();
    expect((err as ConfigError).lines).toEqual(['SLACK_APP_TOKEN: Slack refused the token (invalid_auth): copy it again from Basic Information → App-Level Tokens, or generate a new one there with connections:write']);
    expect(fake.calls.map((c) => c.method)).toEqual(['auth.test', 'apps.connections.open']);
  });

  it('says the WebSocket could not be opened, with every error line saying why, and gives up at once when a stop is asked for', async () => {
    fake.socketUrl = `ws://127.0.0.1:${await freePort()}/link`;
    try {
      const { app } = testApp(writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }]));
      const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-A-1-x', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
      const lines: string[] = [];
      const log = createLogger('warn', (line) => lines.push(line));
      const err = await startSlack(app, config, log, { startTimeoutMs: 2500 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreachableError);
      expect((err as ConfigError).lines).toEqual(["could not open Slack's Socket Mode WebSocket within 3 s: check that this machine may open a WebSocket (wss://, port 443) to Slack, through any proxy or firewall"]);
      for (const l of lines) expect(l, 'a line that says nothing').not.toMatch(/:\s*$|SMWebsocketError$/);
      expect(lines).toContainEqual(expect.stringMatching(/WARN slack: could not open Slack's Socket Mode WebSocket \(.+\); trying again: check that this machine may open a WebSocket/));

      const stop = new AbortController();
      const started = Date.now();
      const stopping = startSlack(app, config, silentLogger, { signal: stop.signal }).catch((e: unknown) => e);
      setTimeout(() => stop.abort(), 300);
      expect(await stopping).toBeInstanceOf(StartStopped);
      expect(Date.now() - started).toBeLessThan(2000);
      await app.close();
    } finally {
      fake.socketUrl = undefined;
    }
  });

  it('says so when both credentials are set: Socket Mode, the signing secret and PORT unused', async () => {
    const { app } = testApp(writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }]));
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_SIGNING_SECRET: 'left-over', PORT: '3901', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
    const lines: string[] = [];
    const keep = (m: string) => void lines.push(m);
    const slack = await startSlack(app, config, { debug: () => undefined, info: keep, warn: keep, error: keep });
    await slack.stop();
    await app.close();
    expect(lines).toContain('slack: connected in Socket Mode');
    expect(lines).toContain('slack: SLACK_APP_TOKEN is set, so Slack runs in Socket Mode, and SLACK_SIGNING_SECRET and PORT are not used; unset SLACK_APP_TOKEN for HTTP mode');
  });
});
