import { PLATFORMS } from './adapters/platform.js';
import { loadDotEnv } from './config/dotenv.js';
import { loadConfigNoting, misspeltSettings } from './config/env.js';
import { exitWhenWritten, quietOnClosedPipe } from './core/exit.js';
import { createLogger } from './core/log.js';
import { guardProcess } from './guard.js';
import { runConsole } from './start.js';

const START_HELP = `Usage: npm start   (or: node dist/main.cjs)

Runs Backfill: on Slack and on Discord when their tokens are set, else as a chat in this terminal.
It takes no options: its settings come from the environment or a .env file in this folder, each
explained in .env.example (README: "Slack in ten minutes", "Discord in ten minutes").
Commands for authors and operators (validate cards, preview posts, deploy Discord commands):
  npm run -s backfill -- --help
`;

/** `npm start`: the platforms configured in the environment, or the console chat when none is. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.some((a) => a === '--help' || a === '-h' || a === 'help')) {
    // `npm start -- --help | head`: the reader going away ends the process quietly.
    quietOnClosedPipe();
    process.stdout.write(START_HELP);
    return;
  }
  if (args.length) {
    process.stderr.write(`npm start takes no options or arguments (got "${args[0]}"): its settings go in .env (see .env.example); "npm start -- --help" says more.\n`);
    exitWhenWritten(2);
    return;
  }
  const dotEnv = loadDotEnv(process.cwd(), process.env.ENV_FILE);
  const misspelt = misspeltSettings(dotEnv.names, dotEnv.file);
  const config = loadConfigNoting(misspelt, process.env, dotEnv.overridden, dotEnv.file);
  const log = createLogger(config.LOG_LEVEL);
  for (const warning of [...dotEnv.warnings, ...misspelt]) log.warn(warning);
  const guard = guardProcess({ log });
  // Each platform's SDK loads only when it is configured, so the console starts without Bolt and discord.js.
  const configured = PLATFORMS.filter((p) => p.configure(config) !== undefined);
  if (configured.length) {
    // Loaded only here, with the health endpoint's HTTP server: the console needs neither.
    const { runPlatforms } = await import('./serve.js');
    await runPlatforms(config, configured, guard, log);
    // Stopped: nothing a client library left open (a keep-alive socket, a timer) may hold the exit up.
    exitWhenWritten();
  } else await runConsole(config, () => guard.serving());
}

main().catch((err: unknown) => {
  // A start that failed ends here, at once: a half-open connection or a retry timer of an SDK
  // must not keep the process alive after it said why it stopped.
  // Loaded only now: it knows every kind of error, and with them the YAML parser a start no longer needs.
  import('./cli/errors.js').then(
    ({ reportError }) => exitWhenWritten(reportError(err, (s) => process.stderr.write(s))),
    () => exitWhenWritten(1),
  );
});
