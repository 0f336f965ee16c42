import { FAKE_BOT, FakeSlack, slackSignature, slashCommandForm } from '../slack/fake-slack.js';
import { slackPlatform } from '../../src/adapters/platform.js';
import type { RunningSlack } from '../../src/adapters/slack/slack.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { testApp } from './app.js';
import { LaneTime } from './lane-time.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const TEAM = FAKE_BOT.teamId;

/**
 * A real Bolt app in HTTP mode on 127.0.0.1, talking to a fake Slack Web API; requests are sent
 * form-encoded or as JSON and signed exactly as Slack does.
 */
export async function slackHarness(knowledgeDir: string, options: { laneTime?: LaneTime } = {}) {
  // Channel lanes pace posts at Slack's one a second; here their waits pass at once, on a clock
  // the fake Slack shares (for its rate limits and the times it records).
  const laneTime = options.laneTime ?? new LaneTime();
  const fake = await new FakeSlack({ now: () => laneTime.now() }).start();
  fake.addUser({ id: 'UALICE', display_name: 'Alice' }).addUser({ id: 'UADMIN', real_name: 'Ada Admin', is_admin: true });
  const { app, time } = testApp(knowledgeDir);
  const config = {
    ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' }),
    PORT: 0,
  };
  // Started as `npm start` starts it: through the platform, with its slice of the configuration.
  const running: RunningSlack = await slackPlatform.start(app, slackPlatform.configure(config)!, silentLogger, { host: '127.0.0.1', laneTiming: laneTime });
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

  /** Like Slack, every command and click carries a trigger id of its own. */
  const triggerId = () => `${++triggers}.${Date.now()}.fake`;

  return {
    fake,
    app: app as Backfill,
    time,
    base,
    send,
    laneTime,
    /** The last request again, byte for byte with its signature headers, as an attacker who captured it would send it. */
    replay() {
      if (!last) throw new Error('nothing to replay');
      return post(last.headers, last.body);
    },
    /** `/command text`, answered at `fake.responseUrl(responseId)`. */
    command(command: string, text: string, responseId: string, user = 'UALICE', channel = 'CGENERAL', options: { timestamp?: number; secret?: string } = {}) {
      const form = slashCommandForm({ command, text, responseUrl: fake.responseUrl(responseId), teamId: TEAM, channelId: channel, userId: user, userName: user.toLowerCase(), triggerId: triggerId() });
      return send(form, 'application/x-www-form-urlencoded', options);
    },
    /** A click on a button of a message, as a block_actions payload. */
    click(button: { action_id: string; value?: string }, responseId: string, where: { channel?: string; messageTs?: string; ephemeral?: boolean; user?: string; timestamp?: number } = {}) {
      const channel = where.channel ?? 'CGENERAL';
      const messageTs = where.messageTs ?? '1700000000.000001';
      const payload = {
        type: 'block_actions',
        user: { id: where.user ?? 'UALICE', username: 'alice', name: 'alice', team_id: TEAM },
        api_app_id: 'AFAKE',
        token: 'deprecated-verification-token',
        container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: where.ephemeral ?? false },
        trigger_id: triggerId(),
        team: { id: TEAM, domain: 'fake' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel, name: 'general' },
        ...(where.ephemeral ? {} : { message: { type: 'message', user: FAKE_BOT.userId, ts: messageTs, text: 'card' } }),
        response_url: fake.responseUrl(responseId),
        actions: [{ type: 'button', block_id: 'b1', text: { type: 'plain_text', text: 'x' }, ...button, action_ts: '1700000001.000001' }],
      };
      return send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', { timestamp: where.timestamp });
    },
    /** An Events API event_callback carrying `event`. */
    event(event: Record<string, unknown>) {
      const body = {
        token: 'deprecated-verification-token',
        team_id: TEAM,
        api_app_id: 'AFAKE',
        event: { event_ts: '1700000002.000001', ts: '1700000002.000001', ...event },
        type: 'event_callback',
        event_id: `Ev${Math.random().toString(36).slice(2, 10)}`,
        event_time: 1700000002,
        authorizations: [{ team_id: TEAM, user_id: FAKE_BOT.userId, is_bot: true, is_enterprise_install: false }],
      };
      return send(JSON.stringify(body), 'application/json');
    },
    async close() {
      await running.stop();
      await app.close();
      await fake.close();
    },
  };
}
