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
