import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DeliveryError } from './delivery.js';
import { InFlight } from './in-flight.js';
import type { Logger } from './log.js';
import type { Reply } from './reply.js';
import type { Clock, Messenger, PostedMessage, Timers } from './services.js';

/**
 * How long a sender holds a post it is sending. It renews the hold while the platform call runs,
 * so only a sender that died (or froze) loses it; then another attempt may settle the post.
 */
export const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

/** What became of a post. */
export type Delivery =
  /** The platform has it (now, or from an earlier attempt). */
  | { state: 'sent'; message: PostedMessage }
  /** Another live sender holds it until `until`: look again then. */
  | { state: 'busy'; until: Date }
  /** It may or may not be out there and nothing can tell: it is not sent again. */
  | { state: 'unknown'; reason: string };

/** An outbox record as the store keeps it. */
export interface OutboxRecord {
  postKey: string;
  address: string;
  state: 'sending' | 'sent' | 'refused' | 'unknown';
  owner: string;
  /** When the attempt that may have reached the platform began (the start of Discord's nonce window). */
  startedAt: string;
  leaseUntil: string;
  attempts: number;
  messageId: string | null;
  settledAt: string | null;
  error: string | null;
}

/** The fields of an outbox record a state change writes. */
export type OutboxSettlement = Pick<OutboxRecord, 'state'> & Partial<Pick<OutboxRecord, 'messageId' | 'error' | 'settledAt' | 'leaseUntil'>>;

/** What the outbox needs of the store (the Store implements it). */
export interface OutboxStore {
  claimOutbox(postKey: string, address: string, owner: string, at: string, leaseUntil: string): Promise<boolean>;
  getOutbox(postKey: string): Promise<OutboxRecord | undefined>;
  takeOverOutbox(seen: OutboxRecord, owner: string, at: string, leaseUntil: string, restart: boolean): Promise<boolean>;
  settleOutbox(postKey: string, owner: string, settlement: OutboxSettlement): Promise<boolean>;
}

