import type { Message } from 'discord.js';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import { RESTARTING } from '../restarting.js';
import { toDeliveryError } from './errors.js';
import { discordAddress, messageUser } from './identity.js';
import { channelMessage } from './render.js';

export interface MentionContext {
  bot: Bot;
  log: Logger;
}

/** The text addressed to the bot: its mentions (`<@id>`, legacy `<@!id>`) taken out. */
export function withoutMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, ' ').replaceAll(`<@!${botId}>`, ' ').trim();
}

/** A person's message the bot answers: one that mentions it in a server channel, or any DM. */
function addressedToBot(message: Message): boolean {
  const me = message.client.user;
  if (message.author.bot || message.system || !me) return false;
  return !message.inGuild() || message.mentions.users.has(me.id);
}

/** Stopping: a message the bot would answer is told it is restarting. */
export async function refuseMessage(message: Message, log: Logger): Promise<void> {
  if (!addressedToBot(message)) return;
  try {
    await message.reply({ content: RESTARTING });
  } catch (err) {
    log.debug(`discord: could not say "restarting" to message ${message.id}`, err);
  }
}

/**
 * `@Backfill explain kafka acks` in a server channel, or anything in a DM. Discord sends the
 * content of exactly these messages without the privileged MessageContent intent.
 */
export async function handleMessage(message: Message, ctx: MentionContext): Promise<void> {
  const me = message.client.user;
  if (!me || !addressedToBot(message)) return;
  const address = discordAddress(message.guildId, message.channelId);
  try {
    const reply = await ctx.bot.handleText(address, messageUser(message), withoutMention(message.content, me.id));
    await message.reply(channelMessage(reply));
  } catch (err) {
    ctx.log.warn(`discord: could not answer message ${message.id} in ${address}`, toDeliveryError(err, address).message);
  }
}
