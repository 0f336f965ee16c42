import { describe, expect, it } from 'vitest';
import { RESTARTING } from '../../src/adapters/restarting.js';
import { text } from '../../src/core/reply.js';
import type { Logger } from '../../src/core/log.js';
import { slackPlatform } from '../../src/adapters/platform.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { tempDatabase, testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { SIGNING_SECRET, slackHarness } from '../helpers/slack.js';
import { freePort, MainProcess } from '../helpers/spawn-main.js';
import { FakeSlack, slackSignature, slashCommandForm } from './fake-slack.js';

/** Stopping the Slack process: no new requests, and what was under way finishes first, within a limit. */

const dir = writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] }]);

function recordingLog(lines: string[]): Logger {
  const keep = (m: string) => void lines.push(m);
  return { debug: () => undefined, info: keep, warn: keep, error: keep };
}

/** The harness, stopped by the test itself: only the database and the fake are left to close. */
async function started(options: { drainMs?: number; log?: Logger } = {}) {
  const slack = await slackHarness(dir, options);
  return { slack, cleanUp: async () => Promise.all([slack.app.close(), slack.fake.close()]) };
}

describe('stopping Slack gracefully', () => {
  it('answers a command it acked before the stop, and takes no request after it', async () => {
    const { slack, cleanUp } = await started();
    slack.fake.slowDown('users.info', 300);
    expect((await slack.command('/explain', 'acks', 'in-flight')).status).toBe(200);
    await slack.running.stop();
    expect(slack.fake.responsesTo('in-flight')).toHaveLength(1);
    await expect(slack.command('/explain', 'acks', 'too-late')).rejects.toThrow();
    await cleanUp();
  });

  it('lets the posts under way finish, the one waiting its turn in the channel too, before it stops sending', async () => {
    const { slack, cleanUp } = await started();
    // Slack takes the first post, and answers 300 ms later; the second waits in the channel's lane.
    slack.fake.hold('chat.postMessage', (params) => JSON.stringify(params['blocks']).includes('first'), { deliver: true, onHeld: (answer) => setTimeout(answer, 300) });
    const first = slack.app.messengers.send('slack:TFAKE:CSLOW', { blocks: [text('first')] });
    const second = slack.app.messengers.send('slack:TFAKE:CSLOW', { blocks: [text('second')] });
    await slack.fake.firstCallOf('chat.postMessage');
    await slack.running.stop();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(slack.fake.messagesIn('CSLOW').map((m) => m.text)).toEqual(['first', 'second']);
    await cleanUp();
  });

  it('while draining: tells a command and a click it is restarting, answers an event 503 for Slack to send again, and /health on PORT says stopping', async () => {
    const { slack, cleanUp } = await started();
    expect(slack.running.health()).toEqual({ ready: true });
    slack.fake.slowDown('users.info', 800);
    expect((await slack.command('/explain', 'acks', 'in-flight')).status).toBe(200);
    let drained: boolean | undefined;
    const draining = slack.running.drain(Date.now() + 5000).then((ok) => (drained = ok));
    expect(slack.running.health()).toEqual({ ready: false });
    const health = await fetch(`${slack.base}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, status: 'stopping', platform: 'slack', platforms: { slack: { ready: false } } });
    // Slack never sends a command or a click again: each is told, privately.
    expect(await slack.command('/explain', 'acks', 'too-late')).toEqual({ status: 200, body: JSON.stringify({ response_type: 'ephemeral', text: RESTARTING }) });
    expect((await slack.click({ action_id: 'explain:kafka/acks' }, 'click-late')).status).toBe(200);
    expect((await slack.fake.firstResponseTo('click-late')).body).toEqual({ response_type: 'ephemeral', replace_original: false, text: RESTARTING });
    // Slack sends an event again after an error answer, to a process that takes it.
    expect((await slack.event({ type: 'app_mention', user: 'UALICE', channel: 'CGENERAL', text: '<@UBOTFAKE> acks' })).status).toBe(503);
    expect(drained).toBeUndefined();
    await draining;
    expect(drained).toBe(true);
    expect(slack.fake.responsesTo('in-flight')).toHaveLength(1);
    expect(slack.fake.responsesTo('too-late')).toHaveLength(0);
    expect(slack.fake.messagesIn('CGENERAL')).toHaveLength(0);
    await slack.running.stop();
    await cleanUp();
  });

  it('stops after its limit when a post never finishes, saying what was cut off', async () => {
    const lines: string[] = [];
    const { slack, cleanUp } = await started({ drainMs: 300, log: recordingLog(lines) });
    slack.fake.hold('chat.postMessage', () => true, { deliver: false });
    void slack.app.messengers.send('slack:TFAKE:CSTUCK', { blocks: [text('stuck')] }).catch(() => undefined);
    await slack.fake.firstCallOf('chat.postMessage');
    const stopping = Date.now();
    await slack.running.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(lines).toContain("slack: at the stop's deadline, 0 request(s) and 1 post(s) or edit(s) were still under way");
    await cleanUp();
  });
});

describe('npm start with Slack over HTTP, stopped by SIGTERM', () => {
  it('stops taking Slack requests at once, answers the one it took, and exits 0', async () => {
    const fake = await new FakeSlack().start();
    try {
      const port = await freePort();
      const main = new MainProcess({ KNOWLEDGE_DIR: dir, SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port) });
      await main.waitForLog(/Slack started/);
      const command = (id: string) => {
        const body = slashCommandForm({ command: '/explain', text: 'acks', responseUrl: fake.responseUrl(id), userId: 'UALICE', triggerId: `${id}.1.2` });
        return fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SIGNING_SECRET, body) }, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
      };
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      // A command is being answered (Slack holds the user lookup) when the stop is asked for.
      let answer!: () => void;
      const held = new Promise<void>((resolve) => fake.hold('users.info', () => true, { deliver: true, onHeld: (send) => ((answer = send), resolve()) }));
      expect((await command('in-flight')).status).toBe(200);
      await held;
      main.kill('SIGTERM');
      await main.waitForLog(/stopping \(SIGTERM\)/);
      expect(await command('too-late')).toEqual({ status: 200, body: JSON.stringify({ response_type: 'ephemeral', text: RESTARTING }) });
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, status: 'stopping' });
      answer();
      const { code } = await main.exited;
      expect(code, main.stderr).toBe(0);
      expect(fake.responsesTo('in-flight')).toHaveLength(1);
      expect(fake.responsesTo('too-late')).toHaveLength(0);
      expect(main.stderr).toMatch(/stopped in \d+ ms/);
    } finally {
      await fake.close();
    }
  });
});

/** Polls `done` until it holds; fails after `ms`. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Slack in Socket Mode', () => {
  const command = (text: string, responseId: string) => Object.fromEntries(new URLSearchParams(slashCommandForm({ command: '/explain', text, responseUrl: '', userId: 'UALICE', channelId: 'CGENERAL', triggerId: `${responseId}.1` })));

  it('is ready while connected, not once the connection drops, and again once it is back', async () => {
    const fake = await new FakeSlack().start();
    const { app } = testApp(dir);
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
    const running = await slackPlatform.start(app, slackPlatform.configure(config)!, silentLogger);
    try {
      expect(running.health()).toEqual({ ready: true });
      fake.dropSockets();
      await until(() => !running.health().ready, 2000);
      // Slack's client connects again on its own (after a few seconds).
      await until(() => running.health().ready, 15_000);
      expect(fake.callsOf('apps.connections.open')).toHaveLength(2);
    } finally {
      await running.stop();
      await app.close();
      await fake.close();
    }
  }, 20_000);

  it('while draining, acks a command with the restarting line and tells a mention so in the channel', async () => {
    const fake = await new FakeSlack().start();
    fake.addUser({ id: 'UALICE', display_name: 'Alice' });
    const { app } = testApp(dir);
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: fake.apiUrl, SQLITE_PATH: ':memory:' });
    const running = await slackPlatform.start(app, slackPlatform.configure(config)!, silentLogger);
    try {
      // Before the stop: acked empty, answered through response_url.
      expect(await fake.envelope('slash_commands', { ...command('acks', 'before'), response_url: fake.responseUrl('before') })).toEqual({});
      await fake.firstResponseTo('before');
      expect(await running.drain(Date.now() + 2000)).toBe(true);
      expect(running.health()).toEqual({ ready: false });
      expect(await fake.envelope('slash_commands', { ...command('acks', 'late'), response_url: fake.responseUrl('late') })).toEqual({ response_type: 'ephemeral', text: RESTARTING });
      // Over a socket, Bolt acks an event before anything sees it: Slack will not send it again, so the person is told.
      const mention = { type: 'event_callback', team_id: 'TFAKE', api_app_id: 'AFAKE', event_id: 'Ev1', event_time: 1700000002, event: { type: 'app_mention', user: 'UALICE', channel: 'CGENERAL', text: '<@UBOTFAKE> acks', ts: '1700000002.000001', event_ts: '1700000002.000001' }, authorizations: [{ team_id: 'TFAKE', user_id: 'UBOTFAKE', is_bot: true }] };
      await fake.envelope('events_api', mention);
      const told = await fake.firstCallOf('chat.postEphemeral');
      expect(told.params).toMatchObject({ channel: 'CGENERAL', user: 'UALICE', text: RESTARTING });
      expect(fake.responsesTo('late')).toHaveLength(0);
      expect(fake.messagesIn('CGENERAL')).toHaveLength(0);
    } finally {
      await running.stop();
      await app.close();
      await fake.close();
    }
  });
});
