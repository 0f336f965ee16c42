import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/env.js';
import { silentLogger } from '../core/log.js';
import { HELD_OUT_TEST, HELD_OUT_TUNING, loadQueryFile, loadQuerySet, QUERY_SET_DIR } from '../search/query-set.js';
import { warmUp } from '../search/warm-up.js';
import { openBackfill } from '../start.js';

/** What the memory child reports (one JSON line on stdout). */
export interface MemoryFigures {
  lookups: number;
  seconds: number;
  /** After start (and warm-up), and after the lookups; MiB, after a full GC. */
  started: Usage;
  after: Usage;
  maxRss: number;
}

export interface Usage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const MiB = 2 ** 20;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function usage(): Usage {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss / MiB, heapUsed: m.heapUsed / MiB, heapTotal: m.heapTotal / MiB, external: m.external / MiB };
}

/**
 * The running bot's memory after many lookups: the bot opened as `npm start` opens it (snapshot,
 * SQLite file, warm-up), then `/explain` through the bot as a chat line would reach it, over the
 * labelled queries, one in ten with a misspelt word never seen before (so the typo cache and the
 * recorded misses grow as they would over weeks of questions). Run as its own process by the
 * benchmark (`node --expose-gc dist/bench/memory.js 100000`).
 */
async function main(): Promise<void> {
  const lookups = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'backfill-bench-memory-'));
  try {
    const config = loadConfig({ ...process.env, SQLITE_PATH: join(dir, 'bot.sqlite'), DATABASE_URL: '' });
    const app = await openBackfill(config, silentLogger);
    await warmUp(app);
    const started = usage();
    const queries = [...loadQuerySet(QUERY_SET_DIR), ...loadQueryFile(HELD_OUT_TUNING), ...loadQueryFile(HELD_OUT_TEST)].map((q) => q.q);
    const user = { id: 'UMEMORY', name: 'memory', isManager: false };
    const t0 = performance.now();
    for (let i = 0; i < lookups; i++) {
      const q = queries[i % queries.length]!;
      await app.bot.handleText('console:memory', user, i % 10 === 9 ? `${q} ${novelTypo(i)}` : q);
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = usage();
    await app.close();
    const figures: MemoryFigures = { lookups, seconds, started, after, maxRss: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A word like a misspelt one, different for each i: "partitoin", "replcia7"... */
function novelTypo(i: number): string {
  const stems = ['partiton', 'replcia', 'scheudler', 'executer', 'snapshto', 'comitted', 'brokr', 'consumr'];
  return `${stems[i % stems.length]}${i.toString(36)}`;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
