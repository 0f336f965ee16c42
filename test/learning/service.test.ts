import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/core/incoming.js';
import { learnerOf } from '../../src/learning/learner.js';
import { bar, dayStreak } from '../../src/learning/progress.js';
import { groupReports } from '../../src/learning/service.js';
import { answerAction } from '../../src/quiz/messages.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase, testApp } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { FakeTime } from '../helpers/time.js';
import { DAY, KNOWLEDGE_DIR, learning } from './fixtures.js';

type App = ReturnType<typeof testApp>['app'];
const closers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c.close();
});

function game() {
  const t = testApp(KNOWLEDGE_DIR);
  closers.push(t.app);
  // The console is the channel the quiz engine posts to.
  consoleChat(t.app);
  return t;
}

function alone(start = '2026-03-02T09:00:00Z') {
  const time = new FakeTime(start);
  const store = new SqliteStore(tempDatabase());
  closers.push(store);
  return { time, store, svc: learning(store, time, 'Europe/Berlin') };
}

const person = (name: string): User => ({ id: `console:${name}`, name, isManager: false });
const me = (name: string) => learnerOf('console:local', `console:${name}`);

/**
 * Presses an answer button of the open question of a quiz (the right option, or a wrong one),
 * through the quiz engine rather than the commands, which are being redeclared elsewhere.
 */
async function press(app: App, quizId: string, name: string, right: boolean) {
  const quiz = (await app.store.getQuiz(quizId))!;
  const q = (await app.store.getQuestion(quizId, quiz.current))!;
  const choice = right ? q.correct : (q.correct + 1) % 4;
  const reply = await app.quizzes.answer({ kind: 'action', address: 'console:local', user: person(name), action: answerAction(quizId, q.position, choice) }, `${quizId}:${q.position}:${choice}`);
  expect(reply.blocks[0]).toMatchObject({ text: expect.stringContaining('Locked in') });
  return q;
}

/** Starts a channel quiz through the quiz engine. */
async function startQuiz(app: App, topic: string, count: number) {
  return (await app.quizzes.start({ address: 'console:local', user: person('starter'), topics: [topic], count, kind: 'quiz', windowSeconds: 20 })).quiz!;
}

describe('quiz answers change schedules at the reveal', () => {
  it('changes nothing while the question is open; at the reveal, right and fast is Good, right and slow Hard, wrong Again', async () => {
    const { app, time } = game();
    const quiz = await startQuiz(app, 'kafka', 2);
    const q = await press(app, quiz.id, 'fast', true);
    await time.advance(12_000);
    await press(app, quiz.id, 'slow', true);
    await press(app, quiz.id, 'wrong', false);
    // Open: nobody's schedule, progress or review tells anything about these answers yet.
    for (const name of ['fast', 'slow', 'wrong']) {
      expect(await app.store.learningCards(me(name))).toEqual([]);
      expect((await app.learning.progress(me(name))).overall.answers).toBe(0);
    }
    await time.advance(8_000);
    const rating = async (name: string) => (await app.store.learningReviews(me(name))).map((r) => [r.conceptId, r.source, r.rating, r.correct, r.address]);
    expect(await rating('fast')).toEqual([[q.conceptId, 'quiz', 3, true, 'console:local']]);
    expect(await rating('slow')).toEqual([[q.conceptId, 'quiz', 2, true, 'console:local']]);
    expect(await rating('wrong')).toEqual([[q.conceptId, 'quiz', 1, false, 'console:local']]);
    const [card] = await app.store.learningCards(me('wrong'));
    expect(card).toMatchObject({ conceptId: q.conceptId, reps: 1, lapses: 0, scheduledDays: 1 });
    // The reveal made again (after a restart, say) changes nobody's schedule a second time.
    await app.learning.recordReveal(quiz, (await app.store.getQuestion(quiz.id, 0))!, await app.store.answersTo(quiz.id, 0));
    expect(await app.store.learningReviews(me('fast'))).toHaveLength(1);
    expect(await app.store.learningCards(me('wrong'))).toEqual([card]);
  });

  it('grades the quiz of the day, open for hours, Good for a right answer however late', async () => {
    const { app, time } = game();
    const started = await app.quizzes.start({ address: 'console:local', user: person('backfill'), topics: ['spark'], count: 1, kind: 'daily', windowSeconds: 4 * 3600 });
    const quizId = started.quiz!.id;
    await time.advance(3 * 3_600_000);
    await press(app, quizId, 'late', true);
    expect(await app.store.learningCards(me('late'))).toEqual([]);
    await time.advance(3_600_000);
    expect((await app.store.learningReviews(me('late'))).map((r) => [r.source, r.rating])).toEqual([['daily', 3]]);
  });
});

