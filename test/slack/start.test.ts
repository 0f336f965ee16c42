import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, slackSignature, slashCommandForm } from './fake-slack.js';
import { startSlack } from '../../src/adapters/slack/slack.js';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { freePort, MainProcess, STACK_LINE } from '../helpers/spawn-main.js';

/** `npm start` with Slack configured, as a real process: what an operator sees when Slack is away. */

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] },
  { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['isr'] },
]);
const SECRET = 'start-test-secret';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const slackEnv = (apiUrl: string, extra: Record<string, string> = {}) => ({
  KNOWLEDGE_DIR: dir,
  SQLITE_PATH: ':memory:',
  SLACK_BOT_TOKEN: 'xoxb-start',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: apiUrl,
  ...extra,
});

/** The problem lines of a configuration error: every line after the heading. */
const problemLines = (stderr: string) => stderr.slice(stderr.indexOf('Configuration problem')).trim().split('\n').slice(1);

describe('starting with Slack when Slack cannot be reached', () => {
  it('names SLACK_API_URL in one line, without a stack trace, and exits 2 within seconds when nothing listens there', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api/`;
    const main = new MainProcess(slackEnv(closed, { PORT: String(await freePort()) }));
    const { code, ms } = await main.exited;
    expect(code).toBe(2);
    expect(problemLines(main.stderr)).toEqual([`  SLACK_API_URL: could not reach ${closed} (ECONNREFUSED)`]);
    expect(main.stderr).not.toMatch(STACK_LINE);
    expect(main.stderr).not.toMatch(/WARN|http request failed/);
    expect(ms).toBeLessThan(10_000);
  });

  it('says Slack may be down when its API answers 503', async () => {
    fake.fail('auth.test', { status: 503 }, 10);
    const main = new MainProcess(slackEnv(fake.apiUrl, { PORT: String(await freePort()) }));
    const { code } = await main.exited;
    expect(code).toBe(2);
    expect(problemLines(main.stderr)).toEqual([`  SLACK_API_URL: ${fake.apiUrl} answered HTTP 503; Slack may be down, try again later`]);
    expect(main.stderr).not.toMatch(STACK_LINE);
  });

  it('names PORT in one line, without a stack trace, when another program holds the port', async () => {
    const { createServer } = await import('node:net');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const main = new MainProcess(slackEnv(fake.apiUrl, { PORT: String(port) }));
      const { code } = await main.exited;
      expect(code).toBe(2);
      expect(problemLines(main.stderr)).toEqual([`  PORT: port ${port} is already in use`]);
      expect(main.stderr).not.toMatch(STACK_LINE);
    } finally {
      holder.close();
    }
  });

  it('gives up on an API that never answers, naming it', async () => {
    fake.slowDown('auth.test', 3000);
    const { app } = testApp(dir);
    const config = { ...loadConfig(slackEnv(fake.apiUrl)), PORT: 0 };
    const started = Date.now();
    const err = await startSlack(app, config, silentLogger, { host: '127.0.0.1', startTimeoutMs: 200 }).catch((e: unknown) => e);
    await app.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines).toEqual([`SLACK_API_URL: no answer from ${fake.apiUrl} within 200 ms`]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('a running Slack process and a request that used to kill it', () => {
  it('answers a signed payload=null with 400, keeps serving, and stops cleanly on SIGTERM', async () => {
    fake.addUser({ id: 'UALICE', display_name: 'Alice' });
    const port = await freePort();
    const main = new MainProcess(slackEnv(fake.apiUrl, { PORT: String(port) }));
    try {
      await main.waitForLog(/slack: HTTP mode, listening/);
      const events = `http://127.0.0.1:${port}/slack/events`;
      const post = (body: string, type: string) => fetch(events, { method: 'POST', headers: { 'content-type': type, ...slackSignature(SECRET, body) }, body });

      expect((await post('payload=null', 'application/x-www-form-urlencoded')).status).toBe(400);
      expect((await post('null', 'application/json')).status).toBe(400);
      await new Promise((r) => setTimeout(r, 200));
      expect(main.alive).toBe(true);

      const form = slashCommandForm({ command: '/explain', text: 'producer acks', responseUrl: fake.responseUrl('after-null'), userId: 'UALICE', triggerId: 'after-null' });
      expect((await post(form, 'application/x-www-form-urlencoded')).status).toBe(200);
      expect((await fake.firstResponseTo('after-null')).body['text']).toContain('Producer acks');
      expect(main.stderr).toMatch(/answered 400 to POST \/slack\/events: the body is null, not an object/);
    } finally {
      main.kill('SIGTERM');
    }
    const { code } = await main.exited;
    expect(code).toBe(0);
  });
});
