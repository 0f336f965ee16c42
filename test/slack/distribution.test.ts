import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_OAUTH_APP } from './fake-slack.js';
import { BOT_SCOPES } from '../../src/adapters/slack/manifest.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { text } from '../../src/core/reply.js';
import { loadConfig } from '../../src/config/env.js';
import type { Logger } from '../../src/core/log.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { slackHarness } from '../helpers/slack.js';

/**
 * Many workspaces through Bolt's OAuth, against the fake Slack: installs go through the real
 * /slack/install and /slack/oauth_redirect, each workspace's requests and posts use its own token,
 * and nothing of one workspace shows in another.
 */

type AnyBlock = Record<string, any>;

const quizzable = (id: string, title: string, extra: Partial<ConceptFixture> = {}): ConceptFixture => ({
  id,
  title,
  quiz: [{ question: `Which statement about ${title} holds?`, answer: `right about ${title}`, wrong: ['wrong one', 'wrong two', 'wrong three'], why: `Because of ${title}.` }],
  ...extra,
});
const dir = writeKnowledge([quizzable('kafka/acks', 'Producer acks', { aliases: ['acks'] }), quizzable('kafka/isr', 'In-sync replicas', { aliases: ['isr'] })]);

const warnings: string[] = [];
const log: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => void warnings.push(message),
  error: (message: string) => void warnings.push(`error: ${message}`),
};

let slack: Awaited<ReturnType<typeof slackHarness>>;
beforeAll(async () => {
  slack = await slackHarness(dir, { oauth: true, log });
  slack.fake
    .grant('code-one', { teamId: 'TONE', botToken: 'xoxb-one', botUserId: 'UBOTONE' })
    .grant('code-two', { teamId: 'TTWO', botToken: 'xoxb-two', botUserId: 'UBOTTWO' })
    .addUser({ id: 'UBEN', display_name: 'Ben' });
  expect((await slack.install('code-one')).status).toBe(200);
  expect((await slack.install('code-two')).status).toBe(200);
});
afterAll(async () => {
  await slack?.close();
});

const headerOf = (blocks: AnyBlock[]) => blocks.find((b) => b.type === 'header')?.text.text;
const buttonsOf = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

describe('installing through OAuth', () => {
  it('serves the install page with Add to Slack, and stores what the redirect brings in our database', async () => {
    const page = await fetch(`${slack.base}/slack/install`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toMatch(/^slack-app-oauth-state=[^;]+; Secure; HttpOnly/);
    const { authorize } = await slack.install('unused-code');
    expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(FAKE_OAUTH_APP.clientId);
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);

    const exchange = slack.fake.callsOf('oauth.v2.access').find((c) => c.params['code'] === 'code-one');
    expect(exchange?.params).toMatchObject({ client_id: FAKE_OAUTH_APP.clientId, client_secret: FAKE_OAUTH_APP.clientSecret });
    expect(await slack.app.store.slackInstallation('TONE')).toMatchObject({
      installKey: 'TONE',
      teamId: 'TONE',
      isEnterpriseInstall: false,
      botToken: 'xoxb-one',
      botUserId: 'UBOTONE',
      botId: 'BTONE',
      appId: FAKE_OAUTH_APP.appId,
      userId: 'UINSTALLER',
      userToken: null,
      botExpiresAt: null,
    });
    expect((await slack.app.store.slackInstallation('TTWO'))?.botToken).toBe('xoxb-two');
  });

  it('refuses a redirect whose state is not the one this browser was given, before exchanging the code', async () => {
    slack.fake.grant('code-stolen', { teamId: 'TEVIL', botToken: 'xoxb-evil' });
    const noCookie = await slack.install('code-stolen', { cookie: null });
    expect(noCookie.status).toBe(400);
    const otherState = await slack.install('code-stolen', { state: 'forged.state' });
    expect(otherState.status).toBe(400);
    expect(otherState.body).toContain('Oops');
    expect(slack.fake.callsOf('oauth.v2.access').filter((c) => c.params['code'] === 'code-stolen')).toEqual([]);
    expect(await slack.app.store.slackInstallation('TEVIL')).toBeUndefined();
  });

  it('answers 500 and stores nothing when Slack refuses the code', async () => {
    const res = await slack.install('code-never-granted');
    expect(res.status).toBe(500);
    expect(slack.fake.callsOf('oauth.v2.access').at(-1)?.response).toMatchObject({ ok: false, error: 'invalid_code' });
  });
});