describe('private practice (/review)', () => {
  it('asks about the most overdue concept, grades each answer once, on the server, and only for its person', async () => {
    const { time, store, svc } = alone();
    const mia = learnerOf('slack:T1:C1', 'U1');
    expect(await svc.nextPractice(mia)).toBeUndefined();
    await svc.showAgain(mia, 'kafka/c2', 'M1');
    await time.advance(DAY / 2);
    await svc.showAgain(mia, 'kafka/c1', 'M2');
    await time.advance(DAY);
    const session = await svc.reviewSession(mia);
    expect(session.due.map((d) => d.conceptId)).toEqual(['kafka/c2', 'kafka/c1']);
    expect(session).toMatchObject({ dueCount: 2, suggestions: [] });
    const q = (await svc.nextPractice(mia))!;
    expect(q).toMatchObject({ conceptId: 'kafka/c2', title: 'kafka concept 2', topic: 'kafka', topicName: 'Apache Kafka', windowSeconds: 30, options: expect.arrayContaining(['right 2']) });
    expect(q).not.toHaveProperty('correct');
    const right = q.options.indexOf('right 2');
    expect(await svc.answerPractice(learnerOf('slack:T1:C1', 'U2'), q.id, right)).toEqual({ status: 'unknown' });
    expect(await svc.answerPractice(mia, 'nope', right)).toEqual({ status: 'unknown' });
    await time.advance(20_000);
    const result = await svc.answerPractice(mia, q.id, right);
    expect(result).toMatchObject({ status: 'recorded', correct: true, answer: right, why: 'Because 2.', rating: 'hard' });
    expect(await svc.answerPractice(mia, q.id, (right + 1) % 4)).toMatchObject({ status: 'answered', choice: right, correct: true });
    expect((await store.learningReviews(mia)).filter((r) => r.source === 'practice')).toHaveLength(1);
    // The next question skips what this session asked already; then nothing else is due.
    expect((await svc.nextPractice(mia, ['kafka/c2']))?.conceptId).toBe('kafka/c1');
    expect(await svc.nextPractice(mia, ['kafka/c1'])).toBeUndefined();
  });

  it("asks another of a concept's questions than the one it asked last time", async () => {
    const { time, store, svc } = alone();
    const mia = learnerOf('slack:T1:C1', 'U1');
    await svc.showAgain(mia, 'kafka/c1', 'M1');
    const keys: string[] = [];
    for (let day = 0; day < 6; day++) {
      await time.advance(2 * DAY);
      const q = (await svc.nextPractice(mia))!;
      const stored = (await store.getPractice(q.id))!;
      keys.push(stored.questionKey);
      // A wrong answer: the concept is due again the next day.
      await svc.answerPractice(mia, q.id, (stored.correct + 1) % 4);
    }
    // The card's written question and the one made from its summary, in turn.
    expect(new Set(keys).size).toBe(2);
    keys.slice(1).forEach((key, i) => expect(key).not.toBe(keys[i]));
  });

  it('with nothing due, says when the next review is and offers new concepts from the topics the person plays', async () => {
    const { time, svc } = alone();
    const mia = learnerOf('slack:T1:C1', 'U1');
    const fresh = await svc.reviewSession(mia);
    expect(fresh).toMatchObject({ due: [], dueCount: 0, nextDue: null });
    expect(fresh.suggestions.map((s) => s.conceptId)).toEqual(['kafka/c1', 'kafka/c2', 'kafka/c3']);
    await svc.knewIt(mia, 'kafka/c1');
    await svc.knewIt(mia, 'kafka/c2');
    await svc.knewIt(mia, 'kafka/c3');
    await svc.knewIt(mia, 'kafka/c4');
    await svc.knewIt(mia, 'spark/c1');
    const session = await svc.reviewSession(mia);
    expect(session.due).toEqual([]);
    expect(session.nextDue).toBe(new Date(time.now().getTime() + 8 * DAY).toISOString());
    // Kafka is played most; c6 waits for its prerequisite c5.
    expect(session.suggestions.map((s) => s.conceptId)).toEqual(['kafka/c5', 'spark/c2', 'spark/c3']);
    await svc.knewIt(mia, 'kafka/c5');
    expect((await svc.newConcepts(mia, 1)).map((s) => s.conceptId)).toEqual(['kafka/c6']);
  });
});

