import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// zod's v3 API (shipped in the zod package, kept there for good): it loads in a fifth of the time of
// v4's 95 modules, and every `npm start` reads the environment before anything else.
import { z } from 'zod/v3';
import { readDuration } from '../core/calendar.js';
import { closest } from '../core/text.js';
import { readZone } from '../core/zones.js';
import { ConfigError } from './config-error.js';

/** The package's own folder, so `backfill` finds its knowledge base from any working directory. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A whole number from min to max: `what` when it is no number or out of range, `whole` when it has a fraction. */
const wholeNumber = (min: number, max: number, what: string, whole = what) =>
  z.coerce.number({ message: what }).finite(what).int(whole).min(min, what).max(max, what);

/** Seconds, as a number or with a unit as /quiz and /settings read it ("30s", "1m30s"). */
const seconds = (def: number, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /[a-z]/i.test(v) ? (readDuration(v.trim())?.seconds ?? v) : v),
    wholeNumber(min, max, `expected a number of seconds from ${min} to ${max}, such as 30 or 30s`, `expected a whole number of seconds from ${min} to ${max}`),
  ).default(def);

/** A Slack token: `prefix`, then letters, digits and dashes (no space, quote or "Bearer "). `what`: which token and where it is found. */
const slackToken = (prefix: string, what: string) =>
  optionalText.refine((v) => v === undefined || new RegExp(`^${prefix}[A-Za-z0-9-]+$`).test(v), `expected ${what}: "${prefix}" then letters, digits and dashes`);

/** No space inside: a secret pasted with a second word or a line break. */
const oneWord = (what: string) => optionalText.refine((v) => v === undefined || !/\s/.test(v), `expected ${what}, one word without spaces`);

/** The signing secret, which the Slack app settings show beside the tokens: a token pasted here fails every request's signature. */
const signingSecret = (what: string) =>
  oneWord(what).refine((v) => v === undefined || !/^(xox[a-z]|xapp)-/.test(v), (v) => ({ message: `expected ${what}, not a token (this one starts with "${v!.slice(0, 5)}")` }));

/** Discord ids (snowflakes) are 64-bit numbers: 17 to 20 digits for anything made since 2015. */
export const DISCORD_ID = /^\d{17,20}$/;

/** Slack member ids: U012ABCDEF (W... on Enterprise Grid). */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

const PORT_RANGE = 'expected a port number from 1 to 65535';
const optionalPort = optionalText
  .refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535), PORT_RANGE)
  .transform((v) => (v === undefined ? undefined : Number(v)));

/** `0,1` or `0-3` or `0-3,8`: shard ids, each once, ascending; undefined when malformed. */
export function parseShardIds(text: string): number[] | undefined {
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return undefined;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

const url = (example: string) => optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), `expected an http(s) URL such as ${example}, or leave it unset`);

