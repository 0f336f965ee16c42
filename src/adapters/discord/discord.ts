import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Backfill } from '../../app.js';
import { ConfigError, type Config } from '../../config/env.js';
import type { Logger } from '../../core/log.js';
import type { PlatformHealth } from '../health.js';
import type { LaneTiming } from '../lanes.js';
import { restOptions } from './commands.js';
import { discordConventions } from './conventions.js';
import { configProblem } from './errors.js';
import { untilStopped } from '../start-stopped.js';
import { InFlight } from '../../core/in-flight.js';
import { handleInteraction, refuseInteraction } from './interactions.js';
import { discordLanes } from './lanes.js';
import { handleMessage, refuseMessage } from './mentions.js';
import { DiscordMessenger } from './messenger.js';
import { shardOptions, shardsOf, trackShards } from './shards.js';

/** Discord's slice of the configuration; without `discordShards`, one shard. */
export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL'> & Partial<Pick<Config, 'discordShards'>>;

export interface DiscordOptions {
  /** Defer interactions whose answer takes longer than this (default 1.5 s of Discord's 3). */
  deferAfterMs?: number;
  /** Time for the channel lanes (retries of edits); real time by default. */
  laneTiming?: LaneTiming;
  /** How long a login waits for the gateway before the log says so, and then says so again (10 s). */
  connectNoticeMs?: number;
  /** A stop asked for while logging in: the login gives up (StartStopped). */
  signal?: AbortSignal;
}

export interface RunningDiscord {
  client: Client;
  /** Ready when every shard of this process is connected and it still takes requests. */
  health(): PlatformHealth;
  /** Takes no new interactions or mentions (they are told the bot is restarting); resolves once those taken are answered, or at `until` (false then). */
  drain(until: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * A Client that needs no privileged intent: slash commands and buttons arrive as interactions,
 * and Discord sends the content of messages that mention the bot or are DMs without
 * MessageContent. DM channels are not cached, hence the Channel partial. It connects the shards
 * `discordShards` names (all of them, one by default).
 */
export function createDiscordClient(config: Pick<DiscordConfig, 'DISCORD_API_URL' | 'discordShards'>): Client {
  return new Client({
    ...shardOptions(config.discordShards),
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    // Nothing the bot posts pings anyone, not even the person it replies to.
    allowedMentions: { parse: [], repliedUser: false },
    // With another API base, the gateway address comes from that API's GET /gateway/bot.
    rest: restOptions(config),
  });
}

/** Logs in, answers commands, buttons, autocomplete and mentions, and posts for the core as `discord`. */
export async function startDiscord(app: Backfill, config: DiscordConfig, log: Logger, options: DiscordOptions = {}): Promise<RunningDiscord> {
  if (!config.DISCORD_TOKEN) throw new ConfigError(['DISCORD_TOKEN: required to start the Discord bot']);
  const client = createDiscordClient(config);
  const context = { bot: app.bot, log, deferAfterMs: options.deferAfterMs ?? 1500 };
  // The requests being answered; a graceful stop closes it.
  const requests = new InFlight();
  client.on(Events.InteractionCreate, (interaction) => void requests.take(() => handleInteraction(interaction, context), () => refuseInteraction(interaction, log)));
  client.on(Events.MessageCreate, (message) => void requests.take(() => handleMessage(message, context), () => refuseMessage(message, log)));
  client.on(Events.Error, (err) => log.error('discord: client error', err));
  client.on(Events.Warn, (message) => log.warn(`discord: ${message}`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn(`discord: shard ${shard} disconnected for good (close code ${event.code})`));
  const shardHealth = trackShards(client);

  // discord.js retries an unreachable gateway for ever, saying why only in its debug lines: the log
  // says it is still trying, where, and the last reason those lines gave.
  let gateway = "Discord's gateway";
  let trouble: string | undefined;
  const noteDebug = (line: string) => {
    const connecting = /Connecting to (\S+?)(?:\?|\s|$)/.exec(line);
    if (connecting) gateway = connecting[1]!;
    else if (/Failed to connect|closed with an unexpected code|timed out/i.test(line)) trouble = line.replace(/^\[[^\]]*\]\s*/, '');
  };
  client.on(Events.Debug, noteDebug);
  const started = Date.now();
  const notice = setInterval(() => {
    const waited = Math.round((Date.now() - started) / 1000);
    log.warn(`discord: still connecting to ${gateway} after ${waited} s${trouble ? ` (${trouble})` : ''}: check that this machine may open a WebSocket (wss://, port 443) to it, through any proxy or firewall`);
  }, options.connectNoticeMs ?? 10_000);
  try {
    await untilStopped(Promise.all([once(client, Events.ClientReady), client.login(config.DISCORD_TOKEN)]), options.signal, 'Discord');
  } catch (err) {
    await client.destroy();
    throw configProblem(err, config) ?? err;
  } finally {
    clearInterval(notice);
    client.off(Events.Debug, noteDebug);
  }
  const lanes = discordLanes(log, options.laneTiming);
  app.attach('discord', new DiscordMessenger(client, lanes), discordConventions);
  const { ids, count } = shardsOf(client);
  const sharded = count > 1 ? ` (shard${ids.length > 1 ? 's' : ''} ${ids.join(',')} of ${count})` : '';
  log.info(`discord: logged in as ${client.user?.tag ?? '?'} in ${client.guilds.cache.size} server(s)${sharded}`);
  return {
    client,
    health: () => {
      const h = shardHealth();
      return requests.closed ? { ...h, ready: false } : h;
    },
    drain: async (until) => {
      requests.close();
      if (await requests.settle(until)) return true;
      log.warn(`discord: ${requests.size} request(s) still being answered were cut off`);
      return false;
    },
    stop: async () => {
      lanes.stop();
      await client.destroy();
    },
  };
}