describe('card buttons', () => {
  it('"I knew this" is Easy for a new concept and Good for one met before; "Show me again" is Again; one press counts per card message', async () => {
    const { time, store, svc } = alone();
    const mia = learnerOf('slack:T1:C1', 'U1');
    const easy = await svc.knewIt(mia, 'kafka/c1', 'M1');
    expect(easy).toMatchObject({ result: 'recorded', rating: 'easy', card: { scheduledDays: 8 } });
    expect(await svc.knewIt(mia, 'kafka/c1', 'M1')).toMatchObject({ result: 'duplicate', card: easy.card });
    await time.advance(8 * DAY);
    const good = await svc.knewIt(mia, 'kafka/c1', 'M2');
    expect(good).toMatchObject({ result: 'recorded', rating: 'good' });
    // The other button on the same card message: the first press stands.
    expect(await svc.showAgain(mia, 'kafka/c1', 'M2')).toMatchObject({ result: 'duplicate', card: good.card });
    const again = await svc.showAgain(mia, 'kafka/c1', 'M3');
    expect(again).toMatchObject({ result: 'recorded', rating: 'again', card: { lapses: 1 } });
    expect(Date.parse(again.card.due) - time.now().getTime()).toBeLessThanOrEqual(3 * DAY);
    expect((await store.learningReviews(mia)).map((r) => [r.source, r.rating, r.correct])).toEqual([
      ['card', 4, null],
      ['card', 3, null],
      ['card', 1, null],
    ]);
    // Without a message id: once per concept and day.
    await svc.showAgain(mia, 'kafka/c2');
    expect((await svc.showAgain(mia, 'kafka/c2')).result).toBe('duplicate');
    expect((await svc.knewIt(mia, 'kafka/c2')).result).toBe('duplicate');
  });
});

