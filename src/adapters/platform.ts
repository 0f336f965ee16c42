import type { Backfill } from '../app.js';
import type { Config } from '../config/env.js';
import type { Conventions } from '../core/conventions.js';
import type { Logger } from '../core/log.js';
import { consoleConventions } from './console/console.js';
import { discordConventions } from './discord/conventions.js';
import type { DiscordConfig, DiscordOptions, RunningDiscord } from './discord/discord.js';
import type { RunningShards, ShardManagerConfig, ShardManagerOptions } from './discord/manager.js';
import type { PlatformHealth } from './health.js';
import { slackConventions } from './slack/conventions.js';
import type { RunningSlack, SlackConfig, SlackOptions } from './slack/slack.js';

/** A platform that is up: it receives events and posts for the core until stopped. */
export interface RunningPlatform {
  /** Disconnects; what is still being sent at `until` (ms since the epoch; no limit by default) is cut off. */
  stop(until?: number): Promise<void>;
  /** Connected and taking requests, for the health endpoint (without it: ready while running). */
  health?(): PlatformHealth;
  /**
   * For a graceful stop: take no new requests (those arriving are told the bot is restarting), and
   * resolve once those taken are answered, or at `until` (ms since the epoch): false when some were
   * cut off then.
   */
  drain?(until: number): Promise<boolean>;
}

/**
 * One chat platform, as every one of them is run: its slice of the configuration (absent when it is
 * not configured), how it names commands to people, and how it starts. Starting connects, attaches
 * its messenger and conventions to the app (`app.attach`), and begins receiving. Adapters only
 * translate: platform events become Incoming requests for the core, Replies become messages.
 */
export interface Platform<Slice = unknown, Options = unknown, Running extends RunningPlatform = RunningPlatform> {
  /** The address prefix it serves: `slack` reaches `slack:T1:C1`. */
  id: string;
  name: string;
  configure(config: Config): Slice | undefined;
  conventions: Conventions;
  /**
   * `options`: what tests and benchmarks set (a loopback host, fake time for the channel lanes).
   * `signal`: a stop asked for while it connects; a platform that may wait long (Discord's gateway,
   * Slack's Socket Mode WebSocket) gives up then, with StartStopped.
   */
  start(app: Backfill, slice: Slice, log: Logger, options?: Options, signal?: AbortSignal): Promise<Running>;
}

/** Runs a platform with its slice of the configuration, or nothing when it is not configured. */
export async function startPlatform<S>(platform: Platform<S, never>, app: Backfill, config: Config, log: Logger, signal?: AbortSignal): Promise<RunningPlatform | undefined> {
  const slice = platform.configure(config);
  return slice === undefined ? undefined : platform.start(app, slice, log, undefined, signal);
}

/** Slack, in Socket Mode or HTTP mode. Bolt loads only when it is configured. */
export const slackPlatform: Platform<SlackConfig, SlackOptions, RunningSlack> = {
  id: 'slack',
  name: 'Slack',
  conventions: slackConventions,
  configure: (c) => (c.slackMode ? { slackMode: c.slackMode, SLACK_BOT_TOKEN: c.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: c.SLACK_APP_TOKEN, SLACK_SIGNING_SECRET: c.SLACK_SIGNING_SECRET, SLACK_API_URL: c.SLACK_API_URL, SLACK_ADMIN_USERS: c.SLACK_ADMIN_USERS, PORT: c.PORT, slackOAuth: c.slackOAuth, SLACK_CLIENT_ID: c.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: c.SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: c.SLACK_STATE_SECRET } : undefined),
  start: async (app, slice, log, options, signal) => (await import('./slack/slack.js')).startSlack(app, slice, log, { ...options, signal: signal ?? options?.signal }),
};

/** Discord, through the gateway. discord.js loads only when it is configured. */
export const discordPlatform: Platform<DiscordConfig, DiscordOptions, RunningDiscord> = {
  id: 'discord',
  name: 'Discord',
  conventions: discordConventions,
  configure: (c) => (c.discordEnabled && c.discordShards.mode !== 'manager' ? { DISCORD_TOKEN: c.DISCORD_TOKEN, DISCORD_APPLICATION_ID: c.DISCORD_APPLICATION_ID, DISCORD_API_URL: c.DISCORD_API_URL, discordShards: c.discordShards } : undefined),
  start: async (app, slice, log, options, signal) => (await import('./discord/discord.js')).startDiscord(app, slice, log, { ...options, signal: signal ?? options?.signal }),
};

/**
 * Discord as one process per shard (DISCORD_SHARD_COUNT alone): this process runs discord.js's
 * ShardingManager, and each shard process runs the Discord platform above for its shard (with
 * `auto` and one shard recommended, the platform above runs in this process instead).
 */
export const discordShardsPlatform: Platform<ShardManagerConfig, ShardManagerOptions, RunningShards | RunningDiscord> = {
  id: 'discord',
  name: 'Discord shards',
  conventions: discordConventions,
  configure: (c) =>
    c.discordEnabled && c.discordShards.mode === 'manager'
      ? { DISCORD_TOKEN: c.DISCORD_TOKEN, DISCORD_APPLICATION_ID: c.DISCORD_APPLICATION_ID, DISCORD_API_URL: c.DISCORD_API_URL, DATABASE_URL: c.DATABASE_URL, count: c.discordShards.count }
      : undefined,
  start: async (app, slice, log, options) => (await import('./discord/manager.js')).startShardManager(app, slice, log, options),
};

/** The chat platforms `npm start` runs when configured; with none, the console runs instead. */
export const PLATFORMS: ReadonlyArray<Platform<never, never>> = [slackPlatform as unknown as Platform<never, never>, discordPlatform as unknown as Platform<never, never>, discordShardsPlatform as unknown as Platform<never, never>];
