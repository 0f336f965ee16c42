import { describe, expect, it } from 'vitest';
import { openKnowledge } from '../../src/knowledge/index.js';
import { TITLE_TYPO_SEED, titleTypos } from '../../src/bench/title-typos.js';
import { byKind, HELD_OUT_TEST, HELD_OUT_TUNING, loadQueryFile, loadQuerySet, PROBES_DIR, QUERY_SET_DIR, scoreQuerySet, SECOND_PROBES_DIR, THIRD_PROBES_DIR, SECOND_TEST, SECOND_TUNING, FIFTH_TEST, FIFTH_TUNING, SIXTH_TEST, SIXTH_TUNING, SEVENTH_TEST, SEVENTH_TUNING, EIGHTH_TEST, EIGHTH_TUNING, NINTH_TEST, NINTH_TUNING, TENTH_TEST, TENTH_TUNING, ELEVENTH_TEST, ELEVENTH_TUNING, FOURTH_TEST, FOURTH_TUNING, THIRD_TEST, THIRD_TUNING, type LabelledQuery } from '../../src/search/query-set.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

const { kb, search } = openKnowledge(REAL_KNOWLEDGE_DIR);
const find = (q: string) => search.search(q).match?.concept.id ?? null;

/** A held-out set's two halves: large, over every topic and kind of question, labelled with cards that exist. */
function expectWellMade(all: LabelledQuery[], least: { none: number; perTopic: number; size?: number; kinds?: number }): void {
  expect(all.length).toBeGreaterThanOrEqual(least.size ?? 400);
  expect(all.filter((q) => q.expect === null).length).toBeGreaterThanOrEqual(least.none);
  for (const topic of kb.topics) expect(all.filter((q) => q.expect?.startsWith(`${topic.id}/`)).length, topic.id).toBeGreaterThanOrEqual(least.perTopic);
  expect(all.filter((q) => q.expect !== null && !kb.byId.has(q.expect)).map((q) => q.expect)).toEqual([]);
  expect(all.flatMap((q) => q.among ?? []).filter((id) => !kb.byId.has(id))).toEqual([]);
  expect(new Set(all.map((q) => q.kind)).size).toBe(least.kinds ?? 9);
}

/** Top-1 and wrong cards on a test half within their floors, and no card for what must match nothing. */
function expectFloors(test: LabelledQuery[], floors: { top1: number; wrongRate: number; falseMatches?: number }) {
  const s = scoreQuerySet(test, find);
  expect(s.accuracy).toBeGreaterThanOrEqual(floors.top1);
  expect(s.wrongRate).toBeLessThanOrEqual(floors.wrongRate);
  expect(s.falseMatches.length, `questions that must match nothing got a card: ${s.falseMatches.map((m) => `${m.q} -> ${m.got}`).join('; ')}`).toBeLessThanOrEqual(floors.falseMatches ?? 0);
  return s;
}

/** A query set split into a test half and a tuning half: well made, and its test half within its floors. */
function describeSplitSet(name: string, testFile: string, tuningFile: string, least: Parameters<typeof expectWellMade>[1], floors: Parameters<typeof expectFloors>[1]): void {
  describe(`search on ${name}`, () => {
    it('is varied and labelled with cards that exist', () => {
      expectWellMade([...loadQueryFile(testFile), ...loadQueryFile(tuningFile)], least);
    });

    it('finds the right card on its test half, rarely a wrong one, and a card for what no card answers at most as often as its floors allow', () => {
      expectFloors(loadQueryFile(testFile), floors);
    });
  });
}

/**
 * The held-out set was written by someone who saw only the card ids and titles, then split once at
 * random. Search is calibrated on the tuning half (and the validation set); the test half is only
 * measured here and in `npm run bench`. The floors below are what search reaches today on the test
 * half: a change that drops under them fails. (Issue 16 asks for more: 92% top-1, at most 1% wrong
 * cards and 98% of names, typos and config keys.) top1 went from 0.895 to 0.89 when ten new cards
 * landed, and to 0.885 when ten more did (round 8): each time one test question no longer found its
 * card (which one was not looked at), and new cards are not to be shaped by this half. It rose to
 * 0.903 on 2026-12-02 (long questions, chat noise, cards on how people describe a situation), and
 * to 0.936 on 2026-12-03 (pasted lines of code, keys on the cards), names, typos and config keys to
 * 85/87: the floors now hold the issue's 92% top-1, and names, typos and config keys at most one
 * query below where they are.
 */
