import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import type { Backfill } from '../../app.js';
import { ConfigError, sharedStateProblem, type Config } from '../../config/env.js';
import { within } from '../../core/in-flight.js';
import type { Logger } from '../../core/log.js';
import type { PlatformHealth } from '../health.js';
import { restOptions } from './commands.js';
import { startDiscord, type DiscordConfig, type RunningDiscord } from './discord.js';
import { configProblem } from './errors.js';

/** What the ShardingManager needs: Discord's slice, the shard count, and whether PostgreSQL is there. */
export type ShardManagerConfig = DiscordConfig & Pick<Config, 'DATABASE_URL'> & { count: number | 'auto' };

export interface ShardManagerOptions {
  /** The script each shard process runs (default: this process's own, with its Node flags). */
  entry?: string;
}

export interface RunningShards {
  manager: ShardingManager;
  /** Ready when every shard process reported its shard connected. */
  health(): PlatformHealth;
  /**
   * A stop has begun: every shard process is stopped the way a signal stops one (each finishes its
   * posts, within its own deadline, which ends before this process's), and one that ends is not
   * started again.
   */
  drain(until: number): Promise<boolean>;
  /** Waits for the shard processes until `until`; those still running then are killed. */
  stop(until?: number): Promise<void>;
}

/** Discord identifies this many shards at once per 5 seconds (`max_concurrency`); one more a little later. */
const IDENTIFY_WINDOW_MS = 5500;
/** How long a shard process has to become ready before it is given up on. */
const SHARD_READY_MS = 60_000;
/** How long a start that failed waits for the shard processes it began to stop. */
const FAILED_START_STOP_MS = 9_000;

/** Discord's advice for this bot: how many shards, and how many may start together. */
async function gatewayAdvice(config: ShardManagerConfig): Promise<{ shards: number; maxConcurrency: number }> {
  const rest = new REST(restOptions(config)).setToken(config.DISCORD_TOKEN!);
  try {
    const data = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    return { shards: data.shards, maxConcurrency: Math.max(1, data.session_start_limit.max_concurrency) };
  } catch (err) {
    throw configProblem(err, config) ?? err;
  }
}

/**
 * Runs Discord as one process per shard, through discord.js's ShardingManager: each process is
 * this program again (`npm start`), which sees discord.js's SHARDS and SHARD_COUNT and runs only
 * its shard's gateway connection, with its own database connection. A process that dies is
 * started again. The count is DISCORD_SHARD_COUNT, or Discord's recommendation for `auto`
 * (GET /gateway/bot, through DISCORD_API_URL); shards start `max_concurrency` at a time, 5.5 s apart.
 * When Discord recommends one shard, it runs in this process, with `app`: a second process would
 * only open the same database again.
 */
export async function startShardManager(app: Backfill, config: ShardManagerConfig, log: Logger, options: ShardManagerOptions = {}): Promise<RunningShards | RunningDiscord> {
  if (!config.DISCORD_TOKEN) throw new ConfigError(['DISCORD_TOKEN: required to start the Discord bot']);
  const advice = await gatewayAdvice(config);
  const count = config.count === 'auto' ? advice.shards : config.count;
  if (count === 1) {
    log.info('discord: Discord recommends one shard: running it in this process');
    return startDiscord(app, config, log);
  }
  const problem = sharedStateProblem(config, count);
  if (problem) throw new ConfigError([problem]);
  const entry = options.entry ?? process.argv[1];
  if (!entry) throw new Error('discord: no script to start the shard processes with');
  const manager = new ShardingManager(entry, { totalShards: count, token: config.DISCORD_TOKEN, mode: 'process', respawn: false, execArgv: process.execArgv, shardArgs: process.argv.slice(2) });
  manager.on('shardCreate', (shard: Shard) => {
    shard.on('death', (child) => {
      if (!manager.respawn) return; // stopping, or a start that failed (said below)
      const how = 'signalCode' in child && child.signalCode ? `killed by ${child.signalCode}` : `exit code ${'exitCode' in child ? child.exitCode : '?'}`;
      log.warn(`discord: shard ${shard.id}'s process ended (${how}); starting it again`);
    });
    // A process started again that does not become ready: said, and tried again when it exits.
    shard.on('error', (err) => log.error(`discord: shard ${shard.id}'s process`, err));
  });
  log.info(`discord: starting ${count} shard process(es)${config.count === 'auto' ? ' (as Discord recommends)' : ''}, ${advice.maxConcurrency} at a time`);
  try {
    await manager.spawn({ amount: count, delay: Math.ceil(IDENTIFY_WINDOW_MS / advice.maxConcurrency), timeout: SHARD_READY_MS });
  } catch (err) {
    await stopShards(manager, log, Date.now() + FAILED_START_STOP_MS);
    const which = [...manager.shards.values()].find((s) => !s.ready);
    throw new Error(`discord: shard ${which?.id ?? '?'} could not start (${err instanceof Error ? err.message : String(err)}); its own lines above say why`);
  }
  // From now on a shard process that dies is started again.
  manager.respawn = true;
  return {
    manager,
    health: () => {
      const ready = [...manager.shards.values()].filter((s) => s.ready).length;
      return { ready: ready === count, shards: { ready, total: count } };
    },
    drain: async () => {
      signalShards(manager);
      return true;
    },
    stop: (until) => stopShards(manager, log, until),
  };
}

/** The shard processes still running. */
function runningShards(manager: ShardingManager): ChildProcess[] {
  return [...manager.shards.values()].map((s) => s.process).filter((p): p is ChildProcess => p !== null && p.exitCode === null && p.signalCode === null);
}

/** SIGTERM to every shard process still running, none started again. */
function signalShards(manager: ShardingManager): void {
  manager.respawn = false;
  for (const child of runningShards(manager)) child.kill('SIGTERM');
}

/** Stops every shard process (SIGTERM, once); those still running at `until` are killed. */
async function stopShards(manager: ShardingManager, log: Logger, until = Infinity): Promise<void> {
  const children = runningShards(manager);
  const exits = children.map((child) => once(child, 'exit'));
  // Those the drain signalled already are not hurt by a second SIGTERM: a stop under way ignores it.
  signalShards(manager);
  if (await within(Promise.all(exits), until)) return;
  const late = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of late) child.kill('SIGKILL');
  log.warn(`discord: ${late.length} shard process(es) still running at the stop's deadline were killed`);
}
