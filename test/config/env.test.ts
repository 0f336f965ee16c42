import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDotEnv } from '../../src/config/dotenv.js';
import { ConfigError, loadConfig, loadConfigNoting, misspeltSettings } from '../../src/config/env.js';
import { configProblems } from '../helpers/config.js';

const problems = configProblems;
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BOT_TOKEN = 'expected the Bot User OAuth Token (Install App in the Slack app settings): "xoxb-" then letters, digits and dashes';

describe('the environment, checked with zod', () => {
  it('gives defaults and reads numbers, levels and zones with the spaces around them trimmed', () => {
    const c = loadConfig({ QUIZ_ANSWER_SECONDS: ' 30 ', DEFAULT_TIMEZONE: ' Europe/Berlin ', HEALTH_PORT: ' 9000 ', LOG_LEVEL: 'warn', DATABASE_URL: '  ' });
    expect(c).toMatchObject({ QUIZ_ANSWER_SECONDS: 30, DEFAULT_TIMEZONE: 'Europe/Berlin', HEALTH_PORT: 9000, LOG_LEVEL: 'warn', DATABASE_URL: undefined, PORT: 3000, DAILY_QUIZ_REVEAL_MINUTES: 240 });
    // With a unit, as /quiz and /settings read it.
    expect(loadConfig({ QUIZ_ANSWER_SECONDS: '30s' }).QUIZ_ANSWER_SECONDS).toBe(30);
    expect(loadConfig({ QUIZ_ANSWER_SECONDS: '1m30s' }).QUIZ_ANSWER_SECONDS).toBe(90);
    expect(loadConfig({}).DEFAULT_TIMEZONE).toBe('UTC');
    // A level in capitals is the same level.
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).LOG_LEVEL).toBe('debug');
    // A zone is read as /settings reads one: abbreviations and offsets too; empty is unset.
    expect(loadConfig({ DEFAULT_TIMEZONE: 'europe/berlin' }).DEFAULT_TIMEZONE).toBe('Europe/Berlin');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'PST' }).DEFAULT_TIMEZONE).toBe('America/Los_Angeles');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'UTC+2' }).DEFAULT_TIMEZONE).toMatch(/^Etc\/GMT-2$/);
    expect(loadConfig({ DEFAULT_TIMEZONE: '' }).DEFAULT_TIMEZONE).toBe('UTC');
  });

  it('refuses a .env that is not a file with one line, rather than a stack trace', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backfill-dotenv-'));
    mkdirSync(join(cwd, '.env'));
    expect(() => loadDotEnv(cwd)).toThrowError(/^\.env: .+ is not a file; expected a file of NAME=value lines/);
  });

  it('reads the file ENV_FILE names instead of .env, none when it is "off", and refuses a name that is no file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backfill-dotenv-'));
    const name = `BACKFILL_TEST_FILE_${process.pid}`;
    writeFileSync(join(cwd, '.env'), `${name}=from-dotenv\n`);
    writeFileSync(join(cwd, 'other.env'), `${name}=from-other\nLOG_LEVEL debug\nslack_bot_token=x\n`);
    try {
      expect(loadDotEnv(cwd, 'off')).toEqual({ file: 'off', names: [], warnings: [] });
      expect(process.env[name]).toBeUndefined();
      const other = loadDotEnv(cwd, 'other.env');
      expect(other.names).toEqual([name, 'slack_bot_token']);
      expect(process.env[name]).toBe('from-other');
      // Its warnings name the file that was read.
      expect(other.warnings).toEqual(['other.env line 2: "LOG_LEVEL debug" has no "=" (expected NAME=value), so it is ignored']);
      expect(misspeltSettings(other.names, other.file)).toEqual(["other.env: slack_bot_token is no setting of Backfill's; did you mean SLACK_BOT_TOKEN? (setting names are upper case)"]);
      expect(() => loadDotEnv(cwd, 'missing.env')).toThrowError(/^ENV_FILE: there is no file .+missing\.env; expected a file of NAME=value lines, or "off" to read none$/);
    } finally {
      delete process.env[name];
      delete process.env.slack_bot_token;
    }
  });

  it('says when a refused value came from the environment, which wins over the .env the operator would look at', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backfill-dotenv-'));
    const name = `BACKFILL_TEST_SHELL_${process.pid}`;
    writeFileSync(join(cwd, '.env'), `${name}=from-dotenv\n`);
    process.env[name] = 'from-shell';
    try {
      expect(loadDotEnv(cwd).overridden).toEqual([name]);
      expect(process.env[name]).toBe('from-shell');
    } finally {
      delete process.env[name];
    }
    const refused = (() => {
      try {
        loadConfigNoting([], { LOG_LEVEL: 'verbose' }, ['LOG_LEVEL']);
      } catch (err) {
        return (err as ConfigError).lines;
      }
    })();
    expect(refused).toEqual(['LOG_LEVEL: expected one of debug, info, warn, error, silent (got "verbose") (this value comes from the environment, which overrides .env)']);
  });

  it('lets an operator\'s .env change nothing the test suite starts (the suite runs with ENV_FILE=off)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backfill-dotenv-'));
    writeFileSync(join(cwd, '.env'), 'SLACK_BOT_TOKEN=xoxb-1-2-abc\nDEFAULT_TIMEZONE=Nowhere/Atlantis\n');
    const start = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [join(REPO, 'dist', 'main.js')], { cwd, env: { ...env, SQLITE_PATH: ':memory:' }, input: '/explain kafka acks\n', encoding: 'utf8', timeout: 20_000 });
    expect(process.env.ENV_FILE).toBe('off');
    const suite = start(process.env);
    expect(suite.status, suite.stderr).toBe(0);
    expect(suite.stdout).toMatch(/acks/i);
    const { ENV_FILE: _off, ...operator } = process.env;
    const read = start(operator);
    expect(read.status).toBe(2);
    expect(read.stderr).toMatch(/DEFAULT_TIMEZONE/);
  });

  it('names the setting a guessed or lower-case name meant, which would otherwise stay unset without a word', () => {
    expect(misspeltSettings(['slack_bot_token', 'SLACK_TOKEN', 'SLACK_ADMINS', 'DISCORD_APP_ID', 'DISCORD_CLIENT_ID', 'PATH_OF_MINE'])).toEqual([
      ".env: slack_bot_token is no setting of Backfill's; did you mean SLACK_BOT_TOKEN? (setting names are upper case)",
      ".env: SLACK_TOKEN is no setting of Backfill's; did you mean SLACK_BOT_TOKEN or SLACK_APP_TOKEN?",
      ".env: SLACK_ADMINS is no setting of Backfill's; did you mean SLACK_ADMIN_USERS?",
      ".env: DISCORD_APP_ID is no setting of Backfill's; did you mean DISCORD_APPLICATION_ID?",
      ".env: DISCORD_CLIENT_ID is no setting of Backfill's; did you mean DISCORD_APPLICATION_ID?",
    ]);
  });

  it('says which .env lines it could not read, and which names are near misses of a setting', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backfill-dotenv-'));
    const name = `BACKFILL_TEST_${process.pid}`;
    // A quoted value over several lines is one value, not lines without "=".
    writeFileSync(join(cwd, '.env'), `# a comment\n${name}=set\nSLACK_BOT_TOKN=xoxb-1\nLOG_LEVEL debug\n=orphan\nPATH_OF_MINE=/x\n${name}_KEY="first line\nsecond line\nlast"\n`);
    try {
      const read = loadDotEnv(cwd);
      expect(process.env[name]).toBe('set');
      expect(read.warnings).toEqual([
        '.env line 4: "LOG_LEVEL debug" has no "=" (expected NAME=value), so it is ignored',
        '.env line 5: "=orphan" has no name before "=" (expected NAME=value, a name of letters, digits and _), so it is ignored',
      ]);
      expect(misspeltSettings(read.names)).toEqual(["SLACK_BOT_TOKN is no setting of Backfill's; did you mean SLACK_BOT_TOKEN?"].map((w) => `.env: ${w}`));
    } finally {
      delete process.env[name];
      delete process.env.SLACK_BOT_TOKN;
      delete process.env.PATH_OF_MINE;
      delete process.env[`${name}_KEY`];
    }
  });

  it('says one line per bad variable, what was expected, and the value unless it is a secret', () => {
    expect(problems({ QUIZ_ANSWER_SECONDS: 'abc' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "abc")']);
    expect(problems({ QUIZ_ANSWER_SECONDS: '601' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "601")']);
    expect(problems({ QUIZ_ANSWER_SECONDS: '11m' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "11m")']);
    // A fraction that is also out of range: one line, the first thing wrong.
    expect(problems({ QUIZ_ANSWER_SECONDS: '0.5' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a whole number of seconds from 5 to 600 (got "0.5")']);
    expect(problems({ QUIZ_ANSWER_SECONDS: 'Infinity' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "Infinity")']);
    expect(problems({ DAILY_QUIZ_REVEAL_MINUTES: '7.5' })).toEqual(['DAILY_QUIZ_REVEAL_MINUTES: expected a whole number of minutes (got "7.5")']);
    expect(problems({ DAILY_QUIZ_REVEAL_MINUTES: '1381' })).toEqual(['DAILY_QUIZ_REVEAL_MINUTES: expected a number of minutes from 5 to 1380 (got "1381")']);
    expect(problems({ LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL: expected one of debug, info, warn, error, silent (got "verbose")']);
    expect(problems({ DEFAULT_TIMEZONE: 'Mars/Olympus' })).toEqual(['DEFAULT_TIMEZONE: expected an IANA time zone such as Europe/Berlin or America/New_York (got "Mars/Olympus")']);
    expect(problems({ DEFAULT_TIMEZONE: 'berlin' })).toEqual(['DEFAULT_TIMEZONE: expected an IANA time zone such as Europe/Berlin or America/New_York: did you mean Europe/Berlin? (got "berlin")']);
    expect(problems({ DEFAULT_TIMEZONE: 'Europe/Berln' })).toEqual(['DEFAULT_TIMEZONE: expected an IANA time zone such as Europe/Berlin or America/New_York: did you mean Europe/Berlin? (got "Europe/Berln")']);
    expect(problems({ PORT: '' })).toEqual(['PORT: expected a port number from 1 to 65535 (got "")']);
    expect(problems({ PORT: '1.5' })).toEqual(['PORT: expected a port number from 1 to 65535 (got "1.5")']);
    expect(problems({ SLACK_API_URL: 'ftp://x' })).toEqual(['SLACK_API_URL: expected an http(s) URL such as https://slack.com/api/, or leave it unset (got "ftp://x")']);
    expect(problems({ DATABASE_URL: 'mysql://user:pw@db' })).toEqual(['DATABASE_URL: expected a postgres:// URL such as postgres://backfill:PASSWORD@localhost:5432/backfill, or leave it unset for SQLite']);
    expect(problems({ SLACK_BOT_TOKEN: 'secret-abc' })).toEqual([`SLACK_BOT_TOKEN: ${BOT_TOKEN}`]);
    // A quote on one side only stays in the value: said as the likely cause.
    expect(problems({ SLACK_BOT_TOKEN: `"xoxb-1-2-abc'`, SLACK_APP_TOKEN: 'xapp-1-A-1-x' })).toEqual([
      `SLACK_BOT_TOKEN: ${BOT_TOKEN}; it starts with " but does not end with it: write the value without quotes, or close them`,
    ]);
    expect(problems({ QUIZ_ANSWER_SECONDS: '30"' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "30""); it ends with " but does not start with it: write the value without quotes']);
  });

  it('says what a credential looks like and where to find it, without printing a secret', () => {
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123' })).toEqual([
      'DISCORD_APPLICATION_ID: expected the Application ID (Developer Portal → your application → General Information): 17 to 20 digits (got "123")',
    ]);
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789012345678901' })[0]).toContain('17 to 20 digits (got "123456789012345678901")');
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789012345678' })).toEqual([]);
    // A bot token alone: which partner is missing, the signing secret when PORT says HTTP mode was meant.
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual(['SLACK_BOT_TOKEN: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) with it']);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', PORT: '3000' })).toEqual([
      'SLACK_SIGNING_SECRET: required for HTTP mode (PORT is set): Basic Information → App Credentials → Signing Secret; or set SLACK_APP_TOKEN for Socket Mode instead',
    ]);
    // The README's placeholder, and a Slack token pasted in the wrong place, are named for what they are.
    const id = { DISCORD_APPLICATION_ID: '123456789012345678' };
    expect(problems({ DISCORD_TOKEN: 'your-bot-token', ...id })).toEqual(['DISCORD_TOKEN: still the placeholder of the example; expected the bot token (Developer Portal → your application → Bot → Reset Token)']);
    expect(problems({ DISCORD_TOKEN: 'xoxb-1-2-abc', ...id })).toEqual(['DISCORD_TOKEN: that is a Slack token (it goes in SLACK_BOT_TOKEN or SLACK_APP_TOKEN); expected the Discord bot token (Developer Portal → your application → Bot → Reset Token)']);
    // Malformed secrets: what was expected, never the value.
    for (const [env, line] of [
      [{ SLACK_BOT_TOKEN: 'xoxb-', SLACK_APP_TOKEN: 'xapp-1' }, `SLACK_BOT_TOKEN: ${BOT_TOKEN}`],
      [{ SLACK_BOT_TOKEN: 'xoxb-12 34', SLACK_APP_TOKEN: 'xapp-1' }, `SLACK_BOT_TOKEN: ${BOT_TOKEN}`],
      [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: '"xapp-1-A2"' }, 'SLACK_APP_TOKEN: expected an app-level token (Basic Information → App-Level Tokens): "xapp-" then letters, digits and dashes'],
      [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abc def' }, 'SLACK_SIGNING_SECRET: expected the Signing Secret (Basic Information → App Credentials), one word without spaces'],
      [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'xoxb-1-2-abc' }, 'SLACK_SIGNING_SECRET: expected the Signing Secret (Basic Information → App Credentials), not a token (this one starts with "xoxb-")'],
      [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'xapp-1-A0-1-ff' }, 'SLACK_SIGNING_SECRET: expected the Signing Secret (Basic Information → App Credentials), not a token (this one starts with "xapp-")'],
      [{ DISCORD_TOKEN: 'Bot MTk4.Cl2F.ZnCj', DISCORD_APPLICATION_ID: '123456789012345678' }, 'DISCORD_TOKEN: expected the bot token (Developer Portal → your application → Bot → Reset Token), one word, without "Bot " or quotes'],
    ] as const) {
      const lines = problems(env);
      expect(lines, JSON.stringify(env)).toEqual([line]);
      for (const value of Object.values(env)) if (value.length > 6) expect(lines[0]).not.toContain(value);
    }
    // Half a Discord configuration is refused, as half a Slack one is, rather than silently ignored.
    expect(problems({ DISCORD_APPLICATION_ID: '123456789012345678' })).toEqual([
      'DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set (Developer Portal → your application → Bot → Reset Token); or unset DISCORD_APPLICATION_ID',
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ADMIN_USERS: 'U012ABCDEF, @alice' })).toEqual([
      'SLACK_ADMIN_USERS: expected Slack member ids such as U012ABCDEF, separated by commas; "@alice" is not one (in Slack: a profile\'s ⋮ menu → Copy member ID) (got "U012ABCDEF, @alice")',
    ]);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ADMIN_USERS: 'U012ABCDEF W0XYZ' }).SLACK_ADMIN_USERS).toBe('U012ABCDEF W0XYZ');
  });

  it('lists every bad variable, in the order of the schema', () => {
    expect(problems({ QUIZ_ANSWER_SECONDS: 'x', PORT: 'y', SLACK_BOT_TOKEN: 'nope', LOG_LEVEL: 'z' })).toEqual([
      'QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "x")',
      'LOG_LEVEL: expected one of debug, info, warn, error, silent (got "z")',
      `SLACK_BOT_TOKEN: ${BOT_TOKEN}`,
      'PORT: expected a port number from 1 to 65535 (got "y")',
    ]);
  });
});