export const ConfigSchema = z.object({
  // Read before the rest (see loadDotEnv): listed so that it is a known name.
  ENV_FILE: optionalText,
  KNOWLEDGE_DIR: optionalText,
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'expected a postgres:// URL such as postgres://backfill:PASSWORD@localhost:5432/backfill, or leave it unset for SQLite'),
  SQLITE_PATH: optionalText,
  // Read as `/settings set timezone` reads a zone (CET, UTC+2, "berlin" suggests Europe/Berlin); empty is unset.
  DEFAULT_TIMEZONE: optionalText.transform((v, ctx) => {
    if (v === undefined) return 'UTC';
    const read = readZone(v);
    if (read && 'zone' in read) return read.zone;
    const near = read && 'hint' in read ? read.hint : read && 'error' in read ? read.suggestion : undefined;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected an IANA time zone such as Europe/Berlin or America/New_York${near ? `: did you mean ${near}?` : ''}` });
    return z.NEVER;
  }),
  QUIZ_ANSWER_SECONDS: seconds(20, 5, 600),
  DAILY_QUIZ_REVEAL_MINUTES: wholeNumber(5, 1380, 'expected a number of minutes from 5 to 1380', 'expected a whole number of minutes').default(240),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(['debug', 'info', 'warn', 'error', 'silent'], { message: 'expected one of debug, info, warn, error, silent' }).default('info'),
  ),
  SLACK_BOT_TOKEN: slackToken('xoxb-', 'the Bot User OAuth Token (Install App in the Slack app settings)'),
  SLACK_APP_TOKEN: slackToken('xapp-', 'an app-level token (Basic Information → App-Level Tokens)'),
  SLACK_SIGNING_SECRET: signingSecret('the Signing Secret (Basic Information → App Credentials)'),
  SLACK_API_URL: url('https://slack.com/api/'),
  SLACK_ADMIN_USERS: optionalText.refine(
    (v) => v === undefined || v.split(/[\s,]+/).filter(Boolean).every((id) => SLACK_USER_ID.test(id)),
    (v) => ({ message: `expected Slack member ids such as U012ABCDEF, separated by commas; "${v?.split(/[\s,]+/).find((id) => id && !SLACK_USER_ID.test(id))?.slice(0, 40)}" is not one (in Slack: a profile's ⋮ menu → Copy member ID)` }),
  ),
  SLACK_CLIENT_ID: optionalText.refine((v) => v === undefined || /^\d+\.\d+$/.test(v), 'expected the Client ID from Basic Information → App Credentials, e.g. 1234567890.1234567890'),
  SLACK_CLIENT_SECRET: oneWord('the Client Secret (Basic Information → App Credentials)'),
  SLACK_STATE_SECRET: optionalText.refine((v) => v === undefined || v.length >= 16, 'expected at least 16 characters of random text (it signs the OAuth state)'),
  PORT: wholeNumber(1, 65535, PORT_RANGE).default(3000),
  DISCORD_TOKEN: optionalText
    .refine((v) => v === undefined || /^[^\s"'`]+$/.test(v), 'expected the bot token (Developer Portal → your application → Bot → Reset Token), one word, without "Bot " or quotes')
    .refine((v) => v === undefined || !/^(?:xox[a-z]|xapp)-/.test(v), 'that is a Slack token (it goes in SLACK_BOT_TOKEN or SLACK_APP_TOKEN); expected the Discord bot token (Developer Portal → your application → Bot → Reset Token)')
    .refine((v) => v === undefined || !/^(?:your\b|<|\.\.\.$)/i.test(v), 'still the placeholder of the example; expected the bot token (Developer Portal → your application → Bot → Reset Token)'),
  DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || DISCORD_ID.test(v), 'expected the Application ID (Developer Portal → your application → General Information): 17 to 20 digits'),
  DISCORD_API_URL: url('https://discord.com/api'),
  DISCORD_SHARD_COUNT: optionalText.refine((v) => v === undefined || v === 'auto' || /^[1-9]\d{0,4}$/.test(v), 'expected a number of shards (1 or more) or "auto"'),
  DISCORD_SHARD_IDS: optionalText.refine((v) => v === undefined || parseShardIds(v) !== undefined, 'expected shard ids such as 0,1 or 0-3'),
  HEALTH_PORT: optionalPort,
});

/**
 * How this process runs Discord's gateway: one shard; a ShardingManager spawning a process per
 * shard (`DISCORD_SHARD_COUNT` alone); some shards of a bigger set (`DISCORD_SHARD_IDS` with the
 * count, one process of several); or as a process the manager spawned (discord.js's SHARDS and
 * SHARD_COUNT).
 */
export type DiscordShards =
  | { mode: 'single' }
  | { mode: 'manager'; count: number | 'auto' }
  | { mode: 'ids'; ids: number[]; count: number }
  | { mode: 'child'; ids: number[]; count: number };

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface Config extends Omit<RawConfig, 'KNOWLEDGE_DIR' | 'SQLITE_PATH'> {
  KNOWLEDGE_DIR: string;
  SQLITE_PATH: string;
  slackMode: 'socket' | 'http' | undefined;
  /** Distribution: workspaces install through OAuth (`/slack/install`), each with its own token; HTTP mode only. */
  slackOAuth: boolean;
  discordEnabled: boolean;
  discordShards: DiscordShards;
}

export { ConfigError };

/**
 * The configuration; when it is refused, the near misses a .env wrote (see misspeltSettings) are
 * said with the problems, since a misspelt name is often why a variable is missing.
 */
export function loadConfigNoting(misspelt: readonly string[], env: NodeJS.ProcessEnv = process.env, overridden: readonly string[] = [], file = '.env'): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError) || (!misspelt.length && !overridden.length)) throw err;
    // A value set in the shell wins over the .env: without a word, the operator fixes a .env that is right.
    const lines = err.lines.map((line) => (overridden.some((n) => line.startsWith(`${n}:`)) ? `${line} (this value comes from the environment, which overrides ${file})` : line));
    throw new ConfigError([...lines, ...misspelt]);
  }
}

/**
 * Names a .env sets that are near misses of a setting: a warning each, as the setting stays unset.
 * Misspelt ("SLACK_BOT_TOKN"), in lower case ("slack_bot_token"), or a guess at a Slack or Discord
 * setting's name ("SLACK_ADMINS", "DISCORD_APP_ID"): those get the settings sharing their words.
 */
