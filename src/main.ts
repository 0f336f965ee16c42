import { PLATFORMS } from './adapters/platform.js';
import { loadDotEnv } from './config/dotenv.js';
import { loadConfigNoting, misspeltSettings } from './config/env.js';
import { exitWhenWritten } from './core/exit.js';
import { createLogger } from './core/log.js';
import { guardProcess } from './guard.js';
import { runConsole } from './start.js';


/** `npm start`: the platforms configured in the environment, or the console chat when none is. */
async function main(): Promise<void> {
  const dotEnv = loadDotEnv();
  const misspelt = misspeltSettings(dotEnv.names);
  const config = loadConfigNoting(misspelt);
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
