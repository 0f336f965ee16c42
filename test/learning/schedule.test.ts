import { afterEach, describe, expect, it } from 'vitest';
import { learnerOf } from '../../src/learning/learner.js';
import { gradeAnswer, Rating } from '../../src/learning/schedule.js';
import type { LearningService } from '../../src/learning/service.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { tempDatabase } from '../helpers/app.js';
import { FakeTime } from '../helpers/time.js';
import { DAY, learning } from './fixtures.js';

const START = Date.parse('2026-03-02T09:00:00Z');
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function setup() {
  const time = new FakeTime(new Date(START));
  const store = new SqliteStore(tempDatabase());
  stores.push(store);
  return { time, store, svc: learning(store, time) };
}

describe('grading an answer', () => {
  it('right and fast (first half of the window) is Good, right and slow is Hard, wrong is Again', () => {
    expect(gradeAnswer({ correct: true, elapsedMs: 4_000, windowSeconds: 20 })).toBe(Rating.Good);
    expect(gradeAnswer({ correct: true, elapsedMs: 10_000, windowSeconds: 20 })).toBe(Rating.Good);
    expect(gradeAnswer({ correct: true, elapsedMs: 10_001, windowSeconds: 20 })).toBe(Rating.Hard);
    expect(gradeAnswer({ correct: true, elapsedMs: 25_000, windowSeconds: 30 })).toBe(Rating.Hard);
    expect(gradeAnswer({ correct: false, elapsedMs: 1_000, windowSeconds: 20 })).toBe(Rating.Again);
    // The quiz of the day is open for hours: when someone answered says when they looked, not how well they recalled.
    expect(gradeAnswer({ correct: true, elapsedMs: 3 * 3_600_000, windowSeconds: 4 * 3600 })).toBe(Rating.Good);
    expect(gradeAnswer({ correct: false, elapsedMs: 60_000, windowSeconds: 4 * 3600 })).toBe(Rating.Again);
  });
});

interface Step {
  day: number;
  correct: boolean;
  /** Days until the next review, as the schedule set it. */
  interval: number;
}

/**
 * Plays 60 days: each morning the learner practises whatever is due (private /review questions,
 * answered at once, so each review lands at the same time of day), missing the reviews `miss` names.
 */
async function sixtyDays(svc: LearningService, store: Store, time: FakeTime, miss: (conceptId: string, review: number) => boolean) {
  const me = learnerOf('slack:T1:C1', 'U1');
  const history = new Map<string, Step[]>();
  // Day 0: both concepts met in a channel quiz, answered right in 5 s of a 20-second window.
  for (const conceptId of ['kafka/c1', 'kafka/c2']) {
    const outcome = await svc.recordAnswer({ learner: me, conceptId, correct: true, shownAt: time.now(), answeredAt: new Date(time.now().getTime() + 5_000), windowSeconds: 20, source: 'quiz', key: `quiz:q0:${conceptId}`, address: 'slack:T1:C1' });
    history.set(conceptId, [{ day: 0, correct: true, interval: outcome.card.scheduledDays }]);
  }
  for (let day = 1; day <= 60; day++) {
    // Each morning half an hour after the first answers' time of day, so what is due that day is due.
    await time.advanceTo(new Date(START + day * DAY + 30 * 60_000).toISOString());
    const done: string[] = [];
    for (let q = await svc.nextPractice(me); q; q = await svc.nextPractice(me, done)) {
      done.push(q.conceptId);
      const steps = history.get(q.conceptId)!;
      const wrong = miss(q.conceptId, steps.length);
      const right = (await store.getPractice(q.id))!.correct;
      const result = await svc.answerPractice(me, q.id, wrong ? (right + 1) % 4 : right);
      if (result.status !== 'recorded') throw new Error(`practice not recorded: ${result.status}`);
      expect(result.correct).toBe(!wrong);
      steps.push({ day, correct: !wrong, interval: result.card.scheduledDays });
    }
  }
  return { me, history };
}

