/**
 * Waits for `work` until `until` (milliseconds since the epoch, Date.now's clock; Infinity: as long
 * as it takes): true when it finished in time, false when the deadline came first. A rejection
 * counts as finished; whoever started the work reports its failure.
 */
export async function within(work: Promise<unknown>, until: number): Promise<boolean> {
  const done = work.then(
    () => true,
    () => true,
  );
  if (until === Infinity) return done;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, until - Date.now()));
    timer.unref();
  });
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Work under way (requests being answered, posts being sent) and whether new work is still taken:
 * a graceful stop closes it, so what arrives from then on is refused (told the bot is restarting,
 * or left for the next start), and waits for what was taken, until a deadline.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private open = true;

  get size(): number {
    return this.running.size;
  }

  /** Takes no new work: `take` refuses from now on. */
  get closed(): boolean {
    return !this.open;
  }

  /** `work`, counted until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  /** Runs `work`, counted, while open; once closed, `refuse` instead. */
  take<T>(work: () => Promise<T>, refuse: () => Promise<T>): Promise<T> {
    return this.open ? this.track(work()) : refuse();
  }

  close(): void {
    this.open = false;
  }

  /**
   * Resolves once nothing is under way (work started meanwhile included), or at `until` (ms since
   * the epoch) with what is still running then: true when everything finished.
   */
  async settle(until = Infinity): Promise<boolean> {
    while (this.running.size > 0) {
      if (!(await within(Promise.all(this.running), until))) return false;
    }
    return true;
  }
}