describe('two workspaces, one app', () => {
  it("answers each workspace's commands with that workspace's token", async () => {
    await slack.command('/explain', 'kafka acks', 'one-explain', 'UALICE', 'CGENERAL', { team: 'TONE' });
    await slack.command('/explain', 'isr', 'two-explain', 'UBEN', 'CGENERAL', { team: 'TTWO' });
    expect(headerOf((await slack.fake.firstResponseTo('one-explain')).body['blocks'] as AnyBlock[])).toBe('Producer acks');
    expect(headerOf((await slack.fake.firstResponseTo('two-explain')).body['blocks'] as AnyBlock[])).toBe('In-sync replicas');
    const lookups = slack.fake.callsOf('users.info').map((c) => [c.params['user'], c.token]);
    expect(lookups).toContainEqual(['UALICE', 'xoxb-one']);
    expect(lookups).toContainEqual(['UBEN', 'xoxb-two']);
    expect(slack.fake.calls.filter((c) => c.response?.['ok'] === false && c.method !== 'oauth.v2.access')).toEqual([]);
  });

  it('runs a quiz in a channel of each at once (same channel id), each posted with its own token, and keeps their leaderboards apart', async () => {
    await slack.command('/quiz', 'kafka 1', 'quiz-one', 'UALICE', 'CGENERAL', { team: 'TONE' });
    await slack.command('/quiz', 'kafka 1', 'quiz-two', 'UBEN', 'CGENERAL', { team: 'TTWO' });
    expect((await slack.fake.firstResponseTo('quiz-one')).body['text']).toContain('Started a 1-question quiz');
    expect((await slack.fake.firstResponseTo('quiz-two')).body['text']).toContain('Started a 1-question quiz');
    const questions = await slack.fake.waitFor(() => {
      const posts = slack.fake.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.params['blocks']).includes('Question 1 of 1'));
      return posts.length === 2 && posts;
    });
    expect(questions.map((q) => q.token).sort()).toEqual(['xoxb-one', 'xoxb-two']);

    // In the first workspace two people answer, so the quiz counts; in the second, one.
    const inOne = questions.find((q) => q.token === 'xoxb-one')!;
    const answers = buttonsOf(inOne.params['blocks'] as AnyBlock[]);
    const ts = String(inOne.response?.['ts']);
    await slack.click({ action_id: answers[0].action_id, value: answers[0].value }, 'a1', { messageTs: ts, team: 'TONE' });
    await slack.click({ action_id: answers[1].action_id, value: answers[1].value }, 'a2', { messageTs: ts, team: 'TONE', user: 'UADMIN' });
    await slack.fake.firstResponseTo('a2');
    await slack.time.advance(20_000);
    const reveals = await slack.fake.waitFor(() => slack.fake.callsOf('chat.update').length >= 2 && slack.fake.callsOf('chat.update'));
    expect(reveals.map((r) => r.token).sort()).toEqual(['xoxb-one', 'xoxb-two']);

    await slack.command('/leaderboard', 'all server', 'board-one', 'UALICE', 'CGENERAL', { team: 'TONE' });
    await slack.command('/leaderboard', 'all server', 'board-two', 'UBEN', 'CGENERAL', { team: 'TTWO' });
    const one = JSON.stringify((await slack.fake.firstResponseTo('board-one')).body);
    const two = JSON.stringify((await slack.fake.firstResponseTo('board-two')).body);
    expect(one).toContain('Alice');
    expect(one).toContain('Ada Admin');
    expect(two).not.toContain('Alice');
    expect(two).not.toContain('Ada Admin');
    expect((await slack.app.store.scores({ scope: 'slack:TONE' })).map((s) => s.userId).sort()).toEqual(['UADMIN', 'UALICE']);
    expect(await slack.app.store.scores({ scope: 'slack:TTWO' })).toEqual([]);
  });

  it('posts the concept of the day to a channel of each with its own token', async () => {
    await slack.command('/daily', 'subscribe concept 23:59 UTC', 'daily-one', 'UADMIN', 'CDAILY', { team: 'TONE' });
    await slack.command('/daily', 'subscribe concept 23:59 UTC', 'daily-two', 'UADMIN', 'CDAILY', { team: 'TTWO' });
    expect((await slack.fake.firstResponseTo('daily-one')).body['text']).toContain('Subscribed');
    expect((await slack.fake.firstResponseTo('daily-two')).body['text']).toContain('Subscribed');
    await slack.time.advanceTo(`${slack.time.now().toISOString().slice(0, 10)}T23:59:00Z`);
    await slack.app.daily.sweep();
    const daily = slack.fake.callsOf('chat.postMessage').filter((c) => c.params['channel'] === 'CDAILY');
    expect(daily.map((c) => c.token).sort()).toEqual(['xoxb-one', 'xoxb-two']);
    expect(daily.every((c) => String(c.params['text']).includes('Concept of the day'))).toBe(true);
  });
});

