import { startPlatform, type Platform, type RunningPlatform } from './adapters/platform.js';
import { StartStopped } from './adapters/start-stopped.js';
import type { HealthServer, Phase, PlatformHealth } from './adapters/health.js';
import type { Backfill } from './app.js';
import type { Config } from './config/env.js';
import { exitWhenWritten } from './core/exit.js';
import type { Logger } from './core/log.js';
import type { ProcessGuard } from './guard.js';
import { warmUp } from './search/warm-up.js';
import { openBackfill } from './start.js';

/** How long a stop may take (posts in flight finish, then the gateway and the database close) before the process exits anyway. */
export const SHUTDOWN_MS = 10_000;
/**
 * The end of those 10 s kept for disconnecting and closing the database: requests, posts and shard
 * processes get until SHUTDOWN_MS minus this (a shard process, minus twice this, so that its
 * manager, waiting until its own deadline, sees it exit), and what is still running then is cut off.
 */
export const CLOSING_MS = 1_000;

function prefixed(log: Logger, prefix: string): Logger {
  return {
    debug: (m, d) => log.debug(prefix + m, d),
    info: (m, d) => log.info(prefix + m, d),
    warn: (m, d) => log.warn(prefix + m, d),
    error: (m, d) => log.error(prefix + m, d),
  };
}

interface StopRequest {
  requested: boolean;
  /** When it was asked for (Date.now), which the deadline counts from. */
  at?: number;
  reason: Promise<string>;
}

/**
 * SIGINT and SIGTERM (and, in a shard process, its ShardingManager going away) ask for a stop.
 * The first one arms the bound: a stop still running after SHUTDOWN_MS ends with exit code 1.
 */
function stopRequests(log: Logger, shardProcess: boolean): StopRequest {
  let resolve!: (reason: string) => void;
  const request: StopRequest = { requested: false, reason: new Promise((r) => (resolve = r)) };
  const on = (reason: string) => () => {
    if (request.requested) return;
    request.requested = true;
    request.at = Date.now();
    const force = setTimeout(() => {
      log.error(`still stopping after ${SHUTDOWN_MS / 1000} s; exiting now`);
      exitWhenWritten(1);
    }, SHUTDOWN_MS);
    force.unref();
    resolve(reason);
  };
  process.on('SIGINT', on('SIGINT'));
  process.on('SIGTERM', on('SIGTERM'));
  if (shardProcess) process.on('disconnect', on('the shard manager is gone'));
  return request;
}

/**
 * Runs the configured platforms until a stop is asked for, then stops gracefully: the health
 * endpoint turns 503, the platforms take no new requests and answer those they took, no new post
 * begins (the next start takes them up) and those in flight are settled, then the platforms
 * disconnect and the database closes, all within one deadline (SHUTDOWN_MS less CLOSING_MS).
 * With HEALTH_PORT, `GET /health` says how the process is.
 */
export async function runPlatforms(config: Config, configured: ReadonlyArray<Platform<never, never>>, guard: ProcessGuard, processLog: Logger): Promise<void> {
  // A process a ShardingManager started runs its Discord shard only: Slack and the health endpoint
  // are the manager's. Its lines say which shard they come from.
  const shards = config.discordShards;
  const shardProcess = shards.mode === 'child';
  const log = shards.mode === 'child' ? prefixed(processLog, `shard ${shards.ids.join(',')}: `) : processLog;
  const platforms = shardProcess ? configured.filter((p) => p.id === 'discord') : configured;
  const stop = stopRequests(log, shardProcess);
  let phase: Phase = 'starting';
  const running: Array<{ id: string; platform: RunningPlatform }> = [];
  const healthOf = (id: string): PlatformHealth => {
    const r = running.find((x) => x.id === id);
    return r ? (r.platform.health?.() ?? { ready: true }) : { ready: false };
  };
  let health: HealthServer | undefined;
  let app: Backfill | undefined;
  try {
    if (config.HEALTH_PORT !== undefined && !shardProcess) {
      const { startHealthServer } = await import('./adapters/health.js');
      health = await startHealthServer(config.HEALTH_PORT, { phase: () => phase, platforms: () => Object.fromEntries(platforms.map((p) => [p.id, healthOf(p.id)])) });
      log.info(`health: GET http://0.0.0.0:${health.port}/health`);
    }
    app = await openBackfill(config, log);
    // Before any platform takes requests: the first burst after a start must not be the slowest.
    const warm = await warmUp(app);
    log.debug(`warmed up: ${warm.searches} searches, a card and ${warm.requests} HTTP requests in ${warm.ms.toFixed(0)} ms`);
    if (platforms.some((p) => p.id === 'slack') && !stop.requested) {
      // Slack's own path (receiver, Bolt, listeners, respond) through a twin on loopback: nothing reaches Slack.
      const { warmUpSlack } = await import('./adapters/slack/warm-up.js');
      const slackWarm = await warmUpSlack(app);
      log.debug(`slack warmed up: ${slackWarm.requests} signed commands and ${slackWarm.checks} health checks on loopback over ${slackWarm.connections} connections, ${slackWarm.answered} answered, in ${slackWarm.ms.toFixed(0)} ms`);
    }
    // A platform still connecting when a stop is asked for gives up, rather than hold the stop up.
    const stopping = new AbortController();
    void stop.reason.then(() => stopping.abort());
    for (const platform of platforms) {
      if (stop.requested) break;
      const started = await startPlatform(platform, app, config, log, stopping.signal).catch((err: unknown) => {
        if (err instanceof StartStopped) return undefined;
        throw err;
      });
      if (!started) continue;
      running.push({ id: platform.id, platform: started });
      log.info(`${platform.name} started`);
    }
    if (!stop.requested) {
      await app.resume();
      guard.serving();
      phase = 'serving';
    }
    const reason = await stop.reason;
    log.info(`stopping (${reason}): finishing what is in flight, for at most ${(SHUTDOWN_MS - CLOSING_MS) / 1000} s`);
  } finally {
    phase = 'stopping';
    const began = stop.at ?? Date.now();
    // One deadline for every step, so that the whole stop, the database closing included, fits SHUTDOWN_MS.
    const until = began + SHUTDOWN_MS - CLOSING_MS * (shardProcess ? 2 : 1);
    // Each step runs even when one before it failed; a failure makes the exit code 1.
    const step = async (what: string, work: () => Promise<unknown> | undefined) => {
      try {
        await work();
      } catch (err) {
        process.exitCode = 1;
        log.error(`stopping: ${what} failed`, err);
      }
    };
    // Something cut off at the deadline (said by whoever cut it) makes the exit code 1.
    const complete = (settled: boolean | void | undefined) => {
      if (settled === false) process.exitCode = 1;
    };
    await step('answering the requests taken', async () => (await Promise.all(running.map((r) => r.platform.drain?.(until)))).forEach(complete));
    await step('settling the posts in flight', async () => complete(await app?.quiesce(until)));
    for (const r of running.reverse()) await step(`disconnecting ${r.id}`, () => r.platform.stop(until));
    await step('closing the database', () => app?.close(until));
    await step('closing the health endpoint', () => health?.close());
    if (stop.requested) log.info(`stopped in ${Date.now() - began} ms`);
  }
}
