import { loadConfig, loadDotEnv } from './config/env.js';
import { reportError } from './cli/errors.js';
import { runConsole } from './start.js';

/** `npm start`: the platforms configured in the environment, or the console chat when none is. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  await runConsole(config);
}

main().catch((err: unknown) => {
  process.exitCode = reportError(err, (s) => process.stderr.write(s));
});
