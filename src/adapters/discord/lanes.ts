import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { Logger } from '../../core/log.js';
import { ChannelLanes, type LaneTiming } from '../lanes.js';
import { networkCode } from './errors.js';

/** Server errors and network failures: discord.js already retried them a few times within the call. */
export function isTransientDiscordError(err: unknown): boolean {
  if (err instanceof RateLimitError) return true;
  if (err instanceof DiscordAPIError || err instanceof HTTPError) return err.status >= 500 || err.status === 429;
  return networkCode(err) !== undefined;
}

/**
 * The lanes Discord posts and edits go through. discord.js's REST already paces each route bucket
 * from Discord's X-RateLimit headers and waits out a 429's Retry-After before trying again, so the
 * lanes add no pace of their own: they keep one channel's posts and edits (different buckets) in
 * order, and keep an edit going through server errors and outages until it lands.
 */
export function discordLanes(log: Logger, timing?: LaneTiming): ChannelLanes {
  return new ChannelLanes({
    minIntervalMs: 0,
    // Only thrown when the REST manager is told to reject on rate limits, which this app does not do.
    retryAfterMs: (err) => (err instanceof RateLimitError ? err.retryAfter : undefined),
    transient: isTransientDiscordError,
    timing,
    log,
  });
}
