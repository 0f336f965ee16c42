import { ConfigError, loadConfig } from '../../src/config/env.js';

/** The lines loadConfig refuses this environment with; none when it is accepted. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}
