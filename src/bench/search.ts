import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { SearchIndex } from '../search/engine.js';
import { byKind, HELD_OUT_TEST, HELD_OUT_TUNING, loadQueryFile, loadQuerySet, PROBES_DIR, QUERY_SET_DIR, scoreQuerySet, SECOND_PROBES_DIR, THIRD_PROBES_DIR, SECOND_TEST, SECOND_TUNING, FIFTH_TEST, FIFTH_TUNING, SIXTH_TEST, SIXTH_TUNING, SEVENTH_TEST, SEVENTH_TUNING, EIGHTH_TEST, EIGHTH_TUNING, NINTH_TEST, NINTH_TUNING, TENTH_TEST, TENTH_TUNING, ELEVENTH_TEST, ELEVENTH_TUNING, FOURTH_TEST, FOURTH_TUNING, THIRD_TEST, THIRD_TUNING, VALIDATION_SET, type LabelledQuery } from '../search/query-set.js';
import { latencies, ms, pct, percentile, time } from './stats.js';
import { TITLE_TYPO_SEED, titleTypos } from './title-typos.js';

/** The card shown for a question, and the cards offered as guesses when none is (only ours offers any). */
type Finder = (q: string) => { card: string | null; guesses?: string[] };

/** Plain Fuse.js as most bots use it: one index over every field, default options, first hit wins. */
function plainFuse(concepts: Concept[]): Finder {
  const fuse = new Fuse(concepts, { keys: ['title', 'aliases', 'summary', 'body'] });
  return (q) => ({ card: fuse.search(q, { limit: 1 })[0]?.item.id ?? null });
}

function ours(index: SearchIndex): Finder {
  return (q) => {
    const found = index.search(q);
    return { card: found.match?.concept.id ?? null, guesses: found.suggestions.map((s) => s.concept.id) };
  };
}

/** What the benchmark keeps of one query set's accuracy, for --json. */
export interface AccuracyFigure {
  name: string;
  queries: number;
  top1: number;
  right: number;
  answerable: number;
  wrong: number;
  wrongRate: number;
  falseMatches: number;
  unanswerable: number;
  kinds?: Array<{ kind: string; right: number; total: number; wrong: number }>;
  /**
   * Answerable questions given no card, and of them, those whose card was among the guesses offered
   * instead (`first`: the first guess): what someone asking sees is one click from the answer.
   */
  guessed?: { noCard: number; among: number; first: number };
  /**
   * Queries of a word several tools share (`among`: the cards it may mean): one of them shown, none
   * shown and one of them offered (`asked`: which one), none shown nor offered; a card it does not
   * mean shown counts in `wrong`.
   */
  ambiguous?: { total: number; shown: number; asked: number; neither: number };
}

export interface LatencyFigure {
  name: string;
  cold: { p50: number; p99: number; max: number; lookups: number };
  warm: { p50: number; p99: number; max: number; lookups: number };
}

export interface SearchFigures {
  concepts: number;
  buildMs: number;
  accuracy: AccuracyFigure[];
  latency: LatencyFigure[];
  at30k: { concepts: number; buildMs: number; heapMiB: number; accuracy: AccuracyFigure[]; latency: LatencyFigure[]; plainFuse: { buildMs: number; queries: number; p50: number } };
}

function accuracy(name: string, queries: LabelledQuery[], find: Finder, kinds = false): AccuracyFigure {
  const found = new Map(queries.map((q) => [q.q, find(q.q)]));
  const s = scoreQuerySet(queries, (q) => found.get(q)!.card);
  const noCard = s.misses.filter((q) => q.got === null);
  const guesses = (q: LabelledQuery) => found.get(q.q)!.guesses ?? [];
  const offersGuesses = [...found.values()].every((f) => f.guesses !== undefined);
  return {
    name,
    queries: queries.length,
    top1: s.accuracy,
    right: s.answerable - s.misses.length,
    answerable: s.answerable,
    wrong: s.wrong.length,
    wrongRate: s.wrongRate,
    falseMatches: s.falseMatches.length,
    unanswerable: s.unanswerable,
    ...(kinds ? { kinds: byKind(s.outcomes) } : {}),
    ...(offersGuesses ? { guessed: { noCard: noCard.length, among: noCard.filter((q) => guesses(q).includes(q.expect!)).length, first: noCard.filter((q) => guesses(q)[0] === q.expect).length } } : {}),
    ...(s.ambiguous.total ? { ambiguous: ambiguity(s.ambiguous, guesses) } : {}),
  };
}

