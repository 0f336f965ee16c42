import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../config/env.js';

/** The labelled queries that measure search: `expect` is the concept id, or null for "no card". */
export const QUERY_SET_DIR = join(packageRoot, 'test', 'search', 'queries');
/**
 * The held-out set, written by someone who saw only the card titles, split once at random: search
 * is tuned on the tuning half and only measured on the test half.
 */
export const HELD_OUT_DIR = join(packageRoot, 'test', 'search', 'heldout');
export const HELD_OUT_TUNING = join(HELD_OUT_DIR, 'tuning.yaml');
export const HELD_OUT_TEST = join(HELD_OUT_DIR, 'test.yaml');
/**
 * A second set written the same way by another person, later: first a check that tuning on the
 * tuning half carried over, then tuned on as well (so it is no longer held out).
 */
export const VALIDATION_SET = join(packageRoot, 'test', 'search', 'validation', 'validation.yaml');
/** A second held-out set written the same way, later, and split the same way: tuned on one half, measured on the other. */
export const SECOND_TUNING = join(packageRoot, 'test', 'search', 'second', 'tuning.yaml');
export const SECOND_TEST = join(packageRoot, 'test', 'search', 'second', 'test.yaml');
/** A third set written the same way (320 questions, heavier on natural questions, symptoms and chat), split the same way. */
export const THIRD_TUNING = join(packageRoot, 'test', 'search', 'third', 'tuning.yaml');
export const THIRD_TEST = join(packageRoot, 'test', 'search', 'third', 'test.yaml');

/**
 * A fourth set written the same way on 2026-12-03 (480 questions, mostly natural questions, symptoms and
 * chat), measured whole once, then split the same way: tuned on one half, measured on the other.
 */
export const FOURTH_TUNING = join(packageRoot, 'test', 'search', 'fourth', 'tuning.yaml');
export const FOURTH_TEST = join(packageRoot, 'test', 'search', 'fourth', 'test.yaml');

/**
 * A fifth set written the same way on 2026-12-03 (260 queries: names, typos, names with a topic word,
 * config keys and flags, and 40 that must match nothing), split the same way by kind: it measures the
 * names, typos and config keys the issue asks 98% of.
 */
export const FIFTH_TUNING = join(packageRoot, 'test', 'search', 'fifth', 'tuning.yaml');
export const FIFTH_TEST = join(packageRoot, 'test', 'search', 'fifth', 'test.yaml');

/**
 * A sixth set written the same way later that day (280 queries: names, typos, names with a topic
 * word, 150 config keys and flags of which about half are pasted lines of code, and 40 that must
 * match nothing), split the same way by kind after the day's work on pasted lines, so that it
 * measures that work on lines nobody tuned on.
 */
export const SIXTH_TUNING = join(packageRoot, 'test', 'search', 'sixth', 'tuning.yaml');
export const SIXTH_TEST = join(packageRoot, 'test', 'search', 'sixth', 'test.yaml');

/**
 * A seventh set written the same way on 2026-12-03 (400 queries: 70 names, 130 names with typos, 160
 * config keys and flags, and 40 that must match nothing), split the same way by kind: a larger
 * measure of the names, typos and config keys the issue asks 98% of.
 */
export const SEVENTH_TUNING = join(packageRoot, 'test', 'search', 'seventh', 'tuning.yaml');
export const SEVENTH_TEST = join(packageRoot, 'test', 'search', 'seventh', 'test.yaml');

/**
 * An eighth set written the same way that evening (400 queries: 80 names, 150 names with typos of
 * every kind people make, autocorrect and words run together among them, 130 config keys and flags,
 * and 40 that must match nothing), split the same way by kind.
 */
export const EIGHTH_TUNING = join(packageRoot, 'test', 'search', 'eighth', 'tuning.yaml');
export const EIGHTH_TEST = join(packageRoot, 'test', 'search', 'eighth', 'test.yaml');

/**
 * A ninth set written the same way on 2026-12-04 (246 queries of one to three words, as people type them
 * after /explain in a hurry: 116 with one card, 80 words several tools share, each with the cards it may
 * mean, and 50 that must match nothing), split the same way by kind.
 */
export const NINTH_TUNING = join(packageRoot, 'test', 'search', 'ninth', 'tuning.yaml');
export const NINTH_TEST = join(packageRoot, 'test', 'search', 'ninth', 'test.yaml');

/**
 * A tenth set written the same way that day (360 questions in people's own words: 150 natural
 * questions, 100 symptoms, 70 chatty messages, and 40 that must match nothing), split the same way by kind.
 */
export const TENTH_TUNING = join(packageRoot, 'test', 'search', 'tenth', 'tuning.yaml');
export const TENTH_TEST = join(packageRoot, 'test', 'search', 'tenth', 'test.yaml');

/**
 * An eleventh set written the same way on 2026-12-04 (316 questions in people's own words: natural
 * questions, symptoms, chat, config keys, comparisons and typos, and 62 that must match nothing),
 * split the same way by kind.
 */
