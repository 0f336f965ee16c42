import { ApplicationIntegrationType, InteractionContextType, type Interaction } from 'discord.js';

/**
 * Why the bot cannot post in an interaction's channel by itself, or undefined when it can. With
 * Backfill installed on a person's account (a user install), its commands work in any server and
 * conversation, but there the bot can only answer the interaction: it is not a member, so it
 * cannot post a quiz's questions or daily posts.
 */
export function replyOnlyReason(interaction: Interaction): string | undefined {
  if (interaction.context === InteractionContextType.PrivateChannel) {
    return 'this conversation is not one I am part of. Run it in a DM with me, or in a server that has Backfill.';
  }
  if (interaction.guildId === null) return undefined;
  // Installed in the server by its managers, and the bot is a member (every server of its shards is cached).
  const inServer = Boolean(interaction.authorizingIntegrationOwners[ApplicationIntegrationType.GuildInstall]) && interaction.inCachedGuild();
  return inServer ? undefined : 'Backfill is installed on your account, not in this server. Ask a server manager to add it, or run it in a DM with me.';
}