const FLOORS = { top1: 0.92, wrongRate: 0.01, namesTyposConfig: 0.96, existing: 0.97 };

describe('search on the held-out query set', () => {
  const test = loadQueryFile(HELD_OUT_TEST);
  const tuning = loadQueryFile(HELD_OUT_TUNING);

  it('is large, varied and labelled with cards that exist', () => {
    expectWellMade([...test, ...tuning], { none: 60, perTopic: 40 });
  });

  it('finds the right card on the test half, rarely a wrong one', () => {
    const s = expectFloors(test, FLOORS);
    const kinds = byKind(s.outcomes).filter((k) => ['name', 'typo', 'config'].includes(k.kind));
    const right = kinds.reduce((n, k) => n + k.right, 0);
    const total = kinds.reduce((n, k) => n + k.total, 0);
    expect(right / total).toBeGreaterThanOrEqual(FLOORS.namesTyposConfig);
  });

  it('offers the right card among its guesses to most test-half questions it gives no card (all 15 on 2026-12-04)', () => {
    const noCard = scoreQuerySet(test, find).misses.filter((q) => q.got === null);
    expect(noCard.length).toBeGreaterThan(0);
    const guessed = noCard.filter((q) => search.search(q.q).suggestions.some((s) => s.concept.id === q.expect));
    expect(guessed.length / noCard.length).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the older query set (test/search/queries) above its floor, and its no-card questions without a card', () => {
    const s = scoreQuerySet(loadQuerySet(QUERY_SET_DIR), find);
    expect(s.accuracy, 'test/search/queries: see test/search/query-set.test.ts for the misses').toBeGreaterThanOrEqual(FLOORS.existing);
    expect(s.falseMatches.map((m) => `${m.q} -> ${m.got}`), 'questions no card answers found a card: change that card, not the query file').toEqual([]);
  });
});

/**
 * The second held-out set (test/search/second), written and split the same way, later. Its test half is where search stood when it was split and tuned on the other
 * half (2026-12-02): a change that drops under these floors fails.
 */
const SECOND_FLOORS = { top1: 0.8, wrongRate: 0.01 };

describeSplitSet('the second held-out query set', SECOND_TEST, SECOND_TUNING, { none: 50, perTopic: 30 }, SECOND_FLOORS);

/**
 * The third held-out set (test/search/third), written the same way on 2026-12-02 with more natural
 * questions, symptoms and chat, and split the same way. Its test half was only ever measured as a
 * whole (0.793 top-1 when it was written, 0.8 after that day's changes, tuned on the other half):
 * a change that drops under these floors fails.
 */
const THIRD_FLOORS = { top1: 0.78, wrongRate: 0.02 };

describeSplitSet('the third held-out query set', THIRD_TEST, THIRD_TUNING, { none: 20, perTopic: 20, size: 300 }, THIRD_FLOORS);

/**
 * The fourth held-out set (test/search/fourth), written the same way on 2026-12-03 (most of it natural
 * questions, symptoms and chat) and split the same way. Its test half stood at 0.782 top-1 with 9
 * wrong cards of 240 when it was split: a change that drops under these floors fails.
 */
const FOURTH_FLOORS = { top1: 0.76, wrongRate: 0.045 };

describeSplitSet('the fourth held-out query set', FOURTH_TEST, FOURTH_TUNING, { none: 40, perTopic: 40, size: 480, kinds: 6 }, FOURTH_FLOORS);

/**
 * The fifth held-out set (test/search/fifth), written the same way on 2026-12-03 and only of names,
 * typos, names with a topic word and config keys, split the same way. Its test half stood at 106/110
 * (0.964 top-1, one wrong card) when it was split, before anything was tuned on its other half, and at
 * 109/110 on the evening of 2026-12-03: the floors hold it at most one query below that.
 */
const FIFTH_FLOORS = { top1: 0.98, wrongRate: 0.01 };

describeSplitSet('the fifth held-out query set (names, typos, config keys)', FIFTH_TEST, FIFTH_TUNING, { none: 40, perTopic: 25, size: 260, kinds: 5 }, FIFTH_FLOORS);

