import type { Logger } from './log.js';
import type { Timers } from './services.js';

/** What a sweep looks at before each page or step: once stopping, it claims and writes nothing more. */
export interface SweepSignal {
  readonly stopping: boolean;
}

/** For a sweep run by hand (tests, one-off runs): it goes to the end. */
export const UNSTOPPED: SweepSignal = { stopping: false };

/**
 * Periodic work over the database (due daily posts, reminders, overdue quizzes) that a stop ends
 * cleanly. One run at a time: a run asked for while one is under way is that run. `stop()` sets no
 * timer again, tells the run under way to end before its next step (`signal.stopping`), and
 * resolves once it has, so nothing is claimed or written after the store closes. A Sweep is one
 * start: to start again, make a new one (its first run may wait for the old one's `stop()`).
 */
export class Sweep {
  private readonly signal = { stopping: false };
  private running: Promise<void> | undefined;
  private timer: unknown;
  private timers: Timers | undefined;

  constructor(
    private readonly name: string,
    private readonly work: (signal: SweepSignal) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  get stopping(): boolean {
    return this.signal.stopping;
  }

  /** Runs the work now, or answers the run under way; nothing once stopping. A failure is logged, never thrown. */
  run(): Promise<void> {
    if (this.signal.stopping) return Promise.resolve();
    if (!this.running) {
      const run: Promise<void> = this.work(this.signal)
        .then(
          () => undefined,
          (err: unknown) => this.log.error(`${this.name} failed`, err),
        )
        .finally(() => {
          if (this.running === run) this.running = undefined;
        });
      this.running = run;
    }
    return this.running;
  }

  /** Runs every `everyMs` on `timers` until stopped, the first time after `firstMs`; each wait begins when a run ends. Once per Sweep. */
  every(timers: Timers, everyMs: number, firstMs = everyMs): this {
    if (this.timers) throw new Error(`${this.name}: already scheduled`);
    this.timers = timers;
    const tick = async () => {
      this.timer = undefined;
      await this.run();
      if (!this.signal.stopping) this.timer = timers.set(tick, everyMs);
    };
    if (!this.signal.stopping) this.timer = timers.set(tick, firstMs);
    return this;
  }

  /** No run begins from now on; resolves once the run under way (if any) has ended. */
  async stop(): Promise<void> {
    this.signal.stopping = true;
    if (this.timer !== undefined) this.timers?.clear(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
