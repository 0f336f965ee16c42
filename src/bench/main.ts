import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../config/env.js';
import { seededRandom } from '../core/random.js';
import { loadKnowledge } from '../knowledge/load.js';
import { readNotCovered } from '../knowledge/not-covered.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { writeSnapshotFile } from '../knowledge/snapshot-format.js';
import { SearchIndex } from '../search/engine.js';
import { benchDaily } from './daily.js';
import { writeKnowledgeDir } from './knowledge-dir.js';
import type { MemoryFigures } from './memory.js';
import { benchQuestionBank } from './quiz-bank.js';
import { benchSearch, benchSearchAt30k } from './search.js';
import { benchSlack } from './slack.js';
import { interleaved, timeNode, type Timed } from './start.js';
import { ms } from './stats.js';
import { syntheticConcepts } from './synthetic.js';

const RUNS = 7;
/** Starts without a snapshot at real size (about a second each), not a target. */
const FILES_RUNS = 3;
const BIG_RUNS = 3;
const BIG_CARDS = 30_000;
const LOOKUPS = 100_000;
/** Cards in the knowledge base a start without snapshots is timed at, for an estimate at 30,000 (a full start there takes a minute). */
const SAMPLE_CARDS = 3_000;
const QUESTION = '/explain kafka acks\n';
/** What `npm start` and `npm run backfill` run (package.json). */
const MAIN = join(packageRoot, 'dist', 'main.cjs');
const CLI = join(packageRoot, 'dist', 'cli', 'main.cjs');
/**
 * The snapshot code of what npm start runs (its bundle: bundle.mjs): a snapshot's key
 * covers the code that reads it, so the snapshots written here are keyed by the bundle's code.
 */
