import { performance } from 'node:perf_hooks';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `fn` on every input `rounds` times and returns per-call latencies in ms, sorted. */
export function latencies<T>(inputs: T[], rounds: number, fn: (input: T) => unknown): number[] {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      const t = performance.now();
      fn(input);
      out.push(performance.now() - t);
    }
  }
  return out.sort((a, b) => a - b);
}

export function time<T>(fn: () => T): { result: T; ms: number } {
  const t = performance.now();
  const result = fn();
  return { result, ms: performance.now() - t };
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(3) : x.toFixed(1)} ms`;
export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
