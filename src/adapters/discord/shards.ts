import { Events, ShardClientUtil, type Client, type ClientOptions } from 'discord.js';
import type { DiscordShards } from '../../config/env.js';
import type { PlatformHealth } from '../health.js';

/** The gateway shards a Client of this process connects: discord.js's `shards` and `shardCount`. */
export function shardOptions(shards: DiscordShards | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (shards?.mode === 'ids' || shards?.mode === 'child') return { shards: shards.ids, shardCount: shards.count };
  return {};
}

/** The shard ids this Client runs and the count over all processes. */
export function shardsOf(client: Client): { ids: number[]; count: number } {
  const ids = Array.isArray(client.options.shards) ? client.options.shards : [0];
  return { ids, count: client.options.shardCount ?? 1 };
}

/**
 * Whether this Client's shards own an address: the shard Discord sends a server's events to,
 * `(guild_id >> 22) % shard_count`, and shard 0 for DMs, where Discord sends those. Scheduled work
 * (resumed quizzes, daily posts, reminders) runs in the process that owns the address, so each
 * shard sweeps only its own servers; the database claims keep a post single even while two
 * processes disagree (shard counts changing during a rolling restart).
 */
export function ownsAddress(client: Client, address: string): boolean {
  const [platform, scope] = address.split(':');
  if (platform !== 'discord' || !scope) return false;
  const { ids, count } = shardsOf(client);
  if (!/^\d+$/.test(scope)) return ids.includes(0);
  return ids.includes(ShardClientUtil.shardIdForGuildId(scope, count));
}

/** Which of a Client's shards are connected, from its shard events, for the health endpoint. */
export function trackShards(client: Client): () => PlatformHealth {
  const ready = new Set<number>();
  client.on(Events.ShardReady, (id) => ready.add(id));
  client.on(Events.ShardResume, (id) => ready.add(id));
  client.on(Events.ShardReconnecting, (id) => ready.delete(id));
  client.on(Events.ShardDisconnect, (_event, id) => ready.delete(id));
  return () => {
    const total = shardsOf(client).ids.length;
    return { ready: ready.size === total, shards: { ready: ready.size, total } };
  };
}