export interface OutboxDeps {
  store: OutboxStore;
  messenger: Messenger;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** Who this process is, in the records it writes; random by default. */
  owner?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Every bot post outside a request (quiz questions, standings, daily posts) goes out through here,
 * exactly once per key. The rule:
 *
 * 1. Before the platform call, the post is recorded as `sending`, with its owner and a lease.
 * 2. The platform call carries the key (Discord: a nonce with `enforce_nonce`; Slack: message
 *    metadata). Success records `sent` with the message id; a refusal (the platform answered no)
 *    records `refused`, and a later attempt may send it.
 * 3. No answer (a timeout, a dropped connection, a server error), or a sender that died with the
 *    record still `sending` and its lease run out: the post's fate is settled *before* anything is
 *    sent again, by `Messenger.recover` (Discord re-sends with the same nonce, which returns the
 *    first message if there was one; Slack looks for the key in the channel's recent history).
 *    Found: recorded `sent`. Certainly absent: sent now. Nothing can tell: recorded `unknown`, and
 *    never sent again: a missing post is better than a doubled one.
 *
 * `deliver` is safe to call again with the same key at any time, from any process: callers that
 * are unsure whether a post went out (a restart, a retry) simply call it again.
 */
export class Outbox {
  readonly owner: string;

  constructor(private readonly deps: OutboxDeps) {
    this.owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  private readonly inFlight = new InFlight();

  /** Posts being sent or settled now. */
  get sending(): number {
    return this.inFlight.size;
  }

  deliver(key: string, address: string, reply: Reply): Promise<Delivery> {
    // Stopping: a post not begun yet is left to the next start (its claim or its quiz takes it up
    // again), as if another process held it.
    return this.inFlight.take(
      () => this.deliverNow(key, address, reply),
      async () => ({ state: 'busy', until: new Date(this.deps.clock.now().getTime() + LEASE_MS) }),
    );
  }

  /**
   * For a graceful stop: no new post begins, and this resolves once those in flight are settled,
   * or at `until` (ms since the epoch): true when all were. One cut off is settled by the next
   * attempt, as after a crash.
   */
  drain(until = Infinity): Promise<boolean> {
    this.inFlight.close();
    return this.inFlight.settle(until);
  }

  private async deliverNow(key: string, address: string, reply: Reply): Promise<Delivery> {
    const { store, clock } = this.deps;
    for (let round = 0; round < 5; round++) {
      const now = clock.now().getTime();
      if (await store.claimOutbox(key, address, this.owner, iso(now), iso(now + LEASE_MS))) {
        return this.holding(key, () => this.attempt(key, address, reply, new Date(now)));
      }
      const record = await store.getOutbox(key);
      if (!record) continue;
      const known = this.outcome(record, now);
      if (known) return known;
      // Refused last time: nothing is out there, so this is a first attempt again (a new window).
      const restart = record.state === 'refused';
      if (!(await store.takeOverOutbox(record, this.owner, iso(now), iso(now + LEASE_MS), restart))) continue;
      if (!restart) this.deps.log.warn(`post ${key}: its sender stopped (${record.owner}); settling it before anything is sent again`);
      return this.holding(key, () => (restart ? this.attempt(key, address, reply, new Date(now)) : this.settle(key, address, reply, new Date(record.startedAt))));
    }
    // Lost every race for it: someone else is on it.
    return { state: 'busy', until: new Date(clock.now().getTime() + LEASE_MS) };
  }

  /** The settled outcome of a record, or undefined when it is this caller's to (re)attempt. */
  private outcome(record: OutboxRecord, now: number): Delivery | undefined {
    switch (record.state) {
      case 'sent':
        return record.messageId ? { state: 'sent', message: { address: record.address, messageId: record.messageId } } : { state: 'unknown', reason: 'sent, without a message id' };
      case 'unknown':
        return { state: 'unknown', reason: record.error ?? 'unconfirmed' };
      case 'sending':
        return Date.parse(record.leaseUntil) > now ? { state: 'busy', until: new Date(record.leaseUntil) } : undefined;
      case 'refused':
        return undefined;
    }
  }

  /** A first attempt: nothing of this post can be out there yet. */
  private async attempt(key: string, address: string, reply: Reply, startedAt: Date): Promise<Delivery> {
    try {
      return await this.sent(key, await this.deps.messenger.send(address, reply, { key }));
    } catch (err) {
      if (err instanceof DeliveryError && !err.maybePosted) {
        await this.deps.store.settleOutbox(key, this.owner, { state: 'refused', error: err.code, settledAt: this.deps.clock.now().toISOString() });
        throw err;
      }
      // No answer: it may be out there. Settle it now, while this process still holds it.
      this.deps.log.warn(`post ${key}: no answer from the platform (${describe(err)}); settling it`);
      return this.settle(key, address, reply, startedAt);
    }
  }

  /** Decides the fate of a post that may or may not be out there, then sends it only if it is certainly not. */
  private async settle(key: string, address: string, reply: Reply, startedAt: Date): Promise<Delivery> {
    const { messenger, clock } = this.deps;
    if (!messenger.recover) return this.unknown(key, 'the platform cannot be asked whether it arrived');
    let recovery;
    try {
      recovery = await messenger.recover(address, reply, { key, startedAt, now: clock.now() });
    } catch (err) {
      throw await this.release(key, err);
    }
    if ('found' in recovery) return this.sent(key, recovery.found);
    if ('unknown' in recovery) return this.unknown(key, recovery.unknown);
    try {
      return await this.sent(key, await messenger.send(address, reply, { key }));
    } catch (err) {
      if (err instanceof DeliveryError && !err.maybePosted) {
        await this.deps.store.settleOutbox(key, this.owner, { state: 'refused', error: err.code, settledAt: clock.now().toISOString() });
        throw err;
      }
      throw await this.release(key, err);
    }
  }

  /** Records the post as sent; if another process took it over meanwhile, its record wins. */
  private async sent(key: string, message: PostedMessage): Promise<Delivery> {
    const { store, clock, log } = this.deps;
    if (await store.settleOutbox(key, this.owner, { state: 'sent', messageId: message.messageId, settledAt: clock.now().toISOString() })) return { state: 'sent', message };
    const record = await store.getOutbox(key);
    if (record?.state === 'sent' && record.messageId !== message.messageId) {
      log.error(`post ${key}: sent as ${message.messageId} after another process settled it as ${record.messageId} (this process had stalled past its lease)`);
    }
    return (record && this.outcome(record, clock.now().getTime())) ?? { state: 'busy', until: new Date(record?.leaseUntil ?? clock.now()) };
  }

  private async unknown(key: string, reason: string): Promise<Delivery> {
    this.deps.log.warn(`post ${key}: whether it reached the platform cannot be told (${reason}); it is not sent again`);
    await this.deps.store.settleOutbox(key, this.owner, { state: 'unknown', error: reason, settledAt: this.deps.clock.now().toISOString() });
    return { state: 'unknown', reason };
  }

  /** Gives a post up with its outcome still open, so that the next attempt settles it at once; the error to throw. */
  private async release(key: string, err: unknown): Promise<DeliveryError> {
    await this.deps.store.settleOutbox(key, this.owner, { state: 'sending', leaseUntil: this.deps.clock.now().toISOString() }).catch(() => false);
    if (err instanceof DeliveryError) return err;
    const delivery = new DeliveryError(`post ${key}: ${describe(err)}`, 'unknown_error', false);
    delivery.maybePosted = true;
    delivery.cause = err;
    return delivery;
  }

  /** Runs `work` while renewing this process's hold on the post, so that only a dead sender loses it. */
  private async holding<T>(key: string, work: () => Promise<T>): Promise<T> {
    const { timers, store, clock, log } = this.deps;
    let done = false;
    let handle: unknown;
    const renew = () => {
      handle = timers.set(async () => {
        if (done) return;
        const held = await store.settleOutbox(key, this.owner, { state: 'sending', leaseUntil: iso(clock.now().getTime() + LEASE_MS) }).catch((err: unknown) => {
          log.warn(`post ${key}: could not renew its hold`, describe(err));
          return false;
        });
        // Settled, taken over, or the store is gone (the process is stopping): nothing left to hold.
        if (held && !done) renew();
      }, RENEW_MS);
    };
    renew();
    try {
      return await work();
    } finally {
      done = true;
      timers.clear(handle);
    }
  }
}
