import { cpus } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../config/env.js';
import { loadKnowledge } from '../knowledge/load.js';
import { benchSearch } from './search.js';
import { benchSlack } from './slack.js';

/** `npm run bench`: prints the figures the issues ask for, with the machine they were taken on. */
async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`Backfill benchmark · Node ${process.version} · ${cpus().length} × ${cpu}\n\n`);
  const kb = loadKnowledge(join(packageRoot, 'knowledge'));
  // Slack first: its peak-memory figure is the process's, and the 30,000-concept index would swell it.
  for (const line of await benchSlack()) process.stdout.write(`${line}\n`);
  process.stdout.write('\n');
  for (const line of benchSearch(kb)) process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