/** Of the words several tools share given no card, those that offered one of the cards they may mean. */
function ambiguity(a: ReturnType<typeof scoreQuerySet>['ambiguous'], guesses: (q: LabelledQuery) => string[]): NonNullable<AccuracyFigure['ambiguous']> {
  const asked = a.noCard.filter((q) => guesses(q).some((id) => q.among!.includes(id))).length;
  return { total: a.total, shown: a.shown, asked, neither: a.noCard.length - asked };
}

function accuracyLine(a: AccuracyFigure, label = a.name): string {
  return `  ${label.padEnd(22)} top-1 ${pct(a.top1)} (${a.right}/${a.answerable})  wrong card ${a.wrong}/${a.queries} (${pct(a.wrongRate)})  card for ${a.falseMatches}/${a.unanswerable} must-match-nothing`;
}

function guessedLine(a: AccuracyFigure): string[] {
  const g = a.guessed;
  const m = a.ambiguous;
  return [
    ...(g?.noCard ? [`      no card shown for ${g.noCard} of the answerable: their card was among the guesses for ${g.among}, the first guess for ${g.first}`] : []),
    ...(m ? [`      ${m.total} words several tools share: a card they may mean shown for ${m.shown}, none shown and one of them offered for ${m.asked}, neither for ${m.neither}`] : []),
  ];
}

function kindLines(a: AccuracyFigure): string[] {
  // Words several tools share have a line of their own (guessedLine): a right answer there may show no card.
  return (a.kinds ?? []).filter((k) => k.kind !== 'ambiguous').map((k) => `      ${k.kind.padEnd(11)} ${`${k.right}/${k.total}`.padStart(7)}  ${pct(k.total ? k.right / k.total : 0).padStart(6)}  wrong ${k.wrong}`);
}

/** Cold: a fresh index's first pass over the queries (empty caches); warm: the passes after it. */
function latency(name: string, index: () => SearchIndex, sample: string[], warmRounds: number): LatencyFigure {
  const fresh = index();
  const cold = latencies(sample, 1, (q) => fresh.search(q));
  const warm = latencies(sample, warmRounds, (q) => fresh.search(q));
  const figure = (times: number[]) => ({ p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? NaN, lookups: times.length });
  return { name, cold: figure(cold), warm: figure(warm) };
}

