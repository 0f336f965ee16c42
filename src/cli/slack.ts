import type { Writable } from 'node:stream';
import { manifestJson } from '../adapters/slack/manifest.js';
import type { Config } from '../config/env.js';
import { withCommands } from '../start.js';
import { UsageError } from './errors.js';
import { usageOf } from './flags.js';

/** `backfill slack manifest [--http URL]`: the Slack app manifest generated from the command registry. */
export async function slackCli(args: string[], httpUrl: string | undefined, config: Config, output: Writable): Promise<number> {
  if (args[0] !== 'manifest' || args.length > 1) throw new UsageError(usageOf('slack'));
  // A base URL: the paths Slack calls are added to it, so no query or fragment may follow.
  if (httpUrl !== undefined && !/^https:\/\/[^\s/?#]+[^\s?#]*$/.test(httpUrl)) {
    throw new UsageError(`--http: expected the bot's public https URL, without ? or #, e.g. https://backfill.example.com (got "${httpUrl}")`);
  }
  await withCommands(config, (commands) => output.write(manifestJson(commands.all(), { httpUrl })));
  return 0;
}
