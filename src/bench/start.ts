import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Spawned {
  /** From spawn to the first byte on stdout (the first answer), or to the exit when `untilExit`. */
  ms: number;
  code: number | null;
  stderr: string;
}

/**
 * Runs `node args...` with `input` on stdin and times it: to the first output (an answer), or to
 * the exit. The child's stdout is read, so a chatty command does not block on a full pipe.
 */
export function timeNode(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; untilExit?: boolean; timeoutMs?: number } = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let first: number | undefined;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout.on('data', () => {
      first ??= performance.now() - started;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const exit = performance.now() - started;
      resolve({ ms: options.untilExit ? exit : (first ?? exit), code, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface Timed {
  name: string;
  runs: number[];
  median: number;
  failed?: string;
}

/**
 * Times each variant `runs` times (or its own fewer `runs`, in the first rounds), interleaved (one
 * of each, then again), so that a machine busy with something else slows all of them alike;
 * reports medians.
 */
export async function interleaved(variants: Array<{ name: string; args: string[]; input?: string; env?: NodeJS.ProcessEnv; untilExit?: boolean; runs?: number }>, runs: number): Promise<Timed[]> {
  const out: Timed[] = variants.map((v) => ({ name: v.name, runs: [], median: NaN }));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[i]!;
      if (r >= (v.runs ?? runs)) continue;
      const result = await timeNode(v.args, v);
      if (result.code !== 0) out[i]!.failed ??= `exit ${result.code}: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
      out[i]!.runs.push(result.ms);
    }
  }
  for (const t of out) {
    const sorted = [...t.runs].sort((a, b) => a - b);
    t.median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  }
  return out;
}
