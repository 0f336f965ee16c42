import type { LaneTiming } from '../../src/adapters/lanes.js';

/**
 * Time for channel lanes that passes only when a lane waits: a wait of 30 s resolves at once (on a
 * later turn of the event loop) with the clock 30 s further on. Waits wake in deadline order, one
 * per turn, so real I/O in between (a call to a fake platform) interleaves as it would in real time.
 */
export class LaneTime implements LaneTiming {
  /** Starts at the real now, so that timestamps made from it look like Slack's. */
  private current = Date.now();
  private readonly sleepers: Array<{ at: number; seq: number; wake: () => void }> = [];
  private seq = 0;
  private scheduled = false;
  /** Every wait asked for, in ms, in order. */
  readonly waits: number[] = [];

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    return new Promise((wake) => {
      this.sleepers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, wake });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.sleepers.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.wake();
      if (this.sleepers.length) this.schedule();
    });
  }
}
