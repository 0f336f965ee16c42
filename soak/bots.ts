import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MainProcess } from '../test/helpers/spawn-main.js';

/** One run of a bot process, from spawn to exit. */
export interface Incarnation {
  slot: string;
  n: number;
  proc: MainProcess;
  pid: number | undefined;
  spawnedAt: number;
  readyAt?: number;
  /** Resident set size samples, in kB, with when they were taken. */
  rss: Array<{ at: number; kb: number }>;
  /** Set when the soak ended it on purpose. */
  ending?: 'kill -9' | 'SIGTERM';
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  /** Why it failed to start, if it did. */
  startError?: string;
}

/** The resident set size of a process in kB, from /proc; undefined when it is gone. */
export function rssKb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A bot process the soak keeps running: `node dist/main.js` with a fixed environment (so the same
 * port after a restart, as a service address would be), killed with SIGKILL and started again.
 */
export class BotSlot {
  readonly incarnations: Incarnation[] = [];
  private starting?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    /** The log line that says it serves. */
    private readonly ready: RegExp,
    private readonly logDir: string,
  ) {}

  get current(): Incarnation | undefined {
    return this.incarnations.at(-1);
  }

  /** Started, serving, and not being ended by the soak. */
  get serving(): boolean {
    const c = this.current;
    return Boolean(c && c.readyAt && !c.ending && !c.exit && c.proc.alive);
  }

  get isStarting(): boolean {
    return this.starting !== undefined;
  }

  /** Starts a new incarnation and waits until it logs that it serves. */
  start(): Promise<void> {
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async spawn(): Promise<void> {
    const proc = new MainProcess(this.env);
    const inc: Incarnation = { slot: this.name, n: this.incarnations.length + 1, proc, pid: proc.pid, spawnedAt: Date.now(), rss: [] };
    this.incarnations.push(inc);
    void proc.exited.then(({ code, signal }) => {
      inc.exit = { code, signal, at: Date.now() };
      this.saveLog(inc);
    });
    try {
      await proc.waitForLog(this.ready, 60_000);
      inc.readyAt = Date.now();
    } catch (err) {
      inc.startError = err instanceof Error ? err.message.split('\n')[0] : String(err);
      if (proc.alive) {
        inc.ending = 'kill -9';
        proc.kill('SIGKILL');
        await proc.exited;
      }
    }
  }

  /** kill -9: the process gets no chance to finish anything. */
  async kill9(): Promise<void> {
    const c = this.current;
    if (!c || c.exit || !c.proc.alive) return;
    c.ending = 'kill -9';
    c.proc.kill('SIGKILL');
    await c.proc.exited;
  }

  /** A clean stop (SIGTERM), as an operator's restart would do; SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.starting?.catch(() => undefined);
    const c = this.current;
    if (!c || c.exit || !c.proc.alive) return;
    c.ending = 'SIGTERM';
    c.proc.kill('SIGTERM');
    const timer = setTimeout(() => c.proc.alive && c.proc.kill('SIGKILL'), graceMs);
    await c.proc.exited;
    clearTimeout(timer);
  }

  /** Ends every incarnation at once (the soak is being torn down). */
  killNow(): void {
    for (const inc of this.incarnations) if (inc.proc.alive) inc.proc.kill('SIGKILL');
  }

  sampleRss(now = Date.now()): void {
    const c = this.current;
    if (!c || c.exit || !c.readyAt) return;
    const kb = rssKb(c.pid);
    if (kb !== undefined) c.rss.push({ at: now, kb });
  }

  /** Incarnations that ended without the soak ending them: crashes. */
  get crashes(): Incarnation[] {
    return this.incarnations.filter((i) => i.exit && !i.ending);
  }

  private saveLog(inc: Incarnation): void {
    try {
      writeFileSync(join(this.logDir, `${this.name}-${inc.n}.log`), `${inc.proc.stdout}${inc.proc.stderr}`);
    } catch {
      // The log folder is a convenience for reading a failure afterwards.
    }
  }
}

/** A log line at WARN or ERROR, with the incarnation it came from. */
export interface LogEvent {
  slot: string;
  level: 'WARN' | 'ERROR';
  message: string;
  /** The message with ids, numbers and addresses replaced, for counting by kind. */
  kind: string;
}

const LOG_LINE = /^\S+ (WARN|ERROR) (.*)$/;

/** Replaces what varies between two occurrences of one kind of log line. */
export function logKind(message: string): string {
  return message
    .replace(/\{.*$/, '')
    .replace(/(slack|discord):[A-Z0-9]+:[A-Z0-9]+/g, '<address>')
    .replace(/quiz:[a-z0-9]+:(\d+|end)/g, 'quiz:<id>:<n>')
    .replace(/daily:concept:\S+/g, 'daily:concept:<date>:<address>')
    .replace(/\b(quiz|message) [a-z0-9.]+/g, '$1 <id>')
    .replace(/\([^()\s]*:\d+:[0-9a-f]+\)/g, '(<process>)')
    .replace(/\b[0-9a-f]{12,}\b/g, '<id>')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .slice(0, 140)
    .trim();
}

/** WARN and ERROR lines of every incarnation of `slots`. */
export function logEvents(slots: BotSlot[]): LogEvent[] {
  const events: LogEvent[] = [];
  for (const slot of slots) {
    for (const inc of slot.incarnations) {
      for (const line of inc.proc.stderr.split('\n')) {
        const m = LOG_LINE.exec(line);
        if (m) events.push({ slot: slot.name, level: m[1] as 'WARN' | 'ERROR', message: m[2]!, kind: logKind(m[2]!) });
      }
    }
  }
  return events;
}
