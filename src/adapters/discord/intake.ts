/**
 * The requests a process is answering, and whether it still takes new ones: a graceful stop closes
 * the intake, answers what arrives meanwhile with a short "restarting", and waits for the rest.
 */
export class Intake {
  private running = 0;
  private open = true;
  private readonly whenIdle: Array<() => void> = [];

  /** Runs `work` while open, `refuse` once closing; never rejects (both handle their own errors). */
  async take(work: () => Promise<void>, refuse: () => Promise<void>): Promise<void> {
    if (!this.open) return refuse();
    this.running++;
    try {
      await work();
    } finally {
      if (--this.running === 0) for (const idle of this.whenIdle.splice(0)) idle();
    }
  }

  get closed(): boolean {
    return !this.open;
  }

  /** Takes nothing new from now on; resolves once every request taken is answered. */
  close(): Promise<void> {
    this.open = false;
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.whenIdle.push(resolve));
  }
}