describe('progress', () => {
  it('per topic: seen, learning, mastered, accuracy; the day streak in the person’s zone; weakest concepts and next reviews', async () => {
    const { time, svc } = alone('2026-01-05T09:00:00Z');
    const mia = learnerOf('slack:T1:C1', 'U1');
    const answer = (conceptId: string, correct: boolean, key: string) =>
      svc.recordAnswer({ learner: mia, conceptId, correct, shownAt: time.now(), answeredAt: time.now(), windowSeconds: 20, source: 'quiz', key, address: 'slack:T1:C1' });
    // Mastered: stability of 21 days or more ("I knew this" on a new concept, then twice when due).
    for (let i = 0; i < 3; i++) {
      const c = (await svc.knewIt(mia, 'kafka/c4', `m${i}`)).card;
      if (i < 2) await time.advanceTo(c.due);
    }
    // Answers on three evenings; the first one is past midnight in Berlin (00:30 on 3 March), so
    // Berlin counts two days (3 and 4 March) and UTC three (2, 3 and 4 March).
    await time.advanceTo('2026-03-02T23:30:00Z');
    await answer('kafka/c1', true, 'a');
    await answer('kafka/c2', false, 'b');
    await time.advanceTo('2026-03-03T21:30:00Z');
    await answer('kafka/c3', true, 'c');
    await time.advanceTo('2026-03-04T21:30:00Z');
    await answer('spark/c1', true, 'd');
    await time.advanceTo('2026-03-05T08:00:00Z');
    const p = await svc.progress(mia);
    expect(p.timezone).toBe('Europe/Berlin');
    expect(p.overall).toMatchObject({ seen: 5, mastered: 1, learning: 4, answers: 4, correct: 3, accuracy: 0.75 });
    expect(p.topics.map((t) => [t.topic, t.name, t.total, t.seen, t.learning, t.mastered, t.answers, t.accuracy])).toEqual([
      ['kafka', 'Apache Kafka', 6, 4, 3, 1, 3, 2 / 3],
      ['spark', 'Apache Spark', 4, 1, 1, 0, 1, 1],
    ]);
    // Nothing answered yet today (5 March): the streak up to yesterday still stands.
    expect(p.streak).toEqual({ current: 2, best: 2, today: false });
    expect((await svc.progress(mia, { timezone: 'UTC' })).streak).toEqual({ current: 3, best: 3, today: false });
    await time.advanceTo('2026-03-06T08:00:00Z');
    expect((await svc.progress(mia)).streak).toEqual({ current: 0, best: 2, today: false });
    expect(p.weakest[0]).toMatchObject({ conceptId: 'kafka/c2', lapses: 0, answers: 1, correct: 0 });
    expect(p.weakest.map((w) => w.conceptId)).not.toContain('kafka/c4');
    expect(p.upcoming.length).toBeGreaterThan(0);
    for (let i = 1; i < p.upcoming.length; i++) expect(p.upcoming[i]!.due >= p.upcoming[i - 1]!.due).toBe(true);
    expect(bar(0.3)).toBe('▰▰▰▱▱▱▱▱▱▱');
    expect(bar(2 / 3, 6)).toBe('▰▰▰▰▱▱');
  });

  it('counts a streak up to today, or up to yesterday while today is still open', () => {
    const now = new Date('2026-10-26T10:00:00Z');
    const days = ['2026-10-22T10:00:00Z', '2026-10-24T10:00:00Z', '2026-10-25T01:30:00Z', '2026-10-25T23:30:00Z'];
    // Berlin: the 24th, the 25th (across the night the clocks went back) and the 26th (00:30 CET).
    expect(dayStreak(days, 'Europe/Berlin', now)).toEqual({ current: 3, best: 3, today: true });
    expect(dayStreak(days.slice(0, 3), 'Europe/Berlin', now)).toEqual({ current: 2, best: 2, today: false });
    expect(dayStreak(days.slice(0, 1), 'Europe/Berlin', now)).toEqual({ current: 0, best: 1, today: false });
    expect(dayStreak([], 'UTC', now)).toEqual({ current: 0, best: 0, today: false });
  });

  it('for leads: participation and the weakest concepts of a channel over 30 days, revealed answers only', async () => {
    const { app, time } = game();
    for (let round = 0; round < 2; round++) {
      const quiz = await startQuiz(app, 'kafka', 1);
      await press(app, quiz.id, 'ann', round === 0);
      await press(app, quiz.id, 'bob', false);
      await time.advance(20_000);
      await time.advance(DAY);
    }
    const open = await startQuiz(app, 'spark', 1);
    await press(app, open.id, 'cat', false);
    const p = await app.learning.channelProgress('console:local');
    expect(p).toMatchObject({ address: 'console:local', days: 30, people: 2, answers: 4, correct: 1, accuracy: 0.25, quizzes: 2 });
    expect(p.weakest.every((w) => w.topic === 'kafka' && w.answers >= 2 && w.accuracy < 1)).toBe(true);
    // Revealed, the open question's answer counts too; 30 days on, nothing does.
    await time.advance(20_000);
    expect(await app.learning.channelProgress('console:local')).toMatchObject({ people: 3, answers: 5, correct: 1, quizzes: 3 });
    await time.advance(31 * DAY);
    expect(await app.learning.channelProgress('console:local')).toMatchObject({ people: 0, answers: 0, correct: 0, accuracy: null, weakest: [] });
  });
});

