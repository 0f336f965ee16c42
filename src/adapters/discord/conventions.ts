import type { Conventions } from '../../core/conventions.js';

/** Discord's slash commands: native subcommands are always named, options are typed `name:value`. */
export const discordConventions: Conventions = {
  commandName: (name) => `/${name}`,
  nameDefaultSubcommand: true,
  namedOptions: true,
  managers: 'members with Manage Channels in this channel',
  place: 'server',
};
