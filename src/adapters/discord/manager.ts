import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import { ConfigError, sharedStateProblem, type Config } from '../../config/env.js';
import type { Logger } from '../../core/log.js';
import type { PlatformHealth } from '../health.js';
import { restOptions } from './commands.js';
import type { DiscordConfig } from './discord.js';
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
  /** A stop has begun: a shard process that ends now (Ctrl-C reaches them too) is not started again. */
  drain(): Promise<void>;
  /** Stops every shard process the way a signal stops one (each finishes its posts), and waits for them. */
  stop(): Promise<void>;
}

/** Discord identifies this many shards at once per 5 seconds (`max_concurrency`); one more a little later. */
const IDENTIFY_WINDOW_MS = 5500;
/** How long a shard process has to become ready, and to stop, before it is given up on. */
const SHARD_READY_MS = 60_000;
const SHARD_STOP_MS = 9_500;

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
 */
export async function startShardManager(config: ShardManagerConfig, log: Logger, options: ShardManagerOptions = {}): Promise<RunningShards> {
  if (!config.DISCORD_TOKEN) throw new ConfigError(['DISCORD_TOKEN: required to start the Discord bot']);
  const advice = await gatewayAdvice(config);
  const count = config.count === 'auto' ? advice.shards : config.count;
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
    await stopShards(manager, log);
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
      manager.respawn = false;
    },
    stop: () => stopShards(manager, log),
  };
}

/** SIGTERM to every shard process; those still running after the bound are killed. */
async function stopShards(manager: ShardingManager, log: Logger): Promise<void> {
  manager.respawn = false;
  const exits: Array<Promise<unknown>> = [];
  const children = [...manager.shards.values()].map((s) => s.process).filter((p): p is ChildProcess => p !== null && p.exitCode === null && p.signalCode === null);
  for (const child of children) {
    exits.push(once(child, 'exit'));
    child.kill('SIGTERM');
  }
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), SHARD_STOP_MS)));
  const outcome = await Promise.race([Promise.all(exits), bound]);
  clearTimeout(timer);
  if (outcome === 'late') {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    log.warn(`discord: shard processes still running after ${SHARD_STOP_MS / 1000} s were killed`);
  }
}