export function misspeltSettings(names: readonly string[], file = '.env'): string[] {
  const known = Object.keys(ConfigSchema.shape);
  return names.filter((n) => !known.includes(n)).flatMap((n) => {
    const upper = n.toUpperCase();
    if (known.includes(upper)) return [`${file}: ${n} is no setting of Backfill's; did you mean ${upper}? (setting names are upper case)`];
    const near = guessed(upper, known) ?? closest(upper, known);
    return near ? [`${file}: ${n} is no setting of Backfill's; did you mean ${near}?`] : [];
  });
}

/** The settings of the platform a name starts with that hold its other words, or their beginnings ("ADMINS": SLACK_ADMIN_USERS). */
function guessed(name: string, known: string[]): string | undefined {
  const [platform, ...words] = name.split('_');
  if ((platform !== 'SLACK' && platform !== 'DISCORD') || words.length === 0) return undefined;
  // Discord's OAuth links call the application id the client id.
  const stems = words.filter(Boolean).map((w) => (platform === 'DISCORD' && w === 'CLIENT' ? 'APPLICATION' : w.replace(/S$/, '')));
  const holds = (setting: string) => stems.every((stem) => setting.split('_').slice(1).some((part) => part.startsWith(stem) || stem.startsWith(part)));
  const found = known.filter((k) => k.startsWith(`${platform}_`) && holds(k));
  return found.length ? found.join(' or ') : undefined;
}

/** A value a .env quoted on one side only ("xoxb-...' or "xoxb-...) keeps its quote: said, as the likely cause. */
function unclosedQuote(value: string | undefined): string {
  const v = value?.trim() ?? '';
  const first = v[0];
  const last = v[v.length - 1];
  const quotes = `"'\``;
  if (v.length && quotes.includes(first!) && (v.length === 1 || last !== first)) return `; it starts with ${first} but does not end with it: write the value without quotes, or close them`;
  if (v.length > 1 && quotes.includes(last!) && first !== last) return `; it ends with ${last} but does not start with it: write the value without quotes`;
  return '';
}

