/**
 * Work under way (requests being answered, posts being sent), so that stopping can wait for it:
 * a graceful shutdown lets what started finish rather than cutting it off mid-call.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
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

  /**
   * Resolves once nothing is under way, work started meanwhile included, or after `ms` with what is
   * still running then: true when everything finished.
   */
  async settle(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ms);
      timer.unref();
    });
    try {
      while (this.running.size > 0) {
        if ((await Promise.race([Promise.all(this.running), deadline])) === 'late') return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
