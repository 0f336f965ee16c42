import { ConfigError } from '../config/env.js';
import { UnreachableError } from '../config/config-error.js';
import { KnowledgeError, formatProblem } from '../knowledge/load.js';
import { UsageError } from './usage-error.js';

/** Exit codes: 1 for invalid content, 2 for bad usage or configuration. */
export { UsageError };

/**
 * Turns known errors into readable lines and an exit code; anything else is a bug and keeps its stack.
 * `doing` names what failed when a service could not be reached: the bot's start, or a CLI command.
 */
export function reportError(err: unknown, write: (s: string) => void, doing = 'start'): number {
  if (err instanceof ConfigError) {
    const heading = err instanceof UnreachableError ? `Could not ${doing} (the settings are well formed, but the service could not be reached to check them):` : 'Configuration problem (see .env.example):';
    write(`${heading}\n${err.lines.map((l) => `  ${l}`).join('\n')}\n`);
    return 2;
  }
  if (err instanceof KnowledgeError) {
    if (err.problems.length === 1) write(`The knowledge base has a problem: ${formatProblem(err.problems[0]!)}\n`);
    else write(`The knowledge base has ${err.problems.length} problems:\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    return 1;
  }
  if (err instanceof UsageError) {
    write(`${err.message}\nRun "backfill help" for usage.\n`);
    return 2;
  }
  write(`Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