describe('reminder settings', () => {
  it('are off by default; on with a time, zone and address; off again keeping the zone; bad values refused', async () => {
    const { svc } = alone();
    const mia = learnerOf('slack:T1:C1', 'U1');
    expect(await svc.reminder(mia)).toBeNull();
    expect(await svc.timezoneOf(mia)).toBe('Europe/Berlin');
    await svc.setReminder(mia, { time: '08:30', timezone: 'America/New_York', address: 'slack:T1:D1' });
    expect(await svc.reminder(mia)).toEqual({ time: '08:30', timezone: 'America/New_York', address: 'slack:T1:D1' });
    expect(await svc.stopReminder(mia)).toBe(true);
    expect(await svc.stopReminder(mia)).toBe(false);
    expect(await svc.reminder(mia)).toBeNull();
    expect(await svc.timezoneOf(mia)).toBe('America/New_York');
    await expect(svc.setReminder(mia, { time: '25:00', timezone: 'UTC', address: 'x' })).rejects.toThrow(/HH:MM/);
    await expect(svc.setReminder(mia, { time: '08:00', timezone: 'Mars/Olympus', address: 'x' })).rejects.toThrow(/time zone/);
  });
});

describe('problem reports', () => {
  it('keeps the concept, question, kind, note, time and platform (no user), and lists them for authors', async () => {
    const { time, svc } = alone();
    await svc.report({ conceptId: 'kafka/c1', questionKey: 'kafka/c1#0', kind: 'wrong', note: '  B is also right  ', platform: 'slack' });
    await time.advance(60_000);
    await svc.report({ conceptId: 'kafka/c1', kind: 'outdated', note: 'x'.repeat(900), platform: 'discord' });
    await svc.report({ conceptId: 'spark/c1', kind: 'unclear', note: '   ', platform: 'console' });
    await expect(svc.report({ conceptId: 'spark/c1', kind: 'rude' as 'wrong', platform: 'console' })).rejects.toThrow(/report kind/);
    const reports = await svc.reports();
    expect(reports.map((r) => [r.conceptId, r.kind, r.questionKey, r.note?.length ?? null, r.platform])).toEqual([
      ['spark/c1', 'unclear', null, null, 'console'],
      ['kafka/c1', 'outdated', null, 500, 'discord'],
      ['kafka/c1', 'wrong', 'kafka/c1#0', 15, 'slack'],
    ]);
    expect(Object.keys(reports[0]!).sort()).toEqual(['at', 'conceptId', 'kind', 'note', 'platform', 'questionKey']);
    expect(await svc.reports({ days: 0 })).toHaveLength(2);
    expect(groupReports(reports).map((g) => [g.conceptId, g.count, g.kinds, g.questionKeys])).toEqual([
      ['kafka/c1', 2, { wrong: 1, unclear: 0, outdated: 1 }, ['kafka/c1#0']],
      ['spark/c1', 1, { wrong: 0, unclear: 1, outdated: 0 }, []],
    ]);
  });
});

describe('who a learner is', () => {
  it('is the workspace on Slack (channel and DM alike), the platform on Discord (servers and DMs alike)', () => {
    expect(learnerOf('slack:T1:C1', 'U1')).toEqual({ scope: 'slack:T1', userId: 'U1' });
    expect(learnerOf('slack:T1:D9', 'U1')).toEqual({ scope: 'slack:T1', userId: 'U1' });
    expect(learnerOf('discord:G1:C1', '42')).toEqual({ scope: 'discord', userId: '42' });
    expect(learnerOf('discord:@me:77', '42')).toEqual({ scope: 'discord', userId: '42' });
    expect(learnerOf('console:local', 'console:you')).toEqual({ scope: 'console:local', userId: 'console:you' });
  });
});