/** Reads and checks the environment; every problem is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    // One line per variable: the first thing wrong with it (zod checks on after a failed one).
    const lines = new Map<string, string>();
    for (const i of parsed.error.issues) {
      const name = String(i.path[0] ?? 'config');
      if (!lines.has(name)) lines.set(name, `${name}: ${i.message}${SECRET.test(name) ? '' : describe(env[name])}${unclosedQuote(env[name])}`);
    }
    throw new ConfigError([...lines.values()]);
  }
  const c = parsed.data;
  const problems: string[] = [];
  let slackMode: Config['slackMode'];
  const slackInstall = slackInstallKind(c, problems);
  const slackOAuth = slackInstall === 'oauth';
  if (slackInstall !== 'token') {
    if (slackOAuth && c.SLACK_SIGNING_SECRET) slackMode = 'http';
  } else if (c.SLACK_BOT_TOKEN) {
    if (c.SLACK_APP_TOKEN) slackMode = 'socket';
    else if (c.SLACK_SIGNING_SECRET) slackMode = 'http';
    // PORT set says HTTP mode was meant: the secret is what is missing.
    else if (env.PORT?.trim()) problems.push('SLACK_SIGNING_SECRET: required for HTTP mode (PORT is set): Basic Information → App Credentials → Signing Secret; or set SLACK_APP_TOKEN for Socket Mode instead');
    else problems.push('SLACK_BOT_TOKEN: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) with it');
  } else if (c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  }
  if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set (Developer Portal → your application → General Information)');
  else if (c.DISCORD_APPLICATION_ID && !c.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set (Developer Portal → your application → Bot → Reset Token); or unset DISCORD_APPLICATION_ID');
  const discordShards = shardsOf(c, env, problems);
  if (slackMode === 'http' && c.HEALTH_PORT === c.PORT) problems.push(`HEALTH_PORT: ${c.PORT} is PORT, where Slack's HTTP mode serves its own /health; choose another port or leave HEALTH_PORT unset`);
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    KNOWLEDGE_DIR: c.KNOWLEDGE_DIR ? resolve(cwd, c.KNOWLEDGE_DIR) : resolve(packageRoot, 'knowledge'),
    SQLITE_PATH: c.SQLITE_PATH === ':memory:' ? ':memory:' : resolve(cwd, c.SQLITE_PATH ?? 'data/backfill.sqlite'),
    slackMode,
    slackOAuth,
    discordEnabled: Boolean(c.DISCORD_TOKEN),
    discordShards,
  };
}

const SHARED_STATE = 'several shard processes share quizzes and daily posts through PostgreSQL: set DATABASE_URL';

function shardsOf(c: RawConfig, env: NodeJS.ProcessEnv, problems: string[]): DiscordShards {
  // Spawned by discord.js's ShardingManager, which passes this process's shard and the count.
  if (env['SHARDING_MANAGER'] && env['SHARDS'] !== undefined) {
    const ids = parseShardIds(String(env['SHARDS']).replace(/^\[|\]$/g, ''));
    const count = Number(env['SHARD_COUNT']);
    if (ids?.length && Number.isInteger(count) && count >= 1) return { mode: 'child', ids, count };
    problems.push(`SHARDS: expected the shard id the ShardingManager gives (got "${String(env['SHARDS'])}" of SHARD_COUNT "${String(env['SHARD_COUNT'])}")`);
    return { mode: 'single' };
  }
  const count = c.DISCORD_SHARD_COUNT === undefined || c.DISCORD_SHARD_COUNT === 'auto' ? c.DISCORD_SHARD_COUNT : Number(c.DISCORD_SHARD_COUNT);
  // Shards are Discord's: without its token, that is what is missing, not shared state.
  if ((c.DISCORD_SHARD_COUNT !== undefined || c.DISCORD_SHARD_IDS !== undefined) && !c.DISCORD_TOKEN) {
    problems.push(`${c.DISCORD_SHARD_COUNT !== undefined ? 'DISCORD_SHARD_COUNT' : 'DISCORD_SHARD_IDS'}: shards are Discord's; set DISCORD_TOKEN and DISCORD_APPLICATION_ID too, or unset it`);
    return { mode: 'single' };
  }
  if (c.DISCORD_SHARD_IDS !== undefined) {
    const ids = parseShardIds(c.DISCORD_SHARD_IDS)!;
    if (typeof count !== 'number') {
      problems.push('DISCORD_SHARD_IDS: set DISCORD_SHARD_COUNT with it, to the number of shards over all processes (not "auto")');
      return { mode: 'single' };
    }
    const beyond = ids.find((id) => id >= count);
    if (beyond !== undefined) problems.push(`DISCORD_SHARD_IDS: shard ${beyond} does not exist with DISCORD_SHARD_COUNT=${count} (ids run from 0 to ${count - 1})`);
    else if (ids.length < count && !c.DATABASE_URL) problems.push(`DISCORD_SHARD_IDS: this process runs ${ids.length} of ${count} shards, and ${SHARED_STATE}`);
    return { mode: 'ids', ids, count };
  }
  if (count === undefined || count === 1) return { mode: 'single' };
  if (count !== 'auto' && !c.DATABASE_URL) problems.push(`DISCORD_SHARD_COUNT: ${SHARED_STATE}`);
  return { mode: 'manager', count };
}

/** Why several shard processes cannot run on this configuration, or undefined when they can. */
export function sharedStateProblem(config: Pick<Config, 'DATABASE_URL'>, processes: number): string | undefined {
  return processes > 1 && !config.DATABASE_URL ? `DISCORD_SHARD_COUNT: Discord recommends ${processes} shards, and ${SHARED_STATE}` : undefined;
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/**
 * How Slack gets its tokens: `oauth` (many workspaces install it, each with its own token) when all
 * three OAuth variables are set; `token` (SLACK_BOT_TOKEN, one workspace) when none is; `invalid`
 * when only some are, each missing one a problem named by variable.
 */
function slackInstallKind(c: RawConfig, problems: string[]): 'token' | 'oauth' | 'invalid' {
  const set = OAUTH_VARIABLES.filter((name) => c[name] !== undefined);
  if (set.length === 0) return 'token';
  const missing = OAUTH_VARIABLES.filter((name) => c[name] === undefined);
  for (const name of missing) problems.push(`${name}: required with ${set.join(' and ')} for installing in many workspaces (OAuth); or unset ${set.length > 1 ? 'them' : 'it'} for one workspace with SLACK_BOT_TOKEN`);
  if (missing.length) return 'invalid';
  if (c.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: leave it unset with SLACK_CLIENT_ID (OAuth): each workspace gets its own token when it installs the app');
  if (c.SLACK_APP_TOKEN) problems.push(`SLACK_APP_TOKEN: installing in many workspaces (OAuth) runs in HTTP mode: unset it${c.SLACK_SIGNING_SECRET ? '' : ' and set SLACK_SIGNING_SECRET'}`);
  else if (!c.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID (OAuth): Slack sends events, commands and the OAuth redirect over HTTP');
  return 'oauth';
}

/** Variables whose values must never be printed. */
const SECRET = /TOKEN|SECRET|DATABASE_URL/;

function describe(value: string | undefined): string {
  if (value === undefined) return '';
  return ` (got "${value.length > 40 ? `${value.slice(0, 37)}...` : value}")`;
}

