import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';

/** What a .env file held: the names it set, and lines it could not read (each said, then ignored). */
export interface DotEnv {
  /** The file as warnings name it: ".env", or ENV_FILE as given. */
  file: string;
  names: string[];
  warnings: string[];
  /** Names the .env sets that the environment had set already: the environment's value is the one used. */
  overridden?: string[];
}

/**
 * Loads a .env file from the working directory into process.env, without overriding what is set.
 * `file` (the ENV_FILE setting) names another file instead, or "off" for none: the test suite runs
 * with it off, so that an operator's own .env never changes what the tests start.
 * Kept apart from the configuration's schema, so that CLI commands load it without zod.
 */
export function loadDotEnv(cwd = process.cwd(), file?: string): DotEnv {
  const named = file?.trim();
  const shown = named || '.env';
  if (named === 'off') return { file: shown, names: [], warnings: [] };
  const path = resolve(cwd, shown);
  if (!existsSync(path)) {
    if (named) throw new ConfigError([`ENV_FILE: there is no file ${path}; expected a file of NAME=value lines, or "off" to read none`]);
    return { file: shown, names: [], warnings: [] };
  }
  if (!statSync(path).isFile()) throw new ConfigError([`${named ? 'ENV_FILE' : '.env'}: ${path} is not a file; expected a file of NAME=value lines (see .env.example), or none`]);
  const names: string[] = [];
  const warnings: string[] = [];
  // The quote a multi-line value opened and has not closed yet: its later lines are the value's.
  let open: string | undefined;
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (open) {
        if (line.includes(open)) open = undefined;
        return;
      }
      if (!line || line.startsWith('#')) return;
      const assignment = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      if (!assignment) {
        const what = line.includes('=') ? 'has no name before "=" (expected NAME=value, a name of letters, digits and _)' : 'has no "=" (expected NAME=value)';
        warnings.push(`${shown} line ${i + 1}: "${line.slice(0, 40)}" ${what}, so it is ignored`);
        return;
      }
      names.push(assignment[1]!);
      const value = assignment[2]!;
      const quote = value[0];
      if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) open = quote;
    });
  const overridden = names.filter((n) => process.env[n] !== undefined);
  process.loadEnvFile(path);
  return { file: shown, names, warnings, overridden };
}
