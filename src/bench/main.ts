import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../config/env.js';
import { loadKnowledge } from '../knowledge/load.js';
import { readNotCovered } from '../knowledge/not-covered.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { openKnowledgeCached, snapshotFile, snapshotKey } from '../knowledge/snapshot.js';
import { writeSnapshotFile } from '../knowledge/snapshot-format.js';
import { SearchIndex } from '../search/engine.js';
import { writeKnowledgeDir } from './knowledge-dir.js';
import type { MemoryFigures } from './memory.js';
import { benchSearch } from './search.js';
import { benchSlack } from './slack.js';
import { interleaved, timeNode, type Timed } from './start.js';
import { ms } from './stats.js';

const RUNS = 5;
const BIG_RUNS = 3;
const LOOKUPS = 100_000;
const QUESTION = '/explain kafka acks\n';
const MAIN = join(packageRoot, 'dist', 'main.js');
const CLI = join(packageRoot, 'dist', 'cli', 'main.js');
/** The console bot, as `npm start` runs it with no platform configured. */
const CONSOLE_ENV = { ...process.env, SQLITE_PATH: ':memory:', DATABASE_URL: '', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', DISCORD_TOKEN: '' };

/**
 * `npm run bench`: prints the figures the issues ask for, with the machine they were taken on.
 * `npm run -s bench -- --json` prints them as one JSON document instead (progress on stderr).
 */
async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const started = performance.now();
  const say = (lines: string[]) => {
    if (!json) process.stdout.write(`${lines.join('\n')}\n`);
    else process.stderr.write(`${lines.find((l) => l.trim()) ?? ''} ...\n`);
  };
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = { node: process.version, cpus: cpus().length, cpu };
  say([`Backfill benchmark · Node ${process.version} · ${cpus().length} × ${cpu}`, '']);
  const realDir = join(packageRoot, 'knowledge');
  const kb = loadKnowledge(realDir);

  // Slack first: its peak-memory figure is the process's, and the 30,000-concept index would swell it.
  const slack = await benchSlack();
  say([...slack.lines, '']);

  // The memory run (a process of its own, about half a minute) goes alongside plain Fuse.js at
  // 30,000 cards, the one figure here that is seconds per query; nothing else overlaps.
  let memoryRun: Promise<Awaited<ReturnType<typeof benchMemory>>> | undefined;
  const search = benchSearch(kb, { beforeFuse: () => (memoryRun = benchMemory()), fuseNote: 'timed while the memory run below used the other core' });
  say([...search.lines, '']);
  const memory = await (memoryRun ?? benchMemory());

  const start = await benchStart(kb, realDir, search.synthetic.slice(kb.concepts.length));
  say([...start.lines, '']);

  say(memory.lines);

  const seconds = (performance.now() - started) / 1000;
  say([``, `whole run: ${seconds.toFixed(0)} s`]);
  if (json) process.stdout.write(`${JSON.stringify({ machine, seconds, slack: slack.figures, search: search.figures, start: start.figures, memory: memory.figures }, null, 2)}\n`);
}

function ratioLine(t: Timed, bare: Timed, what: string): string {
  return `  ${what.padEnd(44)} median ${ms(t.median).padStart(9)}  ×${(t.median / bare.median).toFixed(2)} bare node${t.failed ? `  (FAILED: ${t.failed})` : ''}`;
}

/**
 * Start time: from spawning the process to its first answer on stdout (the console bot, piped one
 * question) or to its exit (`node -e 0`, CLI commands), as a ratio to bare node measured alongside.
 * At real size with the snapshot and without; at 30,000 cards from a snapshot.
 */
