import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../src/adapters/discord/discord.js';
import { StartStopped } from '../../src/adapters/start-stopped.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/core/log.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { freePort, MainProcess, STACK_LINE } from '../helpers/spawn-main.js';
import { FakeDiscord } from './fake-discord.js';
import { APPLICATION_ID } from './payloads.js';

/** `npm start` with Discord configured, as a real process, when Discord cannot be used. */

const dir = writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] }]);
let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake.close();
});

const discordEnv = (apiUrl: string) => ({ KNOWLEDGE_DIR: dir, SQLITE_PATH: ':memory:', DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: apiUrl });
const problemLines = (stderr: string) => stderr.slice(stderr.indexOf('Configuration problem')).trim().split('\n').slice(1);

describe('starting with Discord when Discord cannot be used', () => {
  it('says Discord may be down, in one line and without a stack trace, when its API answers 503', async () => {
    fake.failNext({ method: 'GET', path: /^\/gateway\/bot$/, status: 503, body: { code: 0, message: 'Service Unavailable' }, times: 10 });
    const main = new MainProcess(discordEnv(fake.apiUrl));
    const { code, ms } = await main.exited;
    expect(code).toBe(2);
    expect(problemLines(main.stderr)).toEqual([`  DISCORD_API_URL: ${fake.apiUrl} answered HTTP 503; Discord may be down, try again later`]);
    expect(main.stderr).not.toMatch(STACK_LINE);
    expect(ms).toBeLessThan(10_000);
  });

  it('names DISCORD_API_URL when what answers there is not Discord\'s API', async () => {
    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((ready) => other.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/api`;
    try {
      const main = new MainProcess(discordEnv(url));
      const { code } = await main.exited;
      expect(code).toBe(2);
      expect(problemLines(main.stderr)).toEqual([expect.stringMatching(new RegExp(`^  DISCORD_API_URL: ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} did not answer as Discord's API does \\(.+\\); leave it unset to use Discord's$`))]);
      expect(main.stderr).not.toMatch(STACK_LINE);
    } finally {
      other.close();
    }
  });

  it('names DISCORD_API_URL when nothing listens there', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api`;
    const main = new MainProcess(discordEnv(closed));
    const { code } = await main.exited;
    expect(code).toBe(2);
    expect(problemLines(main.stderr)).toEqual([`  DISCORD_API_URL: could not reach ${closed} (ECONNREFUSED)`]);
    expect(main.stderr).not.toMatch(STACK_LINE);
  });
});

describe('a login whose gateway cannot be reached', () => {
  it('says so in the log while it keeps trying, naming the gateway and the reason, and gives up when a stop is asked for', async () => {
    const closed = `ws://127.0.0.1:${await freePort()}`;
    const away = await FakeDiscord.start({ gatewayUrl: closed });
    const { app } = testApp(dir);
    const lines: string[] = [];
    const log = createLogger('warn', (line) => lines.push(line));
    const config = loadConfig({ DISCORD_TOKEN: away.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: away.apiUrl });
    const stop = new AbortController();
    const starting = startDiscord(app, config, log, { connectNoticeMs: 300, signal: stop.signal }).catch((e: unknown) => e);
    try {
      await expect.poll(() => lines.filter((l) => /still connecting/.test(l)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(lines.find((l) => /still connecting/.test(l))).toMatch(
        new RegExp(`WARN discord: still connecting to ${closed} after \\d+ s \\(.*(?:network error|unexpected code).*\\): check that this machine may open a WebSocket \\(wss://, port 443\\) to it`),
      );
      stop.abort();
      expect(await starting).toBeInstanceOf(StartStopped);
      const said = lines.length;
      await new Promise((r) => setTimeout(r, 700));
      expect(lines.length).toBe(said);
    } finally {
      await app.close();
      await away.close();
    }
  });

  it('stops at once, with exit code 0, when SIGTERM comes while it still connects', async () => {
    const away = await FakeDiscord.start({ gatewayUrl: `ws://127.0.0.1:${await freePort()}` });
    try {
      const main = new MainProcess({ ...discordEnv(away.apiUrl), DISCORD_TOKEN: away.token, HEALTH_PORT: String(await freePort()) });
      await main.waitForLog(/knowledge base/);
      await new Promise((r) => setTimeout(r, 1500));
      main.kill('SIGTERM');
      const { code } = await main.exited;
      expect(code).toBe(0);
      expect(main.stderr).not.toMatch(/still stopping after/);
      expect(main.stderr).not.toMatch(STACK_LINE);
    } finally {
      await away.close();
    }
  });
});
