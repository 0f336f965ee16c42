import type { Logger } from '../core/log.js';

/** Time for the lanes, injected so tests can run a minute of rate limits in no time. */
export interface LaneTiming {
  /** Milliseconds, on any fixed origin. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

export const realTiming: LaneTiming = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      // A wait must not keep a stopping process alive.
      setTimeout(resolve, Math.max(0, ms)).unref();
    }),
};

export interface LaneOptions {
  /** Least time between the starts of two calls in one channel (Slack: about one message a second). */
  minIntervalMs: number;
  /** When `err` says the platform refused the call for its rate limit: how long it asked to wait (ms). */
  retryAfterMs(err: unknown): number | undefined;
  /** When an edit failed with `err`, whether trying again later may succeed (server errors, network). */
  transient(err: unknown): boolean;
  /** Waits between attempts of an edit that keeps failing: doubling from `firstMs` up to `maxMs`. */
  backoff?: { firstMs: number; maxMs: number };
  timing?: LaneTiming;
  log: Logger;
}

/**
 * A post creates a message: after an uncertain failure (a server error, a lost connection) it may
 * exist already, so it is not sent again here. An edit sets a message to a given state, so it can
 * be repeated until it lands.
 */
export type CallKind = 'post' | 'edit';

interface Lane {
  /** Settles when the last call queued in this channel has finished, one way or the other. */
  tail: Promise<unknown>;
  /** The earliest moment the next call may start. */
  nextStart: number;
  queued: number;
}

/**
 * One lane per channel: calls to a channel run one at a time, in the order they were made, at most
 * one per `minIntervalMs`. A call the platform refuses for its rate limit waits the time the platform
 * asked for and is tried again in its place, so nothing behind it overtakes it. A rate-limited call
 * did not happen, so this holds for posts too; an edit is also tried again after transient errors
 * until it lands, with a growing wait, since the same edit twice does no harm.
 *
 * The platform SDKs already retry within a call (the Slack WebClient's retryConfig for network and
 * server errors; discord.js's REST waits out 429s per route bucket); a lane adds what they lack:
 * order across calls of one channel, Slack's per-channel pace, and persistence for edits.
 */
export class ChannelLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly timing: LaneTiming;
  private readonly backoff: { firstMs: number; maxMs: number };
  private stopped = false;

  constructor(private readonly options: LaneOptions) {
    this.timing = options.timing ?? realTiming;
    this.backoff = options.backoff ?? { firstMs: 1000, maxMs: 60_000 };
  }

  /** Runs `call` in `channel`'s lane; `what` names it in logs. */
  run<T>(channel: string, kind: CallKind, what: string, call: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(channel) ?? { tail: Promise.resolve(), nextStart: 0, queued: 0 };
    this.lanes.set(channel, lane);
    lane.queued++;
    const result = lane.tail.then(() => this.attempt(lane, kind, what, call));
    lane.tail = result.then(
      () => this.release(channel, lane),
      () => this.release(channel, lane),
    );
    return result;
  }

  /** How many calls wait or run in `channel`'s lane. */
  pending(channel: string): number {
    return this.lanes.get(channel)?.queued ?? 0;
  }

  /**
   * Stops for good: calls waiting in a lane, or waiting to try again, are dropped and never settle,
   * so nothing is sent, and nothing is recorded, after the platform and the store have closed.
   */
  stop(): void {
    this.stopped = true;
  }

  private release(channel: string, lane: Lane): void {
    lane.queued--;
    if (lane.queued === 0 && this.lanes.get(channel) === lane && lane.nextStart <= this.timing.now()) this.lanes.delete(channel);
  }

  private async wait(ms: number): Promise<void> {
    if (ms > 0) await this.timing.sleep(ms);
    if (this.stopped) await new Promise<never>(() => {});
  }

  private async attempt<T>(lane: Lane, kind: CallKind, what: string, call: () => Promise<T>): Promise<T> {
    let failures = 0;
    for (;;) {
      await this.wait(lane.nextStart - this.timing.now());
      const started = this.timing.now();
      lane.nextStart = started + this.options.minIntervalMs;
      try {
        return await call();
      } catch (err) {
        const retryAfter = this.options.retryAfterMs(err);
        if (retryAfter !== undefined) {
          lane.nextStart = Math.max(lane.nextStart, this.timing.now() + retryAfter);
          this.options.log.warn(`rate limited: ${what} is tried again in ${Math.ceil(retryAfter / 1000)} s`);
          continue;
        }
        if (kind !== 'edit' || !this.options.transient(err)) throw err;
        const delay = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** failures++);
        lane.nextStart = Math.max(lane.nextStart, this.timing.now() + delay);
        this.options.log.warn(`${what} failed (${err instanceof Error ? err.message : String(err)}); trying again in ${Math.ceil(delay / 1000)} s`);
      }
    }
  }
}