async function benchStart(kb: KnowledgeBase, realDir: string, extra: Concept[]) {
  // The snapshot of the real knowledge base is current after `npm run build`; make sure of it.
  await openKnowledgeCached(realDir);
  const bare = { name: 'bare', args: ['-e', '0'], untilExit: true };
  const timed = await interleaved(
    [
      bare,
      { name: 'snapshot', args: [MAIN], input: QUESTION, env: CONSOLE_ENV },
      { name: 'files', args: [MAIN], input: QUESTION, env: { ...CONSOLE_ENV, KNOWLEDGE_CACHE_DIR: 'off' } },
      { name: 'help', args: [CLI, '--help'], untilExit: true },
      { name: 'kb list', args: [CLI, 'kb', 'list'], untilExit: true },
    ],
    RUNS,
  );
  const [b, snap, files, help, list] = timed as [Timed, Timed, Timed, Timed, Timed];
  const lines = [
    `Start (${kb.concepts.length} cards): ${RUNS} runs each, interleaved, median; bare \`node -e 0\` ${ms(b.median)}`,
    ratioLine(snap, b, 'npm start to first answer, from the snapshot'),
    ratioLine(files, b, 'npm start to first answer, snapshots off'),
    ratioLine(help, b, 'backfill --help'),
    ratioLine(list, b, 'backfill kb list'),
  ];

  // 30,000 cards on disk (the real ones and the synthetic ones of the search benchmark), and their
  // snapshot, written here from the same cards rather than by a start that would parse 30,000 files.
  const dir = mkdtempSync(join(tmpdir(), 'backfill-bench-30k-'));
  const cacheDir = join(dir, '.snapshots');
  try {
    const knowledgeDir = join(dir, 'knowledge');
    const written = performance.now();
    const concepts = writeKnowledgeDir(knowledgeDir, realDir, kb, extra);
    const filesMs = performance.now() - written;
    const prepared = performance.now();
    const index = new SearchIndex(concepts, kb.topics, readNotCovered(knowledgeDir));
    const key = snapshotKey(knowledgeDir, [cacheDir]);
    mkdirSync(cacheDir, { recursive: true });
    const bytes = writeSnapshotFile(snapshotFile(cacheDir, knowledgeDir, key), key, { topics: kb.topics, concepts, index: index.toSnapshot() });
    const snapshotMs = performance.now() - prepared;
    const env = { ...CONSOLE_ENV, KNOWLEDGE_DIR: knowledgeDir, KNOWLEDGE_CACHE_DIR: cacheDir, LOG_LEVEL: 'debug' };
    const runs: number[] = [];
    let restored = true;
    let failed: string | undefined;
    for (let i = 0; i < BIG_RUNS; i++) {
      const r = await timeNode([MAIN], { input: QUESTION, env });
      if (r.code !== 0) failed ??= r.stderr.trim().split('\n').slice(-1)[0];
      if (!/knowledge snapshot .* restored/.test(r.stderr)) restored = false;
      runs.push(r.ms);
    }
    runs.sort((x, y) => x - y);
    const median = runs[Math.floor((runs.length - 1) / 2)]!;
    // Once without the snapshot: every file read, validated and indexed.
    const cold = await timeNode([MAIN], { input: QUESTION, env: { ...env, KNOWLEDGE_CACHE_DIR: 'off', LOG_LEVEL: 'warn' } });
    lines.push(
      `Start at ${concepts.length} cards (files written in ${ms(filesMs)}; index and a ${(bytes / 2 ** 20).toFixed(0)} MiB snapshot in ${ms(snapshotMs)}):`,
      `  npm start to first answer, from the snapshot${' '.repeat(4)} median ${ms(median).padStart(9)}  ×${(median / b.median).toFixed(2)} bare node; runs ${runs.map((r) => r.toFixed(0)).join(', ')} ms (target ≤ 3 s: ${median <= 3000 && restored && !failed ? 'met' : 'MISSED'})${restored ? '' : ' (NOT from the snapshot)'}${failed ? ` (FAILED: ${failed})` : ''}`,
      `  npm start to first answer, snapshots off${' '.repeat(9)} ${ms(cold.ms).padStart(9)}  ×${(cold.ms / b.median).toFixed(2)} bare node (one run)${cold.code === 0 ? '' : ` (FAILED: ${cold.stderr.trim().split('\n').slice(-1)[0]})`}`,
    );
    return {
      lines,
      figures: {
        bareMs: b.median,
        real: { cards: kb.concepts.length, snapshotMs: snap.median, filesMs: files.median, snapshotRatio: snap.median / b.median, filesRatio: files.median / b.median, helpMs: help.median, helpRatio: help.median / b.median, kbListMs: list.median, kbListRatio: list.median / b.median },
        at30k: { cards: concepts.length, snapshotMs: median, runs, ratio: median / b.median, restored, snapshotMiB: bytes / 2 ** 20, filesMs: cold.ms, filesRatio: cold.ms / b.median },
        failed: [snap, files, help, list].filter((t) => t.failed).map((t) => `${t.name}: ${t.failed}`),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The running bot's memory after 100,000 lookups, in a process of its own (see memory.ts). */
async function benchMemory(): Promise<{ lines: string[]; figures: MemoryFigures | { failed: string } }> {
  const child = spawn(process.execPath, ['--expose-gc', join(packageRoot, 'dist', 'bench', 'memory.js'), String(LOOKUPS)], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) return { lines: [`Memory: failed (${err.trim().split('\n').slice(-1)[0]})`], figures: { failed: err } };
  const m = JSON.parse(out.trim().split('\n').pop()!) as MemoryFigures;
  const mib = (x: number) => `${x.toFixed(0)} MiB`;
  return {
    lines: [
      `Memory of the running bot (npm start's way: snapshot, SQLite file, warm-up), ${m.lookups.toLocaleString('en')} lookups of /explain through the bot (one in ten with a new misspelt word) in ${m.seconds.toFixed(1)} s:`,
      `  after start:                RSS ${mib(m.started.rss)}, heap used ${mib(m.started.heapUsed)} of ${mib(m.started.heapTotal)}, outside the heap (buffers, typed arrays) ${mib(m.started.external)}`,
      `  after ${m.lookups.toLocaleString('en')} lookups:     RSS ${mib(m.after.rss)}, heap used ${mib(m.after.heapUsed)} of ${mib(m.after.heapTotal)}, outside the heap ${mib(m.after.external)}; peak RSS ${mib(m.maxRss)}`,
    ],
    figures: m,
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
