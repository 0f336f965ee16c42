import { closest } from '../core/text.js';
import { catalogOf } from '../knowledge/catalog.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { UsageError } from './usage-error.js';

/** The flags each command takes (besides --help); any other is refused by name rather than ignored. */
export const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  explain: ['json', 'batch', 'output'],
  'kb validate': [],
  'kb list': ['json', 'topic', 'topics', 'output'],
  'kb stats': ['json', 'output'],
  'kb stale': ['today', 'json', 'output'],
  'kb gaps': ['days', 'json', 'output'],
  'kb reports': ['days', 'json', 'output'],
  'quiz sample': ['topic', 'topics', 'count', 'seed', 'json', 'output'],
  'daily preview': ['days', 'topic', 'topics', 'seed', 'json', 'output'],
  chat: [],
  'slack manifest': ['http', 'output'],
  'discord deploy': ['guild'],
};

/** Refuses a flag the command does not take: `kb validate --json` is an error, not silently nothing. */
export function checkFlags(command: string, sub: string | undefined, given: Record<string, unknown>): void {
  const key = sub !== undefined && `${command} ${sub}` in COMMAND_FLAGS ? `${command} ${sub}` : command;
  const allowed = COMMAND_FLAGS[key];
  if (!allowed) return; // an unknown command or subcommand is reported by its own handler
  for (const [flag, value] of Object.entries(given)) {
    if (flag === 'help' || value === undefined || value === false) continue;
    if (allowed.includes(flag)) continue;
    const takes = allowed.length ? ` (it takes ${allowed.map((f) => `--${f}`).join(', ')})` : ' (it takes none)';
    throw new UsageError(`--${flag} is not an option of "backfill ${key}"${takes}.`);
  }
}

/**
 * Topics and subtopics from --topic/--topics values (repeated or comma-separated): `kafka`, `hive`,
 * `"kafka streams"`. An unknown one is refused with a "did you mean".
 */
export function topicsFlag(kb: KnowledgeBase, values: readonly string[]): string[] {
  const catalog = catalogOf(kb);
  const ids: string[] = [];
  for (const value of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)) {
    const words = value.split(/\s+/);
    const read = catalog.read(words, 0);
    if (!read || read.used !== words.length) {
      const near = closest(value, catalog.entries.map((e) => e.id));
      throw new UsageError(`Unknown topic "${value}".${near ? ` Did you mean "${near}"?` : ''} Topics: ${kb.topics.map((t) => t.id).join(', ')}, and their subtopics (backfill kb stats lists them).`);
    }
    ids.push(...read.ids);
  }
  return catalog.normalize(ids);
}