const startSnapshots = async () => createRequire(import.meta.url)(join(packageRoot, 'dist', 'start', 'snapshot.cjs')) as typeof import('../knowledge/snapshot.js');
/** The console bot, as `npm start` runs it with no platform configured. */
const CONSOLE_ENV = { ...process.env, SQLITE_PATH: ':memory:', DATABASE_URL: '', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', DISCORD_TOKEN: '' };

/** Parts of the run `-- --only` can name. */
const SECTIONS = ['slack', 'daily', 'start', 'search', 'bank', 'start30k', 'memory'] as const;
type Section = (typeof SECTIONS)[number];

class UsageError extends Error {}

/** The sections `--only a,b` names, or every one. */
function sectionsAsked(argv: string[]): Set<Section> {
  const at = argv.indexOf('--only');
  if (at < 0) return new Set(SECTIONS);
  const given = argv[at + 1] ?? '';
  const names = given.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (!names.length || unknown.length) {
    throw new UsageError(`--only: expected section names separated by commas, from ${SECTIONS.join(', ')} (got "${unknown[0] ?? given}"); e.g. npm run bench -- --only start`);
  }
  return new Set(names as Section[]);
}

/**
 * `npm run bench`: prints the figures the issues ask for, with the machine they were taken on.
 * `npm run -s bench -- --json` prints them as one JSON document instead (progress on stderr).
 * `-- --full` times the start at 30,000 cards without a snapshot (about a minute on its own)
 * rather than estimating it from a start at 3,000 cards.
 * `-- --only start,slack` runs those sections only (slack, daily, start, search, bank, start30k, memory).
 */
async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const full = process.argv.includes('--full');
  const only = sectionsAsked(process.argv);
  const started = performance.now();
  const say = (lines: string[]) => {
    if (!json) process.stdout.write(`${lines.join('\n')}\n`);
    else process.stderr.write(`${lines.find((l) => l.trim()) ?? ''} ...\n`);
  };
  /** Seconds each part took, for the whole run's budget of two minutes. */
  const sections: Record<string, number> = {};
  const timed = async <T>(name: string, part: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await part();
    } finally {
      sections[name] = (performance.now() - t) / 1000;
    }
  };
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = { node: process.version, cpus: cpus().length, cpu };
  say([`Backfill benchmark · Node ${process.version} · ${cpus().length} × ${cpu}`, '']);
  const realDir = join(packageRoot, 'knowledge');
  const kb = loadKnowledge(realDir);

  // Slack first: its peak-memory figure is the process's, and the 30,000-concept index would swell it.
  const slack = only.has('slack') ? await timed('slack', () => benchSlack()) : undefined;
  if (slack) say([...slack.lines, '']);

  const daily = only.has('daily') ? await timed('daily', () => benchDaily()) : undefined;
  if (daily) say([...daily.lines, '']);

  // Start times at real size, on a machine doing nothing else of ours.
  const start = only.has('start') ? await timed('start', () => benchStart(kb, realDir)) : undefined;
  if (start) say([...start.lines, '']);

  // Search at real size, its latencies too, before anything runs alongside.
  const realSearch = only.has('search') ? await timed('search', () => benchSearch(kb, readNotCovered(realDir))) : undefined;
  if (realSearch) say([...realSearch.lines, '']);

  // The memory run (a process of its own, 100,000 lookups) uses the other core from the moment the
  // index at 30,000 cards is built and has answered its first, cold pass: what follows are figures
  // of their own (accuracy, the question bank, a start at 30,000 cards), not ratios to a control,
  // and the run stays short.
  let memoryRun: Promise<Awaited<ReturnType<typeof benchMemory>>> | undefined;
  const startMemory = () => {
    if (memoryRun || !only.has('memory')) return;
    const memoryStarted = performance.now();
    memoryRun = benchMemory().finally(() => (sections['memory (alongside)'] = (performance.now() - memoryStarted) / 1000));
  };
  const alongside = 'timed while the memory run used the other core';
  const big = mkdtempSync(join(tmpdir(), 'backfill-bench-30k-'));
  try {
    const bigDir = join(big, 'knowledge');
    // 30,000 cards on disk (the real ones and synthetic ones), read back as the loader gives them:
    // the search benchmark, the question bank and the start at 30,000 cards all use these.
    const written =
      only.has('search') || only.has('bank') || only.has('start30k')
        ? await timed('30k cards written', () => {
            const t = performance.now();
            const concepts = writeKnowledgeDir(bigDir, realDir, kb, syntheticConcepts(kb.concepts, BIG_CARDS - kb.concepts.length, seededRandom(42)));
            return { concepts, ms: performance.now() - t };
          })
        : undefined;
    const search = written && realSearch ? await timed('search at 30k', () => benchSearchAt30k(kb, realSearch, { big: { concepts: written.concepts, notCovered: readNotCovered(bigDir) }, alongside, afterCold: startMemory })) : undefined;
    if (search) say([...search.lines, '']);
    startMemory();
    const bank = written && only.has('bank') ? await timed('question bank', () => benchQuestionBank(kb, written.concepts, search?.bigIndex)) : undefined;
    if (bank) say([...bank.lines, `  (${alongside})`, '']);
    const bigStart =
      written && only.has('start30k')
        ? await timed('start at 30k', () =>
            benchBigStart(kb, { realDir, dir: bigDir, cacheDir: join(big, '.snapshots'), sampleDir: join(big, 'sample') }, written, search?.bigIndex ?? new SearchIndex(written.concepts, kb.topics, readNotCovered(bigDir)), full),
          )
        : undefined;
    if (bigStart) say([...bigStart.lines, '']);
    const memory = await memoryRun;
    if (memory) say(memory.lines);

    const seconds = (performance.now() - started) / 1000;
    say(['', `whole run: ${seconds.toFixed(0)} s (target ≤ 120 s: ${seconds <= 120 ? 'met' : 'MISSED'}); ${Object.entries(sections).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')}`]);
    const startFigures = start || bigStart ? { ...start?.figures, at30k: bigStart?.figures } : undefined;
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ machine, seconds, sections, slack: slack?.figures, daily: daily?.figures, search: search?.figures ?? realSearch?.figures, questionBank: bank?.figures, start: startFigures, memory: memory?.figures }, null, 2)}\n`,
      );
    }
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
}

function ratioLine(t: Timed, bare: Timed, what: string, target?: number): string {
  const ratio = t.median / bare.median;
  const goal = target === undefined ? '' : ` (target ≤ ×${target}: ${ratio <= target ? 'met' : 'MISSED'})`;
  return `  ${what.padEnd(44)} median ${ms(t.median).padStart(9)}  ×${ratio.toFixed(2)} bare node${goal}${t.failed ? `  (FAILED: ${t.failed})` : ''}; runs ${t.runs.map((r) => r.toFixed(0)).join(', ')} ms`;
}

/**
 * Start time at real size: from spawning the process to its first answer on stdout (the console
 * bot, piped one question) or to its exit (`node -e 0`, CLI commands), as a ratio to bare node
 * measured alongside, interleaved. With the snapshot and without.
 */
async function benchStart(kb: KnowledgeBase, realDir: string) {
  // The snapshot of the real knowledge base is current after `npm run build`; make sure of it.
  await (await startSnapshots()).openKnowledgeCached(realDir);
  const bare = { name: 'bare', args: ['-e', '0'], untilExit: true };
  const timed = await interleaved(
    [
      bare,
      { name: 'snapshot', args: [MAIN], input: QUESTION, env: CONSOLE_ENV },
      // A figure beside the targets, a second each: fewer runs keep the benchmark within its two minutes.
      { name: 'files', args: [MAIN], input: QUESTION, env: { ...CONSOLE_ENV, KNOWLEDGE_CACHE_DIR: 'off' }, runs: FILES_RUNS },
      { name: 'help', args: [CLI, '--help'], untilExit: true },
      { name: 'kb list', args: [CLI, 'kb', 'list'], untilExit: true },
    ],
    RUNS,
  );
  const [b, snap, files, help, list] = timed as [Timed, Timed, Timed, Timed, Timed];
  return {
    lines: [
      `Start (${kb.concepts.length} cards): ${RUNS} runs each (snapshots off: ${FILES_RUNS}), interleaved, median; bare \`node -e 0\` ${ms(b.median)}; runs ${b.runs.map((r) => r.toFixed(0)).join(', ')} ms`,
      ratioLine(snap, b, 'npm start to first answer, from the snapshot', 3),
      ratioLine(files, b, 'npm start to first answer, snapshots off'),
      ratioLine(help, b, 'backfill --help', 2),
      ratioLine(list, b, 'backfill kb list', 2),
    ],
    figures: {
      bareMs: b.median,
      runs: RUNS,
      filesRuns: FILES_RUNS,
      real: { cards: kb.concepts.length, snapshotMs: snap.median, filesMs: files.median, snapshotRatio: snap.median / b.median, filesRatio: files.median / b.median, helpMs: help.median, helpRatio: help.median / b.median, kbListMs: list.median, kbListRatio: list.median / b.median },
      failed: [snap, files, help, list].filter((t) => t.failed).map((t) => `${t.name}: ${t.failed}`),
    },
  };
}

