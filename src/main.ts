import { once } from 'node:events';
import { PLATFORMS, startPlatform, type Platform, type RunningPlatform } from './adapters/platform.js';
import { loadConfig, loadDotEnv, type Config } from './config/env.js';
import { createLogger, type Logger } from './core/log.js';
import { guardProcess, type ProcessGuard } from './guard.js';
import { openBackfill, runConsole } from './start.js';
import { warmUp } from './search/warm-up.js';


/** Runs the configured platforms until SIGINT or SIGTERM, then stops them in reverse order. */
async function runPlatforms(config: Config, platforms: ReadonlyArray<Platform<never, never>>, guard: ProcessGuard, log: Logger): Promise<void> {
  const app = await openBackfill(config, log);
  // Before any platform takes requests: the first burst after a start must not be the slowest.
  const warm = await warmUp(app);
  log.debug(`warmed up: ${warm.searches} searches, a card and ${warm.requests} HTTP requests in ${warm.ms.toFixed(0)} ms`);
  const running: RunningPlatform[] = [];
  try {
    for (const platform of platforms) {
      const started = await startPlatform(platform, app, config, log);
      if (!started) continue;
      running.push(started);
      log.info(`${platform.name} started`);
    }
    await app.resume();
    guard.serving();
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    log.info('stopping');
  } finally {
    for (const r of running.reverse()) await r.stop();
    await app.close();
  }
}

/** `npm start`: the platforms configured in the environment, or the console chat when none is. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const guard = guardProcess({ log });
  // Each platform's SDK loads only when it is configured, so the console starts without Bolt and discord.js.
  const configured = PLATFORMS.filter((p) => p.configure(config) !== undefined);
  if (configured.length) await runPlatforms(config, configured, guard, log);
  else await runConsole(config, () => guard.serving());
}

main().catch((err: unknown) => {
  // A start that failed ends here, at once: a half-open connection or a retry timer of an SDK
  // must not keep the process alive after it said why it stopped.
  // Loaded only now: it knows every kind of error, and with them the YAML parser a start no longer needs.
  import('./cli/errors.js').then(
    ({ reportError }) => process.exit(reportError(err, (s) => process.stderr.write(s))),
    () => process.exit(1),
  );
});
