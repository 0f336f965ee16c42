import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * `node dist/main.js` (the unbundled build of what `npm start` runs as dist/main.cjs; `npm test` builds dist first) as a child process, with
 * its output collected, so a test sees what an operator sees: the lines, the exit code, the time.
 */
export class MainProcess {
  stdout = '';
  stderr = '';
  readonly started = Date.now();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  private readonly child: ChildProcess;

  /** `keepInput`: stdin stays open for `type` (the console chat reads it), else it ends at once. */
  constructor(env: Record<string, string>, options: { keepInput?: boolean } = {}) {
    this.child = spawn(process.execPath, [process.env['BACKFILL_MAIN'] ?? 'dist/main.js'], { env: { ...process.env, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    if (!options.keepInput) this.child.stdin!.end();
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, ms: Date.now() - this.started }));
  }

  /** Resolves when stderr has a line matching `pattern`; rejects if the process exits first or after `timeoutMs`. */
  async waitForLog(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void this.exited.then(() => (gone = true));
    while (!pattern.test(this.stderr)) {
      if (gone) throw new Error(`the process exited before logging ${pattern}; stderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A line typed into its stdin (with `keepInput`). */
  type(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Resolves when stdout matches `pattern`; rejects if the process exits first or after `timeoutMs`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.stdout)) {
      if (!this.alive) throw new Error(`the process exited before printing ${pattern}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The operating system's id of the process (for /proc, e.g. its memory). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Lines that are part of a stack trace. */
export const STACK_LINE = /^\s+at /m;
