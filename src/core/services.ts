import type { Reply } from './reply.js';

/** Time is injected so that tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Where a message went, so it can be edited later. */
export interface PostedMessage {
  address: string;
  messageId: string;
}

export interface SendOptions {
  /**
   * The post's idempotency key: the same key is the same post, across attempts and processes.
   * Discord sends a nonce derived from it with `enforce_nonce`; Slack carries it in message metadata.
   */
  key?: string;
}

/** A send whose outcome is unknown (its sender died, or no answer came back), as `Messenger.recover` sees it. */
export interface InterruptedSend {
  key: string;
  /** When the attempt that may have reached the platform began. */
  startedAt: Date;
  now: Date;
}

/**
 * What a platform says about an interrupted send: the post is there (found again, or the platform
 * dropped a second send with the same key and returned the first); it is certainly not there; or
 * nothing can tell, and the post must not be sent again.
 */
export type Recovery = { found: PostedMessage } | { absent: true } | { unknown: string };

/** Sends replies to addresses outside a request: quiz questions, reveals, daily posts. */
export interface Messenger {
  send(address: string, reply: Reply, options?: SendOptions): Promise<PostedMessage>;
  update(message: PostedMessage, reply: Reply): Promise<void>;
  /**
   * Settles an interrupted send before anything is sent again. Without it, an interrupted post
   * counts as unknown and is not re-sent. Wrappers of a messenger must pass it (and `key`) through.
   */
  recover?(address: string, reply: Reply, send: InterruptedSend): Promise<Recovery>;
  /** Whether this process can post to the address (a registry knows only its running adapters). */
  canReach?(address: string): boolean;
  /**
   * The address of the direct conversation between the bot and a person, from any address of that
   * platform (opened when needed): where reminders go. Without it, the platform has no DMs.
   */
  directAddress?(address: string, userId: string): Promise<string>;
}

/** Timers are injected with the clock so tests can run a 20-second question in no time. */
export interface Timers {
  /** The callback may return a promise: fake timers in tests wait for it. */
  set(callback: () => unknown, ms: number): unknown;
  clear(handle: unknown): void;
}

export const systemTimers: Timers = {
  set: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
