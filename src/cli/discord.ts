import type { Writable } from 'node:stream';
import { deployCommands } from '../adapters/discord/commands.js';
import { DISCORD_ID, type Config } from '../config/env.js';
import { withCommands } from '../start.js';
import { UsageError } from './errors.js';
import { usageOf } from './flags.js';

/**
 * `backfill discord deploy [--guild ID]`: registers the slash commands in one server (at once) or
 * globally. Its arguments are checked before the configuration is loaded.
 */
export async function discordCli(args: string[], guildId: string | undefined, config: () => Promise<Config>, output: Writable): Promise<number> {
  if (args[0] !== 'deploy' || args.length > 1) throw new UsageError(usageOf('discord'));
  if (guildId !== undefined && !DISCORD_ID.test(guildId)) {
    throw new UsageError(`--guild: a Discord server id is a 17–20 digit number (got "${guildId}"). In Discord, turn on Developer Mode (User Settings › Advanced), then right-click the server and choose Copy Server ID.`);
  }
  const loaded = await config();
  const count = await withCommands(loaded, (commands) => deployCommands(commands, loaded, guildId));
  output.write(guildId ? `Registered ${count} slash commands in server ${guildId}; they work there now.\n` : `Registered ${count} slash commands globally; Discord may take a while to show them everywhere.\n`);
  return 0;
}
