import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
