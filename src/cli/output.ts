import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UsageError } from './usage-error.js';

/**
 * Whether npm printed its run banner ("> backfill@0.1.0 backfill ...") on our stdout before we
 * started: under `npm run` without `-s` (`--silent`). Nothing this process writes can take it back.
 */
export function npmBannerOnStdout(env: NodeJS.ProcessEnv = process.env): boolean {
  const run = env['npm_command'] === 'run' || env['npm_command'] === 'run-script';
  return run && env['npm_lifecycle_event'] !== undefined && env['npm_config_loglevel'] !== 'silent';
}

export const NPM_BANNER_HINT =
  'Note: npm printed its "> backfill ..." banner on stdout before this output. For clean JSON run `npm run -s backfill -- ...`, add `--output FILE`, or use the `backfill` command (`npm link` once).\n';

/** Where a command's output goes: stdout, or the file named by --output (which npm's banner cannot reach). */
export async function withOutput<T>(path: string | undefined, use: (out: Writable) => Promise<T> | T): Promise<T> {
  if (path === undefined) return use(process.stdout);
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
  } catch (err) {
    throw new UsageError(`--output: cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return await use(file);
  } finally {
    file.end();
    await once(file, 'close');
  }
}

/** Characters that change how a terminal line reads without showing: bidi overrides and isolates, zero-width marks. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Someone's text as one quoted line of a report table: at most `most` characters, control and
 * invisible characters written as escapes (a right-to-left override would reorder the line).
 */
export function quotedLine(text: string, most: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const bounded = line.length <= most ? line : `${line.slice(0, most - 1)}…`;
  return JSON.stringify(bounded).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
