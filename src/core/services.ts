import type { KnowledgeBase } from '../knowledge/schema.js';
import type { SearchIndex } from '../search/engine.js';
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

/** Sends replies to addresses outside a request: quiz questions, reveals, daily posts. */
export interface Messenger {
  send(address: string, reply: Reply): Promise<PostedMessage>;
  update(message: PostedMessage, reply: Reply): Promise<void>;
}

export interface Knowledge {
  kb: KnowledgeBase;
  search: SearchIndex;
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
