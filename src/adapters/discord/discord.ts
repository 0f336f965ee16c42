import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Backfill } from '../../app.js';
import { ConfigError, type Config } from '../../config/env.js';

/** Discord's slice of the configuration. */
export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL'>;
import type { Logger } from '../../core/log.js';
import type { LaneTiming } from '../lanes.js';
import { restOptions } from './commands.js';
import { discordConventions } from './conventions.js';
import { configProblem } from './errors.js';
import { handleInteraction } from './interactions.js';
import { discordLanes } from './lanes.js';
import { handleMessage } from './mentions.js';
import { DiscordMessenger } from './messenger.js';

export interface DiscordOptions {
  /** Defer interactions whose answer takes longer than this (default 1.5 s of Discord's 3). */
  deferAfterMs?: number;
  /** Time for the channel lanes (retries of edits); real time by default. */
  laneTiming?: LaneTiming;
}

export interface RunningDiscord {
  client: Client;
  stop(): Promise<void>;
}

/**
 * A Client that needs no privileged intent: slash commands and buttons arrive as interactions,
 * and Discord sends the content of messages that mention the bot or are DMs without
 * MessageContent. DM channels are not cached, hence the Channel partial.
 */
export function createDiscordClient(config: Pick<Config, 'DISCORD_API_URL'>): Client {
  return new Client({
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
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, context));
  client.on(Events.MessageCreate, (message) => void handleMessage(message, context));
  client.on(Events.Error, (err) => log.error('discord: client error', err));
  client.on(Events.Warn, (message) => log.warn(`discord: ${message}`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn(`discord: shard ${shard} disconnected for good (close code ${event.code})`));

  try {
    await Promise.all([once(client, Events.ClientReady), client.login(config.DISCORD_TOKEN)]);
  } catch (err) {
    await client.destroy();
    throw configProblem(err, config) ?? err;
  }
  const lanes = discordLanes(log, options.laneTiming);
  app.attach('discord', new DiscordMessenger(client, lanes), discordConventions);
  log.info(`discord: logged in as ${client.user?.tag ?? '?'} in ${client.guilds.cache.size} server(s)`);
  return {
    client,
    stop: async () => {
      lanes.stop();
      await client.destroy();
    },
  };
}
