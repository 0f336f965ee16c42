import type { Logger } from '../../core/log.js';
import { ChannelLanes, type LaneTiming } from '../lanes.js';
import { isTransientSlackError, slackRetryAfterMs } from './delivery.js';

/** chat.postMessage allows about one message per second per channel (short bursts aside). */
export const SLACK_CHANNEL_INTERVAL_MS = 1000;

/** The lanes Slack posts and edits go through: one call per channel per second, 429s waited out. */
export function slackLanes(log: Logger, timing?: LaneTiming): ChannelLanes {
  return new ChannelLanes({ minIntervalMs: SLACK_CHANNEL_INTERVAL_MS, retryAfterMs: slackRetryAfterMs, transient: isTransientSlackError, timing, log });
}
