import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The package's own folder, so `backfill` finds its knowledge base from any working directory. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const seconds = (def: number, min: number, max: number) =>
  z.coerce.number({ error: `expected a number of seconds from ${min} to ${max}` }).int(`expected a whole number of seconds from ${min} to ${max}`).min(min, `expected a number of seconds from ${min} to ${max}`).max(max, `expected a number of seconds from ${min} to ${max}`).default(def);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const prefixed = (prefix: string, what: string) =>
  optionalText.refine((v) => v === undefined || v.startsWith(prefix), `expected ${what} starting with "${prefix}"`);

const url = optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'expected an http(s) URL');

export const ConfigSchema = z.object({
  KNOWLEDGE_DIR: optionalText,
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'expected a postgres:// URL'),
  SQLITE_PATH: optionalText,
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin or America/New_York'),
  QUIZ_ANSWER_SECONDS: seconds(20, 5, 600),
  DAILY_QUIZ_REVEAL_MINUTES: z.coerce
    .number({ error: 'expected a number of minutes from 5 to 1380' })
    .int('expected a whole number of minutes')
    .min(5, 'expected a number of minutes from 5 to 1380')
    .max(1380, 'expected a number of minutes from 5 to 1380')
    .default(240),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'expected one of debug, info, warn, error, silent' }).default('info'),
  SLACK_BOT_TOKEN: prefixed('xoxb-', 'a bot token'),
  SLACK_APP_TOKEN: prefixed('xapp-', 'an app-level token'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: url,
  SLACK_ADMIN_USERS: optionalText,
  PORT: z.coerce.number({ error: 'expected a port number from 1 to 65535' }).int('expected a port number from 1 to 65535').min(1, 'expected a port number from 1 to 65535').max(65535, 'expected a port number from 1 to 65535').default(3000),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), 'expected the numeric application id'),
  DISCORD_API_URL: url,
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface Config extends Omit<RawConfig, 'KNOWLEDGE_DIR' | 'SQLITE_PATH'> {
  KNOWLEDGE_DIR: string;
  SQLITE_PATH: string;
  slackMode: 'socket' | 'http' | undefined;
  discordEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment; every problem is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? 'config');
        return `${name}: ${i.message}${SECRET.test(name) ? '' : describe(env[name])}`;
      }),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  let slackMode: Config['slackMode'];
  if (c.SLACK_BOT_TOKEN) {
    if (c.SLACK_APP_TOKEN) slackMode = 'socket';
    else if (c.SLACK_SIGNING_SECRET) slackMode = 'http';
    else problems.push('SLACK_BOT_TOKEN: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) with it');
  } else if (c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  }
  if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    KNOWLEDGE_DIR: c.KNOWLEDGE_DIR ? resolve(cwd, c.KNOWLEDGE_DIR) : resolve(packageRoot, 'knowledge'),
    SQLITE_PATH: c.SQLITE_PATH === ':memory:' ? ':memory:' : resolve(cwd, c.SQLITE_PATH ?? 'data/backfill.sqlite'),
    slackMode,
    discordEnabled: Boolean(c.DISCORD_TOKEN),
  };
}

/** Variables whose values must never be printed. */
const SECRET = /TOKEN|SECRET|DATABASE_URL/;

function describe(value: string | undefined): string {
  if (value === undefined) return '';
  return ` (got "${value.length > 40 ? `${value.slice(0, 37)}...` : value}")`;
}

/** Loads a .env file from the working directory into process.env, without overriding what is set. */
export function loadDotEnv(cwd = process.cwd()): void {
  const path = resolve(cwd, '.env');
  if (existsSync(path)) process.loadEnvFile(path);
}
