import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import { packageRoot } from '../config/env.js';
import { seededRandom } from '../core/random.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { SearchIndex } from '../search/engine.js';
import { loadQuerySet, QUERY_SET_DIR, scoreQuerySet, type LabelledQuery } from '../search/query-set.js';
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

function report(name: string, queries: LabelledQuery[], find: Finder, rounds: number, sampleSize = queries.length): string[] {
  const s = scoreQuerySet(queries, find);
  const sample = queries.slice(0, sampleSize).map((q) => q.q);
  const lat = latencies(sample, rounds, find);
  return [
    `  ${name.padEnd(16)} top-1 ${pct(s.accuracy)} (${s.answerable - s.misses.length}/${s.answerable})  wrong card for ${s.falseMatches.length}/${s.unanswerable} unanswerable  p50 ${ms(percentile(lat, 50))}  p99 ${ms(percentile(lat, 99))}  (${lat.length} lookups)`,
  ];
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
  const queries = loadQuerySet(QUERY_SET_DIR);
  const lines: string[] = [`Search: ${kb.concepts.length} concepts, ${queries.length} labelled queries (${queries.filter((q) => q.expect === null).length} unanswerable)`];
  const build = time(() => new SearchIndex(kb.concepts, kb.topics));
  lines.push(`  index build: ${ms(build.ms)}`);
  lines.push(...report('Backfill', queries, ours(build.result), 5));
  lines.push(...report('plain Fuse.js', queries, plainFuse(kb.concepts), 1));

  const synthetic = [...kb.concepts, ...syntheticConcepts(kb.concepts, 30_000 - kb.concepts.length, seededRandom(42))];
  lines.push(`Search at ${synthetic.length} concepts (${kb.concepts.length} real + synthetic):`);
  const big = time(() => new SearchIndex(synthetic, kb.topics));
  lines.push(`  index build: ${ms(big.ms)}`);
  lines.push(...report('Backfill', queries, ours(big.result), 3));
  const fuseBuild = time(() => plainFuse(synthetic));
  lines.push(`  plain Fuse.js index build: ${ms(fuseBuild.ms)}; 20 queries only (it scans every record):`);
  const fuseSample = queries.slice(0, 20);
  lines.push(...report('plain Fuse.js', fuseSample, fuseBuild.result, 1));
  lines.push(startToReady());
  lines.push(`  heap used after building both indexes: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
  return lines;
}