describe('a learner answering over 60 days', () => {
  it('gets growing intervals after successes and short ones after failures', async () => {
    const { time, store, svc } = setup();
    // kafka/c2 is missed at its 3rd review (the 2nd practice).
    const { me, history } = await sixtyDays(svc, store, time, (c, n) => c === 'kafka/c2' && n === 2);
    const c1 = history.get('kafka/c1')!;
    const c2 = history.get('kafka/c2')!;

    // Always right: every interval longer than the one before, and each review came when it was due.
    expect(c1.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < c1.length; i++) {
      expect(c1[i]!.interval).toBeGreaterThan(c1[i - 1]!.interval);
      expect(c1[i]!.day - c1[i - 1]!.day).toBe(c1[i - 1]!.interval);
    }
    expect(c1.at(-1)!.interval).toBeGreaterThanOrEqual(30);

    // Missed once: the interval after the miss is short (a few days, far under the one before),
    // and grows again with each right answer after it.
    const miss = c2.findIndex((s) => !s.correct);
    expect(miss).toBe(2);
    expect(c2[miss]!.interval).toBeLessThan(c2[miss - 1]!.interval);
    expect(c2[miss]!.interval).toBeLessThanOrEqual(3);
    expect(c2[miss + 1]!.day - c2[miss]!.day).toBe(c2[miss]!.interval);
    for (let i = miss + 2; i < c2.length; i++) expect(c2[i]!.interval).toBeGreaterThan(c2[i - 1]!.interval);
    // The miss costs: after 60 days the missed concept is further from mastery than the other one.
    const cards = await store.learningCards(me);
    const stability = Object.fromEntries(cards.map((c) => [c.conceptId, c.stability]));
    expect(stability['kafka/c2']!).toBeLessThan(stability['kafka/c1']!);
    expect(cards.find((c) => c.conceptId === 'kafka/c2')!.lapses).toBe(1);

    // Nothing was ever due early: the reviews are exactly the days the schedule named.
    expect((await store.learningReviews(me)).length).toBe(c1.length + c2.length);
  });

  it('a miss on a first meeting brings the concept back the next day', async () => {
    const { time, svc } = setup();
    const me = learnerOf('slack:T1:C1', 'U1');
    const outcome = await svc.recordAnswer({ learner: me, conceptId: 'kafka/c3', correct: false, shownAt: time.now(), answeredAt: time.now(), windowSeconds: 20, source: 'quiz', key: 'quiz:q:0' });
    expect(outcome.rating).toBe('again');
    expect(outcome.card.scheduledDays).toBe(1);
    expect(outcome.card.due).toBe(new Date(START + DAY).toISOString());
  });

  it('grows the interval less after a right but slow answer (Hard) than after a fast one (Good)', async () => {
    const intervals: number[] = [];
    for (const seconds of [5, 15]) {
      const { time, svc } = setup();
      const me = learnerOf('slack:T1:C1', 'U1');
      await svc.recordAnswer({ learner: me, conceptId: 'kafka/c1', correct: true, shownAt: time.now(), answeredAt: time.now(), windowSeconds: 20, source: 'quiz', key: 'quiz:a:0' });
      await time.advance(3 * DAY);
      const shown = time.now();
      const outcome = await svc.recordAnswer({ learner: me, conceptId: 'kafka/c1', correct: true, shownAt: shown, answeredAt: new Date(shown.getTime() + seconds * 1000), windowSeconds: 20, source: 'quiz', key: 'quiz:b:0' });
      expect(outcome.rating).toBe(seconds === 5 ? 'good' : 'hard');
      intervals.push(outcome.card.scheduledDays);
    }
    expect(intervals[1]!).toBeLessThan(intervals[0]!);
    expect(intervals[1]!).toBeGreaterThan(3);
  });
});
