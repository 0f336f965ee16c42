import type { Timers } from '../../src/core/services.js';
import type { Store } from '../../src/store/store.js';
import type { FakeTime } from './time.js';

/** A store call a trap looks at: the method, its arguments, and (after the call) what it returned. */
export interface StoreCall {
  method: string;
  args: unknown[];
  result?: unknown;
}

export interface Trap {
  /** True: the process stops just before this call reaches the database. */
  before?(call: StoreCall): boolean;
  /** True: the process stops just after this call was written. */
  after?(call: StoreCall): boolean;
}

const forever = () => new Promise<never>(() => {});

/**
 * A bot process that a test can stop dead, as `kill -9` would: from that moment none of its store
 * calls return, none of its timers fire, and nothing it was doing goes on. Its platform calls in
 * flight are left to the fake platform (held, never answered). A trap can also pause the process at
 * a store call until the test lets it go on, to let another process start in between.
 */
export class Process {
  private dead = false;
  private traps: Array<Trap & { once: boolean; hit: (call: StoreCall) => Promise<void> }> = [];
  private killed!: () => void;
  /** Settles when the process is killed. */
  readonly died = new Promise<void>((resolve) => (this.killed = resolve));

  constructor(private readonly time: FakeTime) {}

  get isDead(): boolean {
    return this.dead;
  }

  kill(): void {
    this.dead = true;
    this.killed();
  }

  /** Dies at the first store call the trap names. */
  dieAt(trap: Trap): void {
    this.traps.push({
      ...trap,
      once: true,
      hit: async () => {
        this.kill();
        await forever();
      },
    });
  }

  /** Pauses at the first store call the trap names; `paused` settles then, and `resume()` lets it go on. */
  pauseAt(trap: Trap): { paused: Promise<void>; resume: () => void } {
    let resume!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (resume = r));
    const paused = new Promise<void>((r) => (reached = r));
    this.traps.push({
      ...trap,
      once: true,
      hit: async () => {
        reached();
        await gate;
      },
    });
    return { paused, resume };
  }

  /** The process's timers: those still pending when it dies never fire. */
  get timers(): Timers {
    return {
      set: (callback, ms) => this.time.set(() => (this.dead ? undefined : callback()), ms),
      clear: (handle) => this.time.clear(handle),
    };
  }

  /** The store as this process sees it (close() still works, for the test's clean-up). */
  store<S extends Store>(target: S): S {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || prop === 'close') return value;
        return async (...args: unknown[]) => {
          if (this.dead) return forever();
          const call: StoreCall = { method: String(prop), args };
          await this.spring('before', call);
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
          if (this.dead) return forever();
          await this.spring('after', { ...call, result });
          return result;
        };
      },
    });
  }

  private async spring(when: 'before' | 'after', call: StoreCall): Promise<void> {
    const trap = this.traps.find((t) => t[when]?.(call));
    if (!trap) return;
    if (trap.once) this.traps.splice(this.traps.indexOf(trap), 1);
    await trap.hit(call);
    if (this.dead) await forever();
  }
}