/**
 * A start at 30,000 cards from a snapshot, written here from the cards and index the search
 * benchmark used rather than by a start that would parse 30,000 files. Without the snapshot, a
 * start there takes about a minute: it is estimated (a straight line through one start without
 * snapshots at real size and one at SAMPLE_CARDS cards, both timed here), or with `full` timed.
 */
async function benchBigStart(kb: KnowledgeBase, dirs: { realDir: string; dir: string; cacheDir: string; sampleDir: string }, written: { concepts: Concept[]; ms: number }, index: SearchIndex, full: boolean) {
  const { dir: knowledgeDir, cacheDir } = dirs;
  const concepts = written.concepts;
  const prepared = performance.now();
  const { snapshotKey, snapshotFile } = await startSnapshots();
  const key = snapshotKey(knowledgeDir, [cacheDir]);
  mkdirSync(cacheDir, { recursive: true });
  const bytes = writeSnapshotFile(snapshotFile(cacheDir, knowledgeDir, key), key, { topics: kb.topics, concepts, index: index.toSnapshot() });
  const snapshotMs = performance.now() - prepared;
  const env = { ...CONSOLE_ENV, KNOWLEDGE_DIR: knowledgeDir, KNOWLEDGE_CACHE_DIR: cacheDir, LOG_LEVEL: 'debug' };
  const runs: number[] = [];
  const bareRuns: number[] = [];
  let restored = true;
  let failed: string | undefined;
  // Bare node alongside, interleaved: the memory run may be using the other core by now.
  for (let i = 0; i < BIG_RUNS; i++) {
    bareRuns.push((await timeNode(['-e', '0'], { untilExit: true })).ms);
    const r = await timeNode([MAIN], { input: QUESTION, env });
    if (r.code !== 0) failed ??= r.stderr.trim().split('\n').slice(-1)[0];
    if (!/knowledge snapshot .* restored/.test(r.stderr)) restored = false;
    runs.push(r.ms);
  }
  const median = middle(runs);
  const bareMs = middle(bareRuns);
  const noSnapshot = (dir: string) => timeNode([MAIN], { input: QUESTION, env: { ...env, KNOWLEDGE_DIR: dir, KNOWLEDGE_CACHE_DIR: 'off', LOG_LEVEL: 'warn' } });
  const failure = (r: { code: number | null; stderr: string }) => (r.code === 0 ? undefined : r.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${r.code}`);
  let files: { ms: number; failed?: string; estimate: null | { realCards: number; realMs: number; sampleCards: number; sampleMs: number } };
  let filesLine: string;
  if (full) {
    const cold = await noSnapshot(knowledgeDir);
    files = { ms: cold.ms, failed: failure(cold), estimate: null };
    filesLine = `${ms(cold.ms).padStart(9)}  ×${(cold.ms / bareMs).toFixed(2)} bare node (one run)`;
  } else {
    const synthetic = concepts.filter((c) => !kb.byId.has(c.id)).slice(0, SAMPLE_CARDS - kb.concepts.length);
    const sampleCards = writeKnowledgeDir(dirs.sampleDir, dirs.realDir, kb, synthetic).length;
    const real = await noSnapshot(dirs.realDir);
    const sample = await noSnapshot(dirs.sampleDir);
    const perCard = (sample.ms - real.ms) / (sampleCards - kb.concepts.length);
    const estimate = { realCards: kb.concepts.length, realMs: real.ms, sampleCards, sampleMs: sample.ms };
    files = { ms: sample.ms + perCard * (concepts.length - sampleCards), failed: failure(real) ?? failure(sample), estimate };
    filesLine = `~${ms(files.ms).padStart(9)}  ×${(files.ms / bareMs).toFixed(2)} bare node, estimated: a straight line through one start at ${kb.concepts.length} cards (${ms(real.ms)}) and one at ${sampleCards.toLocaleString('en')} (${ms(sample.ms)}); \`-- --full\` times it (about a minute)`;
  }
  return {
    lines: [
      `Start at ${concepts.length} cards (files written in ${ms(written.ms)}; key and a ${(bytes / 2 ** 20).toFixed(0)} MiB snapshot of the search benchmark's index in ${ms(snapshotMs)}):`,
      `  npm start to first answer, from the snapshot${' '.repeat(4)} median ${ms(median).padStart(9)}  ×${(median / bareMs).toFixed(2)} bare node (${ms(bareMs)} alongside); runs ${runs.map((r) => r.toFixed(0)).join(', ')} ms (target ≤ 3 s: ${median <= 3000 && restored && !failed ? 'met' : 'MISSED'})${restored ? '' : ' (NOT from the snapshot)'}${failed ? ` (FAILED: ${failed})` : ''}`,
      `  npm start to first answer, snapshots off${' '.repeat(9)} ${filesLine}${files.failed ? ` (FAILED: ${files.failed})` : ''}`,
    ],
    figures: {
      cards: concepts.length,
      snapshotMs: median,
      runs,
      ratio: median / bareMs,
      bareMs,
      restored,
      snapshotMiB: bytes / 2 ** 20,
      filesMs: files.ms,
      filesRatio: files.ms / bareMs,
      /** How filesMs was estimated; null when it was timed (--full). */
      filesEstimate: files.estimate,
      ...(failed ? { failed } : {}),
      ...(files.failed ? { filesFailed: files.failed } : {}),
    },
  };
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
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
  process.stderr.write(`${err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