function latencyLine(l: LatencyFigure, cold = 'cold'): string {
  return `  ${l.name.padEnd(22)} ${cold} p50 ${ms(l.cold.p50)} p99 ${ms(l.cold.p99)} (max ${ms(l.cold.max)}) · warm p50 ${ms(l.warm.p50)} p99 ${ms(l.warm.p99)}  (${l.cold.lookups} + ${l.warm.lookups} lookups)`;
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Plain Fuse.js scans every record, in time that grows with the query's length: at 30,000 cards a
 * query takes seconds. Queries of the set's median length (the one nearest it first) are timed
 * until this much time is spent (at least one, at most PLAIN_FUSE_MAX): their median is about the
 * median over the whole set.
 */
const PLAIN_FUSE_BUDGET_MS = 5_000;
const PLAIN_FUSE_MAX = 5;

export interface SearchOptions {
  /** The big knowledge base: the real cards and synthetic ones as the loader reads them from disk, and its not-covered list. */
  big: { concepts: Concept[]; notCovered: string[] };
  /** Said on the plain Fuse.js line: what ran alongside. */
  alongside?: string;
  /** Called once the index build and the fresh index's cold pass are timed: what starts then (the memory run) cannot slow them. */
  afterCold?: () => void;
}

/** The `n` queries whose lengths are nearest the median length, nearest first. */
function medianLength(queries: readonly string[], n: number): string[] {
  const lengths = queries.map((q) => q.length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
  return [...queries].sort((a, b) => Math.abs(a.length - median) - Math.abs(b.length - median)).slice(0, n);
}

/** What the search benchmark at real size found, and the queries the part at 30,000 cards reuses. */
export interface RealSizeSearch {
  lines: string[];
  figures: Omit<SearchFigures, 'at30k'>;
  halves: Array<[string, LabelledQuery[]]>;
  existing: LabelledQuery[];
  every: string[];
}

/** A query set split into a test half and a tuning half, each labelled (none when the set is not in the checkout). */
function splitSet(label: string, test: string, tuning: string, shortLabel = label): Array<[string, LabelledQuery[]]> {
  return existsSync(test)
    ? [
        [`${label}, test half`, loadQueryFile(test)],
        [`${shortLabel}, tuning half`, loadQueryFile(tuning)],
      ]
    : [];
}

/** Accuracy on every query set, and latencies, at real size: timed on a machine doing nothing else of ours. */
export function benchSearch(kb: KnowledgeBase, notCovered: string[]): RealSizeSearch {
  const existing = loadQuerySet(QUERY_SET_DIR);
  const halves: Array<[string, LabelledQuery[]]> = existsSync(HELD_OUT_TEST)
    ? [
        ['held-out test half', loadQueryFile(HELD_OUT_TEST)],
        ['held-out tuning half', loadQueryFile(HELD_OUT_TUNING)],
        ...(existsSync(VALIDATION_SET) ? [['validation set, tuned on', loadQueryFile(VALIDATION_SET)] as [string, LabelledQuery[]]] : []),
        ...splitSet('second set', SECOND_TEST, SECOND_TUNING),
        ...splitSet('third set', THIRD_TEST, THIRD_TUNING),
        ...splitSet('fourth set', FOURTH_TEST, FOURTH_TUNING),
        ...splitSet('fifth set (names, typos, config)', FIFTH_TEST, FIFTH_TUNING, 'fifth set'),
        ...splitSet('sixth set (names, typos, config, pasted lines)', SIXTH_TEST, SIXTH_TUNING, 'sixth set'),
        ...splitSet('seventh set (names, typos, config)', SEVENTH_TEST, SEVENTH_TUNING, 'seventh set'),
        ...splitSet('eighth set (names, typos, config)', EIGHTH_TEST, EIGHTH_TUNING, 'eighth set'),
        ...splitSet('ninth set (short queries)', NINTH_TEST, NINTH_TUNING, 'ninth set'),
        ...splitSet("tenth set (people's own words)", TENTH_TEST, TENTH_TUNING, 'tenth set'),
        ...splitSet("eleventh set (people's own words)", ELEVENTH_TEST, ELEVENTH_TUNING, 'eleventh set'),
        ...(existsSync(PROBES_DIR) ? [['probes of 2026-12-03, tuned on', loadQuerySet(PROBES_DIR)] as [string, LabelledQuery[]]] : []),
        ...(existsSync(SECOND_PROBES_DIR) ? [['second probes of 2026-12-03, tuned on', loadQuerySet(SECOND_PROBES_DIR)] as [string, LabelledQuery[]]] : []),
        ...(existsSync(THIRD_PROBES_DIR) ? [['blind probes of config keys, names and typos, 2026-12-03 and 04, tuned on', loadQuerySet(THIRD_PROBES_DIR)] as [string, LabelledQuery[]]] : []),
        [`card titles with one typo, generated (seed ${TITLE_TYPO_SEED})`, titleTypos(kb.concepts, TITLE_TYPO_SEED)],
      ]
    : [];
  const lines: string[] = [`Search: ${kb.concepts.length} concepts`];
  // As the bot builds it: with the list of tools no card covers.
  const build = time(() => new SearchIndex(kb.concepts, kb.topics, notCovered));
  lines.push(`  index build: ${ms(build.ms)}`);
  const find = ours(build.result);
  const accuracies: AccuracyFigure[] = [];
  for (const [name, queries] of halves) {
    const a = accuracy(`${name} (${queries.length})`, queries, find, true);
    accuracies.push(a);
    lines.push(accuracyLine(a));
    lines.push(...guessedLine(a));
    lines.push(...kindLines(a));
  }
  const existingAccuracy = accuracy(`existing set (${existing.length})`, existing, find);
  // Plain Fuse.js scans every card's body for each query (about 0.1 s a query here): a sixth of the
  // test half, every sixth query, keeps the whole run within its two minutes on a slow day.
  const fuseSample = (halves[0]?.[1] ?? existing).filter((_, i) => i % 6 === 0);
  const fuseAccuracy = accuracy(`plain Fuse.js, every sixth query of the ${halves[0] ? 'test half' : 'existing set'}`, fuseSample, plainFuse(kb.concepts));
  accuracies.push(existingAccuracy, fuseAccuracy);
  lines.push(accuracyLine(existingAccuracy), ...guessedLine(existingAccuracy), accuracyLine(fuseAccuracy));
  const every = [...halves.flatMap(([, q]) => q), ...existing].map((q) => q.q);
  // Every other query (some 3,900), cold then warm: one more pass (three took some 7 s more, and all
  // of them 2 s more, of a run that must stay within two minutes on a slow day).
  const small = latency('Backfill', () => new SearchIndex(kb.concepts, kb.topics, notCovered), every.filter((_, i) => i % 2 === 0), 1);
  lines.push(latencyLine(small));
  return { lines, figures: { concepts: kb.concepts.length, buildMs: build.ms, accuracy: accuracies, latency: [small] }, halves, existing, every };
}

/** The same at 30,000 cards (the real ones and synthetic ones). */
export function benchSearchAt30k(kb: KnowledgeBase, real: RealSizeSearch, options: SearchOptions): { lines: string[]; figures: SearchFigures; bigIndex: SearchIndex } {
  const { halves, existing, every } = real;
  const lines: string[] = [];
  const synthetic = options.big.concepts;
  lines.push(`Search at ${synthetic.length} concepts (${kb.concepts.length} real + synthetic):`);
  const before = heapMiB();
  const big = time(() => new SearchIndex(synthetic, kb.topics, options.big.notCovered));
  const after = heapMiB();
  lines.push(`  index build: ${ms(big.ms)}; index heap: ${(after - before).toFixed(0)} MiB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for an exact figure)'}`);
  // Cold first, while the index has answered nothing, over every eighth query of the real size's
  // (some 980: its p99 is the tenth slowest; a p99 of 200 was the second slowest, whatever the first
  // two paid once; more of them took the whole run past its two minutes on a slow day): then the accuracy passes.
  const fresh = latency('Backfill, fresh index', () => big.result, every.filter((_, i) => i % 8 === 0), 1);
  options.afterCold?.();
  const bigFind = ours(big.result);
  const bigAccuracy: AccuracyFigure[] = [];
  for (const [name, queries] of [...halves.slice(0, 1), ['existing set', existing] as [string, LabelledQuery[]]]) {
    const a = accuracy(name, queries, bigFind);
    bigAccuracy.push(a);
    lines.push(accuracyLine(a), ...guessedLine(a));
  }
  lines.push(latencyLine(fresh));
  const used = latency('Backfill', () => big.result, every.slice(0, 400), 1);
  lines.push(latencyLine(used, 'cold*'));
  lines.push('    * "cold" here is a first pass over these queries by an index that has already answered the accuracy sets above');
  const fuseBuild = time(() => plainFuse(synthetic));
  const fuseSample = medianLength((halves[0]?.[1] ?? existing).map((q) => q.q), PLAIN_FUSE_MAX);
  const fuseLat: number[] = [];
  const fuseStarted = performance.now();
  for (const q of fuseSample) {
    // One more only if it would end within the budget, at the pace of the slowest so far.
    if (fuseLat.length > 0 && performance.now() - fuseStarted + Math.max(...fuseLat) > PLAIN_FUSE_BUDGET_MS) break;
    fuseLat.push(...latencies([q], 1, fuseBuild.result));
  }
  fuseLat.sort((x, y) => x - y);
  const sampleSize = fuseLat.length;
  lines.push(`  plain Fuse.js: build ${ms(fuseBuild.ms)}; ${sampleSize} queries only (it scans every record: queries of the median length, timed for at most ${PLAIN_FUSE_BUDGET_MS / 1000} s): p50 ${ms(percentile(fuseLat, 50))}${options.alongside ? ` (${options.alongside})` : ''}`);
  const figures: SearchFigures = {
    ...real.figures,
    at30k: {
      concepts: synthetic.length,
      buildMs: big.ms,
      heapMiB: after - before,
      accuracy: bigAccuracy,
      latency: [used, fresh],
      plainFuse: { buildMs: fuseBuild.ms, queries: sampleSize, p50: percentile(fuseLat, 50) },
    },
  };
  return { lines, figures, bigIndex: big.result };
}
