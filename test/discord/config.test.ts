import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configProblem } from '../../src/adapters/discord/errors.js';
import { reportError } from '../../src/cli/errors.js';
import { commandName } from '../../src/cli/flags.js';
import { startShardManager } from '../../src/adapters/discord/manager.js';
import { ConfigError, loadConfig, parseShardIds } from '../../src/config/env.js';
import { configProblems } from '../helpers/config.js';
import { silentLogger } from '../../src/core/log.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { FakeDiscord } from './fake-discord.js';
import { APPLICATION_ID } from './payloads.js';

const discord = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: APPLICATION_ID };
const PG = { DATABASE_URL: 'postgres://backfill@db/backfill' };

const problems = configProblems;

describe('shard and health settings', () => {
  it('runs one shard by default, and a ShardingManager for a shard count alone', () => {
    expect(loadConfig(discord).discordShards).toEqual({ mode: 'single' });
    expect(loadConfig({ ...discord, DISCORD_SHARD_COUNT: '1' }).discordShards).toEqual({ mode: 'single' });
    expect(loadConfig({ ...discord, ...PG, DISCORD_SHARD_COUNT: '4' }).discordShards).toEqual({ mode: 'manager', count: 4 });
    expect(loadConfig({ ...discord, DISCORD_SHARD_COUNT: 'auto' }).discordShards).toEqual({ mode: 'manager', count: 'auto' });
  });

  it('runs the shards DISCORD_SHARD_IDS names, of the count, in this process', () => {
    expect(loadConfig({ ...discord, ...PG, DISCORD_SHARD_COUNT: '8', DISCORD_SHARD_IDS: '0-2, 6' }).discordShards).toEqual({ mode: 'ids', ids: [0, 1, 2, 6], count: 8 });
    // Every shard in one process shares nothing with another: SQLite is enough.
    expect(loadConfig({ ...discord, DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '0,1' }).discordShards).toEqual({ mode: 'ids', ids: [0, 1], count: 2 });
    expect(parseShardIds('3-1')).toBeUndefined();
  });

  it('takes the shard a ShardingManager gives a process it started', () => {
    expect(loadConfig({ ...discord, DISCORD_SHARD_COUNT: 'auto', SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' }).discordShards).toEqual({ mode: 'child', ids: [1], count: 2 });
  });

  it('refuses what cannot work, one line each, naming the variable', () => {
    expect(problems({ ...discord, DISCORD_SHARD_COUNT: 'many' })).toEqual(['DISCORD_SHARD_COUNT: expected a number of shards (1 or more) or "auto" (got "many")']);
    expect(problems({ ...discord, DISCORD_SHARD_IDS: '0;1' })).toEqual(['DISCORD_SHARD_IDS: expected shard ids such as 0,1 or 0-3 (got "0;1")']);
    expect(problems({ ...discord, DISCORD_SHARD_IDS: '0' })).toEqual(['DISCORD_SHARD_IDS: set DISCORD_SHARD_COUNT with it, to the number of shards over all processes (not "auto")']);
    expect(problems({ ...discord, ...PG, DISCORD_SHARD_COUNT: '4', DISCORD_SHARD_IDS: '2,4' })).toEqual(['DISCORD_SHARD_IDS: shard 4 does not exist with DISCORD_SHARD_COUNT=4 (ids run from 0 to 3)']);
    expect(problems({ ...discord, DISCORD_SHARD_COUNT: '2' })).toEqual(['DISCORD_SHARD_COUNT: several shard processes share quizzes and daily posts through PostgreSQL: set DATABASE_URL']);
    // Without Discord's token, that is what is missing.
    expect(problems({ DISCORD_SHARD_COUNT: '2' })).toEqual(["DISCORD_SHARD_COUNT: shards are Discord's; set DISCORD_TOKEN and DISCORD_APPLICATION_ID too, or unset it"]);
    expect(problems({ ...discord, DISCORD_SHARD_COUNT: '4', DISCORD_SHARD_IDS: '0,1' })).toEqual(['DISCORD_SHARD_IDS: this process runs 2 of 4 shards, and several shard processes share quizzes and daily posts through PostgreSQL: set DATABASE_URL']);
    expect(problems({ HEALTH_PORT: '70000' })).toEqual(['HEALTH_PORT: expected a port number from 1 to 65535 (got "70000")']);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080', HEALTH_PORT: '8080' })).toEqual([
      "HEALTH_PORT: 8080 is PORT, where Slack's HTTP mode serves its own /health; choose another port or leave HEALTH_PORT unset",
    ]);
    expect(loadConfig({ HEALTH_PORT: '9090' }).HEALTH_PORT).toBe(9090);
  });
});

describe('DISCORD_SHARD_COUNT=auto when Discord recommends several shards', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ shards: 3 });
  });
  afterAll(() => fake.close());

  it('asks Discord through DISCORD_API_URL, and refuses SQLite before starting any process', async () => {
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl, DISCORD_SHARD_COUNT: 'auto' });
    const { app } = testApp(writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }]));
    const err = await startShardManager(app, { ...config, count: 'auto' }, silentLogger).catch((e: unknown) => e);
    await app.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines).toEqual(['DISCORD_SHARD_COUNT: Discord recommends 3 shards, and several shard processes share quizzes and daily posts through PostgreSQL: set DATABASE_URL']);
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /gateway/bot']);
    expect(fake.connections).toBe(0);
  });
});

describe('a start that cannot reach Discord', () => {
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND' });

  it("blames the network when Discord's own API was meant, and DISCORD_API_URL when it was set", () => {
    expect(configProblem(dns, {})?.lines).toEqual(["could not reach Discord's API (ENOTFOUND): check this machine's network (DNS, proxy, firewall)"]);
    expect(configProblem(dns, { DISCORD_API_URL: 'http://127.0.0.1:9/api' })?.lines).toEqual(['DISCORD_API_URL: could not reach http://127.0.0.1:9/api (ENOTFOUND)']);
  });

  it('says the settings are well formed when only the network is at fault, so that nobody edits a right .env', () => {
    const said = (err: unknown, doing?: string) => {
      let out = '';
      const code = reportError(err, (s) => (out += s), doing);
      return { code, heading: out.split('\n')[0] };
    };
    expect(said(configProblem(dns, {}))).toEqual({ code: 2, heading: 'Could not start (the settings are well formed, but the service could not be reached to check them):' });
    expect(said(configProblem(dns, { DISCORD_API_URL: 'http://127.0.0.1:9/api' }))).toEqual({ code: 2, heading: 'Configuration problem (see .env.example):' });
  });

  it('names the command that could not reach Discord, when it was not a start', () => {
    // What the CLI passes: the command as its help names it, whatever flags and values follow.
    const doing = `run "backfill ${commandName(['discord', 'deploy', '--guild', '123456789012345678'])}"`;
    let out = '';
    reportError(configProblem(dns, {}), (s) => (out += s), doing);
    expect(out.split('\n')[0]).toBe('Could not run "backfill discord deploy" (the settings are well formed, but the service could not be reached to check them):');
    expect(commandName(['quiz', 'sample', '--topic', 'kafka'])).toBe('quiz sample');
    expect(commandName(['--json', 'explain', 'kafka', 'acks'])).toBe('explain');
    expect(commandName(['nonsense'])).toBe('nonsense');
  });
});
