import type { Writable } from 'node:stream';
import { deployCommands } from '../adapters/discord/commands.js';
import type { Config } from '../config/env.js';
import { withCommands } from '../start.js';
import { UsageError } from './errors.js';

const USAGE = 'Usage: backfill discord deploy [--guild SERVER_ID]';

/** `backfill discord deploy [--guild ID]`: registers the slash commands in one server (at once) or globally. */
export async function discordCli(args: string[], guildId: string | undefined, config: Config, output: Writable): Promise<number> {
  if (args[0] !== 'deploy' || args.length > 1) throw new UsageError(USAGE);
  if (guildId !== undefined && !/^\d{5,25}$/.test(guildId)) throw new UsageError(`--guild: expected a numeric server id (got "${guildId}")`);
  const count = await withCommands(config, (commands) => deployCommands(commands, config, guildId));
  output.write(guildId ? `Registered ${count} slash commands in server ${guildId}; they work there now.\n` : `Registered ${count} slash commands globally; Discord may take a while to show them everywhere.\n`);
  return 0;
}