describe('several processes on one database', () => {
  it('serves a workspace installed through another process', async () => {
    const other = await slackHarness(dir, { oauth: true, database: slack.database });
    try {
      await other.command('/explain', 'acks', 'other-process', 'UALICE', 'CGENERAL', { team: 'TTWO' });
      expect(headerOf((await other.fake.firstResponseTo('other-process')).body['blocks'] as AnyBlock[])).toBe('Producer acks');
      expect(other.fake.callsOf('users.info').map((c) => c.token)).toEqual(['xoxb-two']);
    } finally {
      await other.close();
    }
  });
});

describe('uninstalling', () => {
  it('deletes that workspace’s tokens on app_uninstalled; the other keeps working, and the removed one’s requests and posts stop cleanly', async () => {
    slack.fake.grant('code-three', { teamId: 'TTHREE', botToken: 'xoxb-three' });
    await slack.install('code-three');
    await slack.command('/daily', 'subscribe concept 08:00 UTC', 'daily-three', 'UADMIN', 'CDAILY', { team: 'TTHREE' });
    await slack.fake.firstResponseTo('daily-three');

    const res = await slack.event({ type: 'app_uninstalled' }, { team: 'TTHREE' });
    expect(res.status).toBe(200);
    await expect.poll(() => slack.app.store.slackInstallation('TTHREE')).toBeUndefined();
    slack.fake.revoke('xoxb-three');
    expect(await slack.app.store.slackInstallation('TONE')).toBeDefined();

    // A request from the removed workspace is acked and ignored, with one warning naming it.
    const before = slack.fake.calls.length;
    expect((await slack.command('/explain', 'acks', 'three-after', 'UALICE', 'CGENERAL', { team: 'TTHREE' })).status).toBe(200);
    await slack.command('/explain', 'acks', 'one-after', 'UALICE', 'CGENERAL', { team: 'TONE' });
    expect(headerOf((await slack.fake.firstResponseTo('one-after')).body['blocks'] as AnyBlock[])).toBe('Producer acks');
    expect(slack.fake.responsesTo('three-after')).toEqual([]);
    expect(slack.fake.calls.slice(before).some((c) => c.token === 'xoxb-three')).toBe(false);
    expect(warnings).toContain('slack: ignored a request: Authorization of incoming event did not succeed. Backfill is not installed in Slack workspace TTHREE');

    // Posting there is a permanent "not installed", and its daily posts pause saying so.
    const err = await slack.app.messengers.send('slack:TTHREE:CDAILY', { blocks: [text('x')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ code: 'not_installed', permanent: true, maybePosted: false });
    await slack.time.advanceTo(new Date(slack.time.now().getTime() + 24 * 3600_000).toISOString().slice(0, 10) + 'T08:00:00Z');
    await slack.app.daily.sweep();
    await expect.poll(async () => (await slack.app.store.getSubscription('slack:TTHREE:CDAILY'))?.state).toBe('paused');
    expect((await slack.app.store.getSubscription('slack:TTHREE:CDAILY'))?.pausedReason).toContain('not_installed');
    expect((await slack.app.store.getSubscription('slack:TONE:CDAILY'))?.state).toBe('active');
    expect(slack.fake.callsWith('xoxb-three').filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('deletes the installation when its bot token is revoked (tokens_revoked), and nothing when only an unknown user token is', async () => {
    slack.fake.grant('code-four', { teamId: 'TFOUR', botToken: 'xoxb-four' });
    await slack.install('code-four');
    await slack.event({ type: 'tokens_revoked', tokens: { oauth: ['USOMEONE'] } }, { team: 'TFOUR' });
    expect((await slack.app.store.slackInstallation('TFOUR'))?.botToken).toBe('xoxb-four');
    await slack.event({ type: 'tokens_revoked', tokens: { bot: ['UBOTFAKE'] } }, { team: 'TFOUR' });
    await expect.poll(() => slack.app.store.slackInstallation('TFOUR')).toBeUndefined();
    expect((await slack.app.store.slackInstallation('TTWO'))?.botToken).toBe('xoxb-two');
  });
});

describe('token rotation', () => {
  it('refreshes an expiring token through Bolt when a request comes in, and stores the new one', async () => {
    slack.fake.grant('code-rot', { teamId: 'TROT', botToken: 'xoxb-rot', refreshToken: 'xoxe-rot', expiresIn: 600 });
    await slack.install('code-rot');
    const installed = (await slack.app.store.slackInstallation('TROT'))!;
    expect(installed).toMatchObject({ botToken: 'xoxb-rot', botRefreshToken: 'xoxe-rot' });
    expect(installed.botExpiresAt! - Date.now() / 1000).toBeGreaterThan(590);

    await slack.command('/explain', 'acks', 'rot-1', 'UALICE', 'CGENERAL', { team: 'TROT' });
    await slack.fake.firstResponseTo('rot-1');
    const refresh = slack.fake.callsOf('oauth.v2.access').find((c) => c.params['grant_type'] === 'refresh_token');
    expect(refresh?.params).toMatchObject({ refresh_token: 'xoxe-rot', client_id: FAKE_OAUTH_APP.clientId });
    const rotated = (await slack.app.store.slackInstallation('TROT'))!;
    expect(rotated.botToken).toMatch(/^xoxb-rot-r\d+$/);
    expect(rotated.botRefreshToken).toMatch(/^xoxe-rot-r\d+$/);
    expect(rotated.installedAt).toBe(installed.installedAt);
    expect(slack.fake.callsOf('users.info').at(-1)?.token).toBe(rotated.botToken);
  });

  it('refreshes an expiring token before a post too (a daily post or a quiz question)', async () => {
    slack.fake.grant('code-rot2', { teamId: 'TROT2', botToken: 'xoxb-rot2', refreshToken: 'xoxe-rot2', expiresIn: 60 });
    await slack.install('code-rot2');
    await slack.app.messengers.send('slack:TROT2:CQUIZ', { blocks: [text('hello')] });
    const rotated = (await slack.app.store.slackInstallation('TROT2'))!;
    expect(rotated.botToken).toMatch(/^xoxb-rot2-r\d+$/);
    const post = slack.fake.callsOf('chat.postMessage').find((c) => c.params['channel'] === 'CQUIZ');
    expect(post?.token).toBe(rotated.botToken);
    expect(slack.fake.callsWith('xoxb-rot2').map((c) => c.method)).toEqual(['auth.test']);
  });
});

describe('org-wide installation', () => {
  it('keys it by the enterprise, answers any workspace of the organization with its token, and posts there once a request came from it', async () => {
    slack.fake.grant('code-org', { enterpriseId: 'EORG', isEnterpriseInstall: true, botToken: 'xoxb-org' });
    expect((await slack.install('code-org')).status).toBe(200);
    expect(await slack.app.store.slackInstallation('EORG')).toMatchObject({ installKey: 'EORG', teamId: null, enterpriseId: 'EORG', isEnterpriseInstall: true, enterpriseUrl: 'https://EORG.enterprise.slack.com/' });

    const err = await slack.app.messengers.send('slack:TSALES:CNEWS', { blocks: [text('x')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_installed', permanent: true });

    await slack.command('/explain', 'acks', 'org-1', 'UALICE', 'CGENERAL', { team: 'TSALES', enterpriseId: 'EORG', isEnterpriseInstall: true });
    expect(headerOf((await slack.fake.firstResponseTo('org-1')).body['blocks'] as AnyBlock[])).toBe('Producer acks');
    expect(slack.fake.callsOf('users.info').at(-1)?.token).toBe('xoxb-org');
    await slack.app.messengers.send('slack:TSALES:CNEWS', { blocks: [text('news')] });
    expect(slack.fake.callsOf('chat.postMessage').find((c) => c.params['channel'] === 'CNEWS')?.token).toBe('xoxb-org');
  });
});

describe('configuration for many workspaces', () => {
  const oauth = { SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'secret', SLACK_STATE_SECRET: 'a-state-secret-of-length', SLACK_SIGNING_SECRET: 'signing' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ SQLITE_PATH: ':memory:', ...env });
      return [];
    } catch (err) {
      return (err as { lines: string[] }).lines;
    }
  };

  it('runs HTTP mode with OAuth when all three OAuth variables and the signing secret are set', () => {
    const config = loadConfig({ SQLITE_PATH: ':memory:', ...oauth });
    expect(config).toMatchObject({ slackMode: 'http', slackOAuth: true });
    expect(loadConfig({ SQLITE_PATH: ':memory:', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slackOAuth).toBe(false);
  });

  it('names each missing OAuth variable in one line, and nothing else', () => {
    expect(problems({ SLACK_CLIENT_ID: '1111.2222', SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID for installing in many workspaces (OAuth); or unset it for one workspace with SLACK_BOT_TOKEN',
      'SLACK_STATE_SECRET: required with SLACK_CLIENT_ID for installing in many workspaces (OAuth); or unset it for one workspace with SLACK_BOT_TOKEN',
    ]);
    expect(problems({ SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: 'a-state-secret-of-length' })).toEqual([
      'SLACK_CLIENT_ID: required with SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for installing in many workspaces (OAuth); or unset them for one workspace with SLACK_BOT_TOKEN',
    ]);
  });

  it('refuses a single-workspace token or Socket Mode with OAuth, and OAuth without the signing secret', () => {
    expect(problems({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_BOT_TOKEN: leave it unset with SLACK_CLIENT_ID (OAuth): each workspace gets its own token when it installs the app']);
    expect(problems({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_APP_TOKEN: installing in many workspaces (OAuth) runs in HTTP mode: unset it']);
    expect(problems({ ...oauth, SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: '' })).toEqual(['SLACK_APP_TOKEN: installing in many workspaces (OAuth) runs in HTTP mode: unset it and set SLACK_SIGNING_SECRET']);
    expect(problems({ ...oauth, SLACK_SIGNING_SECRET: '' })).toEqual(['SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID (OAuth): Slack sends events, commands and the OAuth redirect over HTTP']);
  });

  it('checks the client id and the state secret, without printing secrets', () => {
    expect(problems({ ...oauth, SLACK_CLIENT_ID: 'abc' })).toEqual(['SLACK_CLIENT_ID: expected the Client ID from Basic Information → App Credentials, e.g. 1234567890.1234567890 (got "abc")']);
    expect(problems({ ...oauth, SLACK_STATE_SECRET: 'short' })).toEqual(['SLACK_STATE_SECRET: expected at least 16 characters of random text (it signs the OAuth state)']);
  });
});