/**
 * The sixth held-out set (test/search/sixth), written the same way later on 2026-12-03, heavier on
 * config keys and pasted lines of code, and split after the day's changes for pasted lines. Its test
 * half stood at 112/120 (0.933 top-1; two wrong cards, one of them for a question that must match
 * nothing) when it was split, before anything was tuned on its other half; after the tuning half
 * went from 111 to 115 of 120 the same day, still 112/120 but with a third wrong card (for a name),
 * and 113/120 with two once Hadoop's daemons had their abbreviations (NN, DN, RS) on their cards;
 * 115/120 that evening. The floors hold it at most one query below that.
 */
const SIXTH_FLOORS = { top1: 0.95, wrongRate: 0.015, falseMatches: 1 };

describeSplitSet('the sixth held-out query set (names, typos, config keys, pasted lines)', SIXTH_TEST, SIXTH_TUNING, { none: 40, perTopic: 30, size: 280, kinds: 5 }, SIXTH_FLOORS);

/**
 * The seventh held-out set (test/search/seventh), written the same way later on 2026-12-03 and only
 * of names, typos and config keys, split the same way. Its test half stood at 175/180 (0.972 top-1,
 * one wrong card) when it was split, with the code and cards of the session's start, before anything
 * was tuned on its other half, and at 177/180 when that session ended: the floors hold it at most one
 * query below that.
 */
const SEVENTH_FLOORS = { top1: 0.977, wrongRate: 0.01 };

describeSplitSet('the seventh held-out query set (names, typos, config keys)', SEVENTH_TEST, SEVENTH_TUNING, { none: 40, perTopic: 45, size: 400, kinds: 4 }, SEVENTH_FLOORS);

/**
 * The eighth held-out set (test/search/eighth), written the same way that evening, with more typos
 * of every kind, split the same way. Its test half stood at 172/180 (0.956 top-1, three wrong cards)
 * when it was split, with the code and cards of the session's start and after the day's changes up
 * to then alike, before anything was tuned on its other half, and at 176/180 with no wrong card when
 * that session ended: the floors hold it at most one query below that.
 */
const EIGHTH_FLOORS = { top1: 0.972, wrongRate: 0.005 };

describeSplitSet('the eighth held-out query set (names, typos, config keys)', EIGHTH_TEST, EIGHTH_TUNING, { none: 40, perTopic: 45, size: 400, kinds: 4 }, EIGHTH_FLOORS);

/**
 * The ninth held-out set (test/search/ninth), written the same way on 2026-12-04: one to three words
 * typed in a hurry, 80 of them words several tools share, labelled with the cards they may mean. Its
 * test half stood at 51/58 top-1 with two wrong cards (both for shared words), and 35 of its 40 shared
 * words showed or offered a card they may mean, when it was split, before anything was tuned on its
 * other half; the same when that session ended. The floors hold it at most one query below that.
 */
const NINTH_FLOORS = { top1: 0.86, wrongRate: 0.025 };

describeSplitSet('the ninth held-out query set (short queries)', NINTH_TEST, NINTH_TUNING, { none: 40, perTopic: 15, size: 240, kinds: 3 }, NINTH_FLOORS);

describe('search on words several tools share (the ninth set, test half)', () => {
  it('shows a card the word may mean, or asks which by offering one, for nearly all of them', () => {
    const shared = loadQueryFile(NINTH_TEST).filter((q) => q.among);
    expect(shared.length).toBeGreaterThanOrEqual(40);
    const answered = shared.filter((q) => {
      const found = search.search(q.q);
      return found.match ? q.among!.includes(found.match.concept.id) : found.suggestions.some((s) => q.among!.includes(s.concept.id));
    });
    expect(answered.length / shared.length).toBeGreaterThanOrEqual(34 / 40);
  });
});

/**
 * The tenth held-out set (test/search/tenth), written the same way on 2026-12-04: questions in people's
 * own words, 150 natural questions, 100 symptoms and 70 chatty messages, and 40 that must match
 * nothing. Its test half stood at 120/160 top-1 with 5 wrong cards of 180 when it was split, before
 * anything was tuned on its other half. The floors hold it at most one query below that.
 */
const TENTH_FLOORS = { top1: 0.74, wrongRate: 0.034 };

describeSplitSet("the tenth held-out query set (people's own words)", TENTH_TEST, TENTH_TUNING, { none: 40, perTopic: 40, size: 360, kinds: 4 }, TENTH_FLOORS);

/**
 * The eleventh held-out set (test/search/eleventh), written the same way on 2026-12-04: questions in
 * people's own words of every kind but names (natural questions, symptoms, chat, config keys,
 * comparisons, typos), and 62 that must match nothing. Its test half stood at 108/127 top-1 with 4
 * wrong cards of 158 (2 of them for questions that must match nothing) when it was split, before
 * anything was tuned on its other half (115/127 then). The floors hold it at most one query below that.
 */
