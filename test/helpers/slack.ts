import { FAKE_BOT, FAKE_OAUTH_APP, FakeSlack, slackSignature, slashCommandForm } from '../slack/fake-slack.js';
import { slackPlatform } from '../../src/adapters/platform.js';
import type { RunningSlack, SlackOptions } from '../../src/adapters/slack/slack.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger, type Logger } from '../../src/core/log.js';
import { testApp } from './app.js';
import { LaneTime } from './lane-time.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const STATE_SECRET = 'test-state-secret-of-enough-length';
export const TEAM = FAKE_BOT.teamId;

/** Where a request comes from: a workspace, and its organization when the app is installed org-wide. */
export interface Origin {
  team?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

export interface HarnessOptions {
  laneTime?: LaneTime;
  /** Many workspaces: OAuth (SLACK_CLIENT_ID, ...) instead of one SLACK_BOT_TOKEN. */
  oauth?: boolean;
  log?: Logger;
  drainMs?: SlackOptions['drainMs'];
  /** The SQLite file, to run a second process on the same database. */
  database?: string;
}

/**
 * A real Bolt app in HTTP mode on 127.0.0.1, talking to a fake Slack Web API; requests are sent
 * form-encoded or as JSON and signed exactly as Slack does.
 */
export async function slackHarness(knowledgeDir: string, options: HarnessOptions = {}) {
  // Channel lanes pace posts at Slack's one a second; here their waits pass at once, on a clock
  // the fake Slack shares (for its rate limits and the times it records).
  const laneTime = options.laneTime ?? new LaneTime();
  const fake = await new FakeSlack({ now: () => laneTime.now() }).start();
  fake.addUser({ id: 'UALICE', display_name: 'Alice' }).addUser({ id: 'UADMIN', real_name: 'Ada Admin', is_admin: true });
  const { app, time, database } = testApp(knowledgeDir, { database: options.database });
  const credentials = options.oauth
    ? { SLACK_CLIENT_ID: FAKE_OAUTH_APP.clientId, SLACK_CLIENT_SECRET: FAKE_OAUTH_APP.clientSecret, SLACK_STATE_SECRET: STATE_SECRET }
    : { SLACK_BOT_TOKEN: 'xoxb-test' };
  const config = {
    ...loadConfig({ ...credentials, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' }),
    PORT: 0,
  };
  // Started as `npm start` starts it: through the platform, with its slice of the configuration.
  const running: RunningSlack = await slackPlatform.start(app, slackPlatform.configure(config)!, options.log ?? silentLogger, { host: '127.0.0.1', laneTiming: laneTime, drainMs: options.drainMs });
  const base = running.url!;
  let last: { headers: Record<string, string>; body: string } | undefined;
  let triggers = 0;

  async function post(headers: Record<string, string>, body: string) {
    last = { headers, body };
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  }

  async function send(body: string, contentType: string, options: { timestamp?: number; secret?: string } = {}) {
    return post({ 'content-type': contentType, ...slackSignature(options.secret ?? SIGNING_SECRET, body, options.timestamp) }, body);
  }

  const sendPayload = (payload: Record<string, unknown>, timestamp?: number) =>
    send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', { timestamp });

  /** Like Slack, every command and click carries a trigger id of its own. */
  const triggerId = () => `${++triggers}.${Date.now()}.fake`;

  /** The `team` and `enterprise` fields of an interaction payload from `origin`. */
  const teamFields = (origin: Origin) => {
    const team = origin.team ?? TEAM;
    return {
      team: { id: team, domain: 'fake', ...(origin.enterpriseId ? { enterprise_id: origin.enterpriseId } : {}) },
      enterprise: origin.enterpriseId ? { id: origin.enterpriseId, name: `Org ${origin.enterpriseId}` } : null,
      is_enterprise_install: origin.isEnterpriseInstall === true,
    };
  };

  return {
    fake,
    app: app as Backfill,
    time,
    base,
    send,
    laneTime,
    running,
    database,
    /** The last request again, byte for byte with its signature headers, as an attacker who captured it would send it. */
    replay() {
      if (!last) throw new Error('nothing to replay');
      return post(last.headers, last.body);
    },
    /** `/command text`, answered at `fake.responseUrl(responseId)`. */
    command(command: string, text: string, responseId: string, user = 'UALICE', channel = 'CGENERAL', options: { timestamp?: number; secret?: string } & Origin = {}) {
      const form = slashCommandForm({
        command,
        text,
        responseUrl: fake.responseUrl(responseId),
        teamId: options.team ?? TEAM,
        enterpriseId: options.enterpriseId,
        isEnterpriseInstall: options.isEnterpriseInstall,
        channelId: channel,
        userId: user,
        userName: user.toLowerCase(),
        triggerId: triggerId(),
      });
      return send(form, 'application/x-www-form-urlencoded', options);
    },
    /** A click on a button of a message, as a block_actions payload. */
    click(button: { action_id: string; value?: string }, responseId: string, where: { channel?: string; messageTs?: string; ephemeral?: boolean; user?: string; timestamp?: number } & Origin = {}) {
      const channel = where.channel ?? 'CGENERAL';
      const messageTs = where.messageTs ?? '1700000000.000001';
      return sendPayload(
        {
          type: 'block_actions',
          user: { id: where.user ?? 'UALICE', username: 'alice', name: 'alice', team_id: where.team ?? TEAM },
          api_app_id: 'AFAKE',
          token: 'deprecated-verification-token',
          container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: where.ephemeral ?? false },
          trigger_id: triggerId(),
          ...teamFields(where),
          channel: { id: channel, name: 'general' },
          ...(where.ephemeral ? {} : { message: { type: 'message', user: FAKE_BOT.userId, ts: messageTs, text: 'card' } }),
          response_url: fake.responseUrl(responseId),
          actions: [{ type: 'button', block_id: 'b1', text: { type: 'plain_text', text: 'x' }, ...button, action_ts: '1700000001.000001' }],
        },
        where.timestamp,
      );
    },
    /** The message shortcut `callbackId` on a message with `text`; without `responseId`, no response_url. */
    shortcut(callbackId: string, text: string, responseId: string | undefined, where: { channel?: string; user?: string } & Origin = {}) {
      const channel = where.channel ?? 'CGENERAL';
      return sendPayload({
        type: 'message_action',
        callback_id: callbackId,
        trigger_id: triggerId(),
        action_ts: '1700000003.000001',
        message_ts: '1700000000.000077',
        user: { id: where.user ?? 'UALICE', name: 'alice', team_id: where.team ?? TEAM },
        channel: { id: channel, name: 'general' },
        message: { type: 'message', user: 'UBOB', ts: '1700000000.000077', text },
        ...teamFields(where),
        token: 'deprecated-verification-token',
        ...(responseId ? { response_url: fake.responseUrl(responseId) } : {}),
      });
    },
    /** An Events API event_callback carrying `event`. */
    event(event: Record<string, unknown>, origin: Origin = {}) {
      const team = origin.team ?? TEAM;
      const body = {
        token: 'deprecated-verification-token',
        team_id: team,
        ...(origin.enterpriseId ? { enterprise_id: origin.enterpriseId } : {}),
        api_app_id: 'AFAKE',
        event: { event_ts: '1700000002.000001', ts: '1700000002.000001', ...event },
        type: 'event_callback',
        event_id: `Ev${Math.random().toString(36).slice(2, 10)}`,
        event_time: 1700000002,
        authorizations: [{ team_id: origin.isEnterpriseInstall ? null : team, enterprise_id: origin.enterpriseId ?? null, user_id: FAKE_BOT.userId, is_bot: true, is_enterprise_install: origin.isEnterpriseInstall === true }],
      };
      return send(JSON.stringify(body), 'application/json');
    },
    /**
     * The OAuth flow a browser goes through: GET /slack/install (the page with Add to Slack, and the
     * state cookie), then Slack's redirect to /slack/oauth_redirect with `code` and that state.
     * `tamper` changes what goes back: another state, or no cookie.
     */
    async install(code: string, tamper: { state?: string; cookie?: string | null } = {}) {
      const page = await fetch(`${base}/slack/install`);
      const html = await page.text();
      const authorize = new URL(/href="(https:[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'));
      const state = authorize.searchParams.get('state')!;
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
      const redirect = new URL(`${base}/slack/oauth_redirect`);
      redirect.searchParams.set('code', code);
      redirect.searchParams.set('state', tamper.state ?? state);
      const sentCookie = tamper.cookie === undefined ? cookie : tamper.cookie;
      const res = await fetch(redirect, { headers: sentCookie === null ? {} : { cookie: sentCookie }, redirect: 'manual' });
      return { status: res.status, body: await res.text(), authorize };
    },
    async close() {
      await running.stop();
      await app.close();
      await fake.close();
    },
  };
}
