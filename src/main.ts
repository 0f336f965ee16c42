import { once } from 'node:events';
import type { Backfill } from './app.js';
import { loadConfig, loadDotEnv, type Config } from './config/env.js';
import { reportError } from './cli/errors.js';
import { createLogger, type Logger } from './core/log.js';
import { guardProcess, type ProcessGuard } from './guard.js';
import { openBackfill, runConsole } from './start.js';

interface Platform {
  name: string;
  configured(config: Config): boolean;
  /** Registers the platform's messenger on the app and starts receiving. */
  start(app: Backfill, config: Config, log: Logger): Promise<{ stop(): Promise<void> }>;
}

/**
 * Every chat platform `npm start` can run; each starts when its configuration is present. Their
 * SDKs load only then, so the console starts without paying for Bolt and discord.js.
 */
const PLATFORMS: Platform[] = [
  { name: 'Slack', configured: (c) => c.slackMode !== undefined, start: async (...args) => (await import('./adapters/slack/slack.js')).startSlack(...args) },
  { name: 'Discord', configured: (c) => c.discordEnabled, start: async (...args) => (await import('./adapters/discord/discord.js')).startDiscord(...args) },
];

/** Runs the configured platforms until SIGINT or SIGTERM, then stops them in reverse order. */
async function runPlatforms(config: Config, platforms: Platform[], guard: ProcessGuard, log: Logger): Promise<void> {
  const app = await openBackfill(config, log);
  const running: Array<{ stop(): Promise<void> }> = [];
  try {
    for (const platform of platforms) {
      running.push(await platform.start(app, config, log));
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
  const configured = PLATFORMS.filter((p) => p.configured(config));
  if (configured.length) await runPlatforms(config, configured, guard, log);
  else await runConsole(config, () => guard.serving());
}

main().catch((err: unknown) => {
  // A start that failed ends here, at once: a half-open connection or a retry timer of an SDK
  // must not keep the process alive after it said why it stopped.
  process.exit(reportError(err, (s) => process.stderr.write(s)));
});