const ELEVENTH_FLOORS = { top1: 0.84, wrongRate: 0.032, falseMatches: 3 };

describeSplitSet("the eleventh held-out query set (people's own words)", ELEVENTH_TEST, ELEVENTH_TUNING, { none: 60, perTopic: 35, size: 316, kinds: 7 }, ELEVENTH_FLOORS);

/*
 * Card titles typed with one slip in their longest word, generated (src/bench/title-typos.ts): 98.3%
 * found their card before the typo corrector read garbled stems (2026-12-03), 99.4% after.
 */
describe('search on card titles with one typo', () => {
  it('finds nearly every card, rarely a wrong one', () => {
    const typed = titleTypos(kb.concepts, TITLE_TYPO_SEED);
    expect(typed.length).toBeGreaterThan(kb.concepts.length * 3);
    const s = scoreQuerySet(typed, find);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(s.wrongRate).toBeLessThanOrEqual(0.003);
  });
});

/**
 * Probes written the same way, measured whole, then tuned on: floors a little under what search
 * reaches on them, so a change that loses what they taught fails; `known` are the questions that must
 * match nothing and still get a card.
 */
function probeSuite(name: string, dir: string, least: { none: number; size: number; kinds?: number }, floors: { top1: number; wrongRate: number }, known: string[]): void {
  describe(`search on the ${name} (tuned on)`, () => {
    const probes = loadQuerySet(dir);

    it('is varied and labelled with cards that exist', () => {
      // Config keys; natural questions, symptoms and chat (or names and typos); none.
      expectWellMade(probes, { perTopic: 40, kinds: 5, ...least });
    });

    it('stays above its floors, with no card for what must match nothing but the ones known', () => {
      const s = scoreQuerySet(probes, find);
      expect(s.accuracy).toBeGreaterThanOrEqual(floors.top1);
      expect(s.wrongRate).toBeLessThanOrEqual(floors.wrongRate);
      // Each as "question -> the card it got": a new card can change which card answers (its words change every word's weight).
      expect(s.falseMatches.filter((m) => !known.includes(m.q)).map((m) => `${m.q} -> ${m.got}`)).toEqual([]);
    });
  });
}

/*
 * The probes of 2026-12-03 (test/search/probes): search reaches 0.895 top-1 and 7 wrong cards of 490
 * on them. One question too vague to place still gets a card (its words are those of a card's own
 * question: "today's run only loads yesterday's data").
 */
probeSuite('probes', PROBES_DIR, { none: 50, size: 480 }, { top1: 0.88, wrongRate: 0.02 }, ["it worked yesterday and today it doesn't"]);

/*
 * The second probes of 2026-12-03 (test/search/probes-2): 660 questions, first measured whole at
 * 442/600 right with 23 wrong cards (most of them a close card of the same tool, some arguably
 * right); search now reaches 0.752 top-1 and 22 wrong. A workflow tool no card covers still gets
 * Airflow's retries card when the question pastes a setting that card writes (a key a card writes
 * wins over a tool named: knowledge/README.md).
 */
probeSuite('second probes', SECOND_PROBES_DIR, { none: 60, size: 660 }, { top1: 0.74, wrongRate: 0.04 }, ['prefect @flow(retries=3, retry_delay_seconds=60) does it retry the whole flow']);

/*
 * The blind probes of config keys, names and typos (test/search/probes-3): 1,280 questions, first
 * measured whole at 194/210, 249/260, 200/220, 192/220 and 168/180 right (6, 4, 9, 14 and 6 wrong
 * cards, a Postgres key given a Kafka card), then tuned on. Elasticsearch's "Data too large" error
 * still gets Kafka's message size card (its words are that card's), Postgres's VACUUM ANALYZE dbt's
 * hooks card (whose questions ask about running it after a model), and a bare `enabled: true` dbt's
 * configs card (a dbt config is named enabled).
 */
probeSuite('third probes', THIRD_PROBES_DIR, { none: 190, size: 1280, kinds: 4 }, { top1: 0.92, wrongRate: 0.04 }, [
  'circuit_breaking_exception: [parent] Data too large, data for [<http_request>] would be larger than limit',
  'VACUUM (VERBOSE, ANALYZE) orders;',
  'enabled: true',
]);
