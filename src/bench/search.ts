import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import { packageRoot } from '../config/env.js';
import { seededRandom } from '../core/random.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { SearchIndex } from '../search/engine.js';
import { byKind, HELD_OUT_TEST, HELD_OUT_TUNING, loadQueryFile, loadQuerySet, QUERY_SET_DIR, scoreQuerySet, type LabelledQuery } from '../search/query-set.js';
import { latencies, ms, pct, percentile, time } from './stats.js';
import { syntheticConcepts } from './synthetic.js';

type Finder = (q: string) => string | null;

/** Plain Fuse.js as most bots use it: one index over every field, default options, first hit wins. */
function plainFuse(concepts: Concept[]): Finder {
  const fuse = new Fuse(concepts, { keys: ['title', 'aliases', 'summary', 'body'] });
  return (q) => fuse.search(q, { limit: 1 })[0]?.item.id ?? null;
}

function ours(index: SearchIndex): Finder {
  return (q) => index.search(q).match?.concept.id ?? null;
}

function accuracyLine(name: string, queries: LabelledQuery[], find: Finder): string {
  const s = scoreQuerySet(queries, find);
  return `  ${name.padEnd(22)} top-1 ${pct(s.accuracy)} (${s.answerable - s.misses.length}/${s.answerable})  wrong card ${s.wrong.length}/${queries.length} (${pct(s.wrongRate)})  card for ${s.falseMatches.length}/${s.unanswerable} must-match-nothing`;
}

function kindLines(queries: LabelledQuery[], find: Finder): string[] {
  const s = scoreQuerySet(queries, find);
  return byKind(s.outcomes).map((k) => `      ${k.kind.padEnd(11)} ${`${k.right}/${k.total}`.padStart(7)}  ${pct(k.total ? k.right / k.total : 0).padStart(6)}  wrong ${k.wrong}`);
}

/** Cold: a fresh index's first pass over the queries (empty caches); warm: the passes after it. */
function latencyLine(name: string, index: () => SearchIndex, sample: string[], warmRounds: number): string {
  const fresh = index();
  const cold = latencies(sample, 1, (q) => fresh.search(q));
  const warm = latencies(sample, warmRounds, (q) => fresh.search(q));
  return `  ${name.padEnd(22)} cold p50 ${ms(percentile(cold, 50))} p99 ${ms(percentile(cold, 99))} · warm p50 ${ms(percentile(warm, 50))} p99 ${ms(percentile(warm, 99))}  (${cold.length} + ${warm.length} lookups)`;
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function startToReady(): string {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(packageRoot, 'dist', 'main.js')], { input: '/explain kafka acks\n', encoding: 'utf8', env: { ...process.env, SQLITE_PATH: ':memory:', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' } });
    if (r.status !== 0) return `  start to ready: failed (${r.stderr.trim().split('\n')[0]})`;
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return `  start to first answer (npm start's process, piped "/explain kafka acks", whole run until exit): median ${ms(percentile(runs, 50))}, max ${ms(runs[runs.length - 1]!)}`;
}

export function benchSearch(kb: KnowledgeBase): string[] {
  const existing = loadQuerySet(QUERY_SET_DIR);
  const halves: Array<[string, LabelledQuery[]]> = existsSync(HELD_OUT_TEST)
    ? [
        ['held-out test half', loadQueryFile(HELD_OUT_TEST)],
        ['held-out tuning half', loadQueryFile(HELD_OUT_TUNING)],
      ]
    : [];
  const lines: string[] = [`Search: ${kb.concepts.length} concepts`];
  const build = time(() => new SearchIndex(kb.concepts, kb.topics));
  lines.push(`  index build: ${ms(build.ms)}`);
  const find = ours(build.result);
  for (const [name, queries] of halves) {
    lines.push(accuracyLine(`${name} (${queries.length})`, queries, find));
    lines.push(...kindLines(queries, find));
  }
  lines.push(accuracyLine(`existing set (${existing.length})`, existing, find));
  lines.push(accuracyLine('plain Fuse.js, test half', halves[0]?.[1] ?? existing, plainFuse(kb.concepts)));
  const every = [...halves.flatMap(([, q]) => q), ...existing].map((q) => q.q);
  lines.push(latencyLine('Backfill', () => new SearchIndex(kb.concepts, kb.topics), every, 3));

  const synthetic = [...kb.concepts, ...syntheticConcepts(kb.concepts, 30_000 - kb.concepts.length, seededRandom(42))];
  lines.push(`Search at ${synthetic.length} concepts (${kb.concepts.length} real + synthetic):`);
  const before = heapMiB();
  const big = time(() => new SearchIndex(synthetic, kb.topics));
  const after = heapMiB();
  lines.push(`  index build: ${ms(big.ms)}; index heap: ${(after - before).toFixed(0)} MiB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for an exact figure)'}`);
  const bigFind = ours(big.result);
  for (const [name, queries] of [...halves.slice(0, 1), ['existing set', existing] as [string, LabelledQuery[]]]) lines.push(accuracyLine(name, queries, bigFind));
  lines.push(latencyLine('Backfill', () => big.result, every.slice(0, 400), 2).replace('cold', 'cold*'));
  lines.push('    * the 30k index was already used for the accuracy lines above; a fresh index is cold below');
  lines.push(latencyLine('Backfill, fresh index', () => new SearchIndex(synthetic, kb.topics), every.slice(0, 200), 1));
  const fuseBuild = time(() => plainFuse(synthetic));
  const fuseSample = (halves[0]?.[1] ?? existing).slice(0, 5);
  const fuseLat = latencies(fuseSample.map((q) => q.q), 1, fuseBuild.result);
  lines.push(`  plain Fuse.js: build ${ms(fuseBuild.ms)}; 5 queries only (it scans every record): p50 ${ms(percentile(fuseLat, 50))}`);
  lines.push(startToReady());
  return lines;
}
