import { GuildMember, PermissionFlagsBits, type Interaction, type Message } from 'discord.js';
import type { User } from '../../core/incoming.js';
import { escapeUserText } from './escape.js';

/** DMs have no server: their addresses use `@me`, as Discord's own URLs do. */
const DM_SCOPE = '@me';

/** `discord:<guildId>:<channelId>`, or `discord:@me:<channelId>` in a DM. */
export function discordAddress(guildId: string | null, channelId: string): string {
  return `discord:${guildId ?? DM_SCOPE}:${channelId}`;
}

/** The channel id of a Discord address, or undefined when it is not one. */
export function channelIdOf(address: string): string | undefined {
  const [platform, , channelId, ...extra] = address.split(':');
  return platform === 'discord' && channelId && extra.length === 0 && /^\d+$/.test(channelId) ? channelId : undefined;
}

/**
 * Names reach the core already escaped for Discord's Markdown: the core puts them into its replies
 * (a reveal, the standings, "Shared by", "Stopped by") as Markdown, and a name only ever shows on
 * the platform it came from (scores and quizzes are per channel and server), so this is the one
 * place that knows the name is plain text.
 */
function displayName(name: string): string {
  return escapeUserText(name);
}

/**
 * Who clicked or typed. Managers hold Manage Channels in that channel (an interaction carries the
 * member's permissions there); in a DM the person manages their own conversation.
 */
export function interactionUser(interaction: Interaction): User {
  const member = interaction.member;
  const name = member instanceof GuildMember ? member.displayName : (member?.nick ?? interaction.user.displayName);
  const isManager = interaction.guildId === null || Boolean(interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels));
  // A member of a server the bot has cached is a GuildMember; otherwise the payload's role ids.
  const roles = member instanceof GuildMember ? [...member.roles.cache.keys()] : member?.roles;
  return { id: interaction.user.id, name: displayName(name), isManager, ...(roles?.length ? { roles } : {}) };
}

export function messageUser(message: Message): User {
  const member = message.member;
  let isManager = !message.inGuild();
  if (message.inGuild() && member && 'permissionsFor' in message.channel) {
    isManager = Boolean(message.channel.permissionsFor(member)?.has(PermissionFlagsBits.ManageChannels));
  }
  const roles = member ? [...member.roles.cache.keys()] : [];
  return { id: message.author.id, name: displayName(member?.displayName ?? message.author.displayName), isManager, ...(roles.length ? { roles } : {}) };
}