export const ELEVENTH_TUNING = join(packageRoot, 'test', 'search', 'eleventh', 'tuning.yaml');
export const ELEVENTH_TEST = join(packageRoot, 'test', 'search', 'eleventh', 'test.yaml');

/**
 * Two probes written the same way on 2026-12-03 (config keys and flags; natural questions, symptoms
 * and chat), measured whole to see whether the day's changes carried over, then tuned on.
 */
export const PROBES_DIR = join(packageRoot, 'test', 'search', 'probes');
/** Two more probes written the same way later that day, larger and first measured at 442/600: tuned on too. */
export const SECOND_PROBES_DIR = join(packageRoot, 'test', 'search', 'probes-2');
/** Blind probes of config keys, names and typos (2026-12-03 and 04), each measured whole before it was tuned on. */
export const THIRD_PROBES_DIR = join(packageRoot, 'test', 'search', 'probes-3');

/**
 * How a query was asked; `none` queries must get no card; `short`: a few words typed in a hurry;
 * `ambiguous`: a word several tools share, labelled with the cards it may mean (`among`).
 */
export const QUERY_KINDS = ['name', 'typo', 'topic-name', 'config', 'versus', 'natural', 'symptom', 'chat', 'short', 'ambiguous', 'none'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

const QueryFileSchema = z.array(
  z
    .strictObject({ q: z.string().min(1), expect: z.string().nullable(), among: z.array(z.string().min(1)).min(2).optional(), kind: z.enum(QUERY_KINDS).optional() })
    .refine((q) => !q.among || q.expect === null, 'a query labelled with the cards it may mean (among) expects no one card: expect: null'),
);

export interface LabelledQuery {
  q: string;
  /** The card, or null: no card (unless `among` names the cards it may mean). */
  expect: string | null;
  /** A word several tools share: one of these cards shown, or none shown and one offered, is right; another card shown is wrong. */
  among?: string[];
  kind?: QueryKind;
  file: string;
}

export function loadQueryFile(path: string, file = path): LabelledQuery[] {
  const parsed = QueryFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.map((q) => ({ ...q, file }));
}

export function loadQuerySet(dir: string): LabelledQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => loadQueryFile(join(dir, file), file));
}

export interface QueryOutcome extends LabelledQuery {
  got: string | null;
}

/** Whether the card shown for a query is a wrong one: not the one expected, nor one of those it may mean. */
function shownWrong(o: QueryOutcome): boolean {
  return o.got !== null && o.got !== o.expect && !o.among?.includes(o.got);
}

/**
 * Top-1 accuracy on answerable queries; wrong cards (a card shown that is not the expected one,
 * for an answerable query, one that should get none, or one of several cards); unanswerable
 * queries that got a card. Queries of several cards (`among`) count apart: `ambiguous`.
 */
export function scoreQuerySet(queries: LabelledQuery[], find: (q: string) => string | null) {
  const outcomes: QueryOutcome[] = queries.map((q) => ({ ...q, got: find(q.q) }));
  const single = outcomes.filter((q) => !q.among);
  const answerable = single.filter((q) => q.expect !== null);
  const misses = answerable.filter((r) => r.got !== r.expect);
  const wrong = outcomes.filter(shownWrong);
  const falseMatches = single.filter((q) => q.expect === null && q.got !== null);
  const several = outcomes.filter((q) => q.among);
  return {
    answerable: answerable.length,
    accuracy: answerable.length ? 1 - misses.length / answerable.length : 0,
    misses,
    wrong,
    wrongRate: outcomes.length ? wrong.length / outcomes.length : 0,
    falseMatches,
    unanswerable: single.length - answerable.length,
    /** Queries of several cards: how many showed one of them, and those given no card (the bench says which of them offered one). */
    ambiguous: { total: several.length, shown: several.filter((q) => q.got !== null && q.among!.includes(q.got)).length, noCard: several.filter((q) => q.got === null) },
    outcomes,
  };
}

/** Right cards per kind of query ("none": queries rightly given no card; "ambiguous": one of the cards it may mean shown, the bench counts those that offered one apart). */
export function byKind(outcomes: QueryOutcome[]): Array<{ kind: string; right: number; total: number; wrong: number }> {
  const kinds = new Map<string, { right: number; total: number; wrong: number }>();
  for (const o of outcomes) {
    const k = kinds.get(o.kind ?? 'unlabelled') ?? { right: 0, total: 0, wrong: 0 };
    k.total++;
    if (shownWrong(o)) k.wrong++;
    else if (o.among ? o.got !== null && o.among.includes(o.got) : o.got === o.expect) k.right++;
    kinds.set(o.kind ?? 'unlabelled', k);
  }
  const order = [...QUERY_KINDS, 'unlabelled'];
  return [...kinds.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([kind, v]) => ({ kind, ...v }));
}
