/**
 * Runs tasks with at most `limit` at a time per key (a platform): ten thousand channels due in
 * the same minute become `limit` requests in flight per platform, the rest waiting their turn in
 * order, instead of ten thousand at once. A task's failure is its own to handle: it is not thrown here.
 */
export class PlatformSlots {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly unfinished = new Set<Promise<void>>();
  private roomWaiters: Array<{ max: number; resolve: () => void }> = [];
  private queuedCount = 0;

  constructor(private readonly limitOf: (key: string) => number) {}

  /** Tasks waiting for a slot, over every key. */
  get queued(): number {
    return this.queuedCount;
  }

  /** Starts `task` when `key` has a free slot. */
  run(key: string, task: () => Promise<void>): void {
    this.queuedCount++;
    const done = this.slot(key)
      .then(() => {
        this.queuedCount--;
        this.wakeRoomWaiters();
        return task();
      })
      .catch(() => undefined)
      .finally(() => {
        this.unfinished.delete(done);
        this.release(key);
      });
    this.unfinished.add(done);
  }

  /** Resolves once at most `max` tasks are waiting: a feeder waits here before adding more. */
  room(max: number): Promise<void> {
    if (this.queuedCount <= max) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ max, resolve }));
  }

  /** Resolves once every task given so far has finished. */
  async idle(): Promise<void> {
    while (this.unfinished.size) await Promise.all([...this.unfinished]);
  }

  private slot(key: string): Promise<void> {
    const running = this.running.get(key) ?? 0;
    if (running < Math.max(1, this.limitOf(key))) {
      this.running.set(key, running + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push(resolve);
      this.waiting.set(key, queue);
    });
  }

  /** A finished task hands its slot straight to the next waiting one of its key. */
  private release(key: string): void {
    const next = this.waiting.get(key)?.shift();
    if (next) return next();
    this.running.set(key, (this.running.get(key) ?? 1) - 1);
  }

  private wakeRoomWaiters(): void {
    const ready = this.roomWaiters.filter((w) => this.queuedCount <= w.max);
    this.roomWaiters = this.roomWaiters.filter((w) => this.queuedCount > w.max);
    for (const w of ready) w.resolve();
  }
}
