import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { Answer, DailyPost, LearnerSettings, LearningCard, LearningReview, OutboxRecord, PracticeQuestion, Quiz, Report, StoredQuestion, Subscription } from '../../src/store/types.js';

const T0 = '2026-03-02T10:00:00.000Z';
/** T0 plus some minutes, as the ISO string the store keeps. */
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const quiz = (id: string, o: Partial<Quiz> = {}): Quiz => ({
  id,
  kind: 'quiz',
  address: 'slack:T1:C1',
  scope: 'slack:T1',
  topic: 'kafka',
  total: 2,
  current: 0,
  state: 'running',
  endReason: null,
  idle: 0,
  windowSeconds: 20,
  startedBy: 'U1',
  startedByName: 'mia',
  createdAt: T0,
  ...o,
});

const question = (quizId: string, position: number): StoredQuestion => ({
  quizId,
  position,
  questionKey: `kafka/acks#${position}`,
  conceptId: 'kafka/acks',
  prompt: `Question ${position}: what does acks=all wait for?`,
  options: ['the leader', 'all in-sync replicas', 'the consumer', 'ZooKeeper'],
  correct: 1,
  why: 'acks=all waits for every in-sync replica.',
  messageId: null,
  openedAt: null,
  deadlineAt: null,
  closedAt: null,
});

const answer = (o: Partial<Answer> & Pick<Answer, 'quizId' | 'userId'>): Answer => ({
  position: 0,
  userName: o.userId.toLowerCase(),
  address: 'slack:T1:C1',
  scope: 'slack:T1',
  choice: 1,
  correct: true,
  points: 100,
  answeredAt: T0,
  ...o,
});

const subscription = (address: string, o: Partial<Subscription> = {}): Subscription => ({
  address,
  kinds: ['concept', 'quiz'],
  time: '09:00',
  timezone: 'Europe/Berlin',
  topics: [],
  weekdays: [],
  state: 'active',
  pausedReason: null,
  createdBy: 'U1',
  createdAt: T0,
  ...o,
});

const MIA = { scope: 'slack:T1', userId: 'U1' };

/** A learning card as a first review leaves it. */
const card = (o: Partial<LearningCard> = {}): LearningCard => ({
  ...MIA,
  conceptId: 'kafka/acks',
  state: 2,
  due: at(3 * 1440),
  stability: 2.3065,
  difficulty: 2.118103970459016,
  elapsedDays: 0,
  scheduledDays: 3,
  learningSteps: 0,
  reps: 1,
  lapses: 0,
  lastReview: T0,
  firstSeen: T0,
  version: 1,
  ...o,
});

const review = (o: Partial<LearningReview> = {}): LearningReview => ({
  ...MIA,
  eventKey: 'quiz:q1:0',
  conceptId: 'kafka/acks',
  source: 'quiz',
  rating: 3,
  correct: true,
  address: 'slack:T1:C1',
  answeredAt: T0,
  recordedAt: at(1),
  scheduledDays: 3,
  stability: 2.3065,
  due: at(3 * 1440),
  ...o,
});

const practice = (id: string, o: Partial<PracticeQuestion> = {}): PracticeQuestion => ({
  id,
  ...MIA,
  conceptId: 'kafka/acks',
  questionKey: 'kafka/acks#0',
  prompt: 'What does acks=all wait for?',
  options: ['the leader', 'all in-sync replicas', 'the consumer', 'ZooKeeper'],
  correct: 1,
  why: 'acks=all waits for every in-sync replica.',
  shownAt: T0,
  windowSeconds: 30,
  choice: null,
  answeredAt: null,
  ...o,
});

const settings = (o: Partial<LearnerSettings> = {}): LearnerSettings => ({
  ...MIA,
  timezone: 'Europe/Berlin',
  remindAt: '08:30',
  remindAddress: 'slack:T1:D1',
  updatedAt: T0,
  ...o,
});

/** Every Store method against a fresh store from `open`, closed after each test. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: the Store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** A quiz with its questions, answered by the given people at the given minutes, then revealed (closed). */
    async function answered(id: string, answers: Array<Partial<Answer> & Pick<Answer, 'userId'>>, o: Partial<Quiz> = {}) {
      expect(await store.createQuiz(quiz(id, o), [question(id, 0), question(id, 1)])).toBe('created');
      for (const a of answers) expect(await store.addAnswer(answer({ quizId: id, address: o.address ?? 'slack:T1:C1', scope: o.scope ?? 'slack:T1', ...a }))).toBe(true);
      for (const position of [0, 1]) await store.closeQuestion(id, position, at(90));
    }

    describe('quizzes', () => {
      it('creates a quiz with its questions and reads them back as written', async () => {
        await store.createQuiz(quiz('q1', { topic: null }), [question('q1', 1), question('q1', 0)]);
        expect(await store.getQuiz('q1')).toEqual(quiz('q1', { topic: null }));
        expect(await store.getQuiz('nope')).toBeUndefined();
        expect(await store.questionsOf('q1')).toEqual([question('q1', 0), question('q1', 1)]);
        expect(await store.getQuestion('q1', 1)).toEqual(question('q1', 1));
        expect(await store.getQuestion('q1', 2)).toBeUndefined();
        expect(await store.questionsOf('nope')).toEqual([]);
      });

      it('creates all of a quiz or none of it', async () => {
        await expect(store.createQuiz(quiz('q1'), [question('q1', 0), question('q1', 0)])).rejects.toThrow();
        expect(await store.getQuiz('q1')).toBeUndefined();
        expect(await store.questionsOf('q1')).toEqual([]);
      });

      it('finds the running quiz of a kind in a channel, and every running quiz oldest first', async () => {
        await store.createQuiz(quiz('old', { createdAt: at(0), state: 'finished' }), []);
        await store.createQuiz(quiz('run', { createdAt: at(1) }), []);
        await store.createQuiz(quiz('daily', { createdAt: at(2), kind: 'daily' }), []);
        await store.createQuiz(quiz('other', { createdAt: at(-1), address: 'slack:T1:C2' }), []);
        expect((await store.runningQuiz('slack:T1:C1', 'quiz'))?.id).toBe('run');
        expect((await store.runningQuiz('slack:T1:C1', 'daily'))?.id).toBe('daily');
        expect(await store.runningQuiz('slack:T1:C3', 'quiz')).toBeUndefined();
        expect((await store.runningQuizzes()).map((q) => q.id)).toEqual(['other', 'run', 'daily']);
      });

      it('finds running quizzes whose current step is overdue, and only those', async () => {
        const q = (quizId: string, position: number, o: Partial<StoredQuestion>) => ({ ...question(quizId, position), ...o });
        // Open past its deadline; open before it; closed long ago without moving on; closed just now.
        await store.createQuiz(quiz('late', { createdAt: at(0) }), [q('late', 0, { messageId: 'm', openedAt: at(0), deadlineAt: at(1) })]);
        await store.createQuiz(quiz('open', { createdAt: at(0), address: 'slack:T1:C2' }), [q('open', 0, { messageId: 'm', openedAt: at(9), deadlineAt: at(11) })]);
        await store.createQuiz(quiz('stuck', { createdAt: at(1), address: 'slack:T1:C3' }), [q('stuck', 0, { messageId: 'm', openedAt: at(1), deadlineAt: at(2), closedAt: at(2) })]);
        await store.createQuiz(quiz('fresh', { createdAt: at(1), address: 'slack:T1:C4' }), [q('fresh', 0, { messageId: 'm', openedAt: at(8), deadlineAt: at(9), closedAt: at(10.5) })]);
        // Not posted: the second question after a close long ago, and a first question just created.
        await store.createQuiz(quiz('next', { createdAt: at(2), address: 'slack:T1:C5', current: 1 }), [q('next', 0, { messageId: 'm', closedAt: at(3) }), q('next', 1, {})]);
        await store.createQuiz(quiz('new', { createdAt: at(10.5), address: 'slack:T1:C6' }), [q('new', 0, {})]);
        await store.createQuiz(quiz('done', { createdAt: at(0), address: 'slack:T1:C7', state: 'finished' }), [q('done', 0, { deadlineAt: at(1) })]);
        expect((await store.overdueQuizzes(at(10))).map((x) => x.id)).toEqual(['late', 'stuck', 'next']);
      });

      it('finds the latest quiz, running or not, the last created on a tie', async () => {
        await store.createQuiz(quiz('a', { createdAt: at(0), state: 'finished' }), []);
        await store.createQuiz(quiz('b', { createdAt: at(5), state: 'finished' }), []);
        expect((await store.latestQuiz('slack:T1:C1', 'quiz'))?.id).toBe('b');
        await store.createQuiz(quiz('c', { createdAt: at(5) }), []);
        expect((await store.latestQuiz('slack:T1:C1', 'quiz'))?.id).toBe('c');
        expect(await store.latestQuiz('slack:T1:C1', 'daily')).toBeUndefined();
      });

      it('finds the latest quiz a person answered in, past a later one they did not play', async () => {
        await store.createQuiz(quiz('played', { createdAt: at(0), state: 'finished' }), [question('played', 0)]);
        await store.createQuiz(quiz('without', { createdAt: at(5), state: 'finished' }), [question('without', 0)]);
        expect(await store.addAnswer(answer({ quizId: 'played', userId: 'U1' }))).toBe(true);
        expect(await store.addAnswer(answer({ quizId: 'without', userId: 'U2' }))).toBe(true);
        expect((await store.latestQuiz('slack:T1:C1', 'quiz', 'U1'))?.id).toBe('played');
        expect((await store.latestQuiz('slack:T1:C1', 'quiz', 'U2'))?.id).toBe('without');
        expect(await store.latestQuiz('slack:T1:C1', 'quiz', 'U3')).toBeUndefined();
      });

      it('holds one running channel quiz per channel, whoever creates it at the same moment', async () => {
        const starts = await Promise.all(Array.from({ length: 5 }, (_, i) => store.createQuiz(quiz(`race${i}`), [question(`race${i}`, 0)])));
        expect(starts.filter((r) => r === 'created')).toHaveLength(1);
        expect(starts.filter((r) => r === 'running')).toHaveLength(4);
        const winner = `race${starts.indexOf('created')}`;
        expect((await store.runningQuizzes()).map((q) => q.id)).toEqual([winner]);
        expect(await store.questionsOf(`race${(starts.indexOf('created') + 1) % 5}`)).toEqual([]);
        // A quiz of the day runs beside it, another channel is free, and so is this one once it ends.
        expect(await store.createQuiz(quiz('daily', { kind: 'daily' }), [])).toBe('created');
        expect(await store.createQuiz(quiz('elsewhere', { address: 'slack:T1:C2' }), [])).toBe('created');
        expect(await store.createQuiz(quiz('done', { state: 'finished' }), [])).toBe('created');
        await store.updateQuiz(winner, { state: 'finished' });
        expect(await store.createQuiz(quiz('next'), [])).toBe('created');
      });

      it('says when a quiz with that id exists already, and changes nothing', async () => {
        expect(await store.createQuiz(quiz('d1', { kind: 'daily' }), [question('d1', 0)])).toBe('created');
        const again = { ...question('d1', 0), prompt: 'Another question?' };
        expect(await store.createQuiz(quiz('d1', { kind: 'daily', createdAt: at(5) }), [again])).toBe('exists');
        expect(await store.getQuiz('d1')).toEqual(quiz('d1', { kind: 'daily' }));
        expect(await store.questionsOf('d1')).toEqual([question('d1', 0)]);
      });

      it('updates only the fields of a patch', async () => {
        await store.createQuiz(quiz('q1'), []);
        await store.updateQuiz('q1', { current: 1, idle: 2 });
        expect(await store.getQuiz('q1')).toEqual(quiz('q1', { current: 1, idle: 2 }));
        await store.updateQuiz('q1', { state: 'finished', endReason: 'Stopped by mia.' });
        await store.updateQuiz('q1', {});
        expect(await store.getQuiz('q1')).toEqual(quiz('q1', { current: 1, idle: 2, state: 'finished', endReason: 'Stopped by mia.' }));
        expect(await store.runningQuiz('slack:T1:C1', 'quiz')).toBeUndefined();
      });
    });

    describe('questions', () => {
      it('opens a question and closes it once, even when closed from several places at once', async () => {
        await store.createQuiz(quiz('q1'), [question('q1', 0)]);
        expect(await store.openQuestion('q1', 0, 'M1', at(0), at(1))).toBe(true);
        // Opened once: a second process that posted nothing new keeps the first message and deadline.
        expect(await store.openQuestion('q1', 0, 'M2', at(0.5), at(1.5))).toBe(false);
        expect(await store.getQuestion('q1', 0)).toEqual({ ...question('q1', 0), messageId: 'M1', openedAt: at(0), deadlineAt: at(1) });
        const closes = await Promise.all(Array.from({ length: 5 }, (_, i) => store.closeQuestion('q1', 0, at(1 + i))));
        expect(closes.filter(Boolean)).toHaveLength(1);
        expect((await store.getQuestion('q1', 0))?.closedAt).toBe(at(1 + closes.indexOf(true)));
        expect(await store.closeQuestion('q1', 0, at(9))).toBe(false);
        expect(await store.closeQuestion('q1', 7, at(9))).toBe(false);
      });
    });

    describe('answers', () => {
      it('takes one answer per person and question, the first', async () => {
        await store.createQuiz(quiz('q1'), [question('q1', 0), question('q1', 1)]);
        expect(await store.addAnswer(answer({ quizId: 'q1', userId: 'U1', choice: 1 }))).toBe(true);
        expect(await store.addAnswer(answer({ quizId: 'q1', userId: 'U1', choice: 2, correct: false, points: 0 }))).toBe(false);
        expect(await store.addAnswer(answer({ quizId: 'q1', userId: 'U1', position: 1 }))).toBe(true);
        const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => store.addAnswer(answer({ quizId: 'q1', userId: 'U2', choice: i % 4, answeredAt: at(1) }))));
        expect(tries.filter(Boolean)).toHaveLength(1);
        expect(await store.answersTo('q1', 0)).toEqual([answer({ quizId: 'q1', userId: 'U1' }), answer({ quizId: 'q1', userId: 'U2', choice: tries.indexOf(true) % 4, answeredAt: at(1) })]);
      });

      it('refuses an answer to a question that does not exist', async () => {
        await store.createQuiz(quiz('q1'), [question('q1', 0)]);
        await expect(store.addAnswer(answer({ quizId: 'q1', userId: 'U1', position: 3 }))).rejects.toThrow();
      });

      it('lists the answers to a question by time, and to a quiz by question then time', async () => {
        await store.createQuiz(quiz('q1'), [question('q1', 0), question('q1', 1)]);
        const late = answer({ quizId: 'q1', userId: 'U1', answeredAt: at(2), correct: false, points: 0, choice: 3 });
        const early = answer({ quizId: 'q1', userId: 'U2', answeredAt: at(1) });
        const second = answer({ quizId: 'q1', userId: 'U1', position: 1, answeredAt: at(0) });
        for (const a of [second, late, early]) await store.addAnswer(a);
        expect(await store.answersTo('q1', 0)).toEqual([early, late]);
        expect(await store.answersTo('q1', 1)).toEqual([second]);
        expect(await store.answersOfQuiz('q1')).toEqual([early, late, second]);
        expect(await store.answersOfQuiz('nope')).toEqual([]);
      });
    });

    describe('seen questions', () => {
      it('remembers when each question was last shown, per channel', async () => {
        await store.markSeen('slack:T1:C1', ['a', 'b'], at(0));
        await store.markSeen('slack:T1:C1', ['b', 'c'], at(5));
        await store.markSeen('slack:T1:C2', ['a'], at(9));
        await store.markSeen('slack:T1:C2', [], at(10));
        expect(await store.seenQuestions('slack:T1:C1')).toEqual(new Map([['a', at(0)], ['b', at(5)], ['c', at(5)]]));
        expect(await store.seenQuestions('slack:T1:C2')).toEqual(new Map([['a', at(9)]]));
        expect(await store.seenQuestions('slack:T1:C3')).toEqual(new Map());
      });
    });

    describe('scores and answer history', () => {
      beforeEach(async () => {
        await answered('q1', [
          { userId: 'U2', points: 100, answeredAt: at(0) },
          { userId: 'U1', points: 50, answeredAt: at(1) },
          { userId: 'U3', points: 0, correct: false, choice: 0, answeredAt: at(2) },
          { userId: 'U1', position: 1, points: 50, answeredAt: at(60) },
          { userId: 'U3', position: 1, points: 0, correct: false, choice: 0, answeredAt: at(61) },
        ]);
        // A quiz of the day counts even with one player; a channel quiz played alone is practice.
        await answered('q2', [{ userId: 'U4', userName: 'zoe', points: 500, answeredAt: at(30) }], { address: 'slack:T1:C2', kind: 'daily' });
        await answered('q3', [{ userId: 'U1', points: 999, answeredAt: at(30) }], { address: 'slack:T9:C1', scope: 'slack:T9' });
        await answered('q4', [
          { userId: 'U5', points: 700, answeredAt: at(40) },
          { userId: 'U6', points: 600, answeredAt: at(41) },
        ], { address: 'slack:T9:C2', scope: 'slack:T9' });
      });

      it('ranks a channel by points, then correct answers, then user id', async () => {
        expect(await store.scores({ address: 'slack:T1:C1' })).toEqual([
          { userId: 'U1', userName: 'u1', points: 100, answers: 2, correct: 2 },
          { userId: 'U2', userName: 'u2', points: 100, answers: 1, correct: 1 },
          { userId: 'U3', userName: 'u3', points: 0, answers: 2, correct: 0 },
        ]);
        expect(await store.scores({ address: 'slack:T1:C9' })).toEqual([]);
      });

      it('ranks a whole workspace or server, only answers since a time when asked, and not solo quizzes', async () => {
        expect((await store.scores({ scope: 'slack:T1' })).map((r) => [r.userId, r.points])).toEqual([
          ['U4', 500],
          ['U1', 100],
          ['U2', 100],
          ['U3', 0],
        ]);
        expect(await store.scores({ address: 'slack:T1:C1' }, at(60))).toEqual([
          { userId: 'U1', userName: 'u1', points: 50, answers: 1, correct: 1 },
          { userId: 'U3', userName: 'u3', points: 0, answers: 1, correct: 0 },
        ]);
        expect((await store.scores({ scope: 'slack:T9' }, at(30))).map((r) => [r.userId, r.points])).toEqual([
          ['U5', 700],
          ['U6', 600],
        ]);
        expect(await store.scores({ address: 'slack:T9:C1' })).toEqual([]);
      });

      it('counts nothing of a question before it is revealed: not points, accuracy, streaks, nor a second player', async () => {
        await store.createQuiz(quiz('open', { address: 'slack:T1:C5' }), [question('open', 0), question('open', 1)]);
        await store.addAnswer(answer({ quizId: 'open', userId: 'U1', address: 'slack:T1:C5' }));
        await store.addAnswer(answer({ quizId: 'open', userId: 'U2', address: 'slack:T1:C5', correct: false, choice: 0, points: 0 }));
        expect(await store.scores({ address: 'slack:T1:C5' })).toEqual([]);
        expect(await store.answerHistory({ address: 'slack:T1:C5' }, ['U1', 'U2'])).toEqual([]);
        expect((await store.scores({ scope: 'slack:T1' })).map((r) => r.userId)).toEqual(['U4', 'U1', 'U2', 'U3']);
        await store.closeQuestion('open', 0, at(100));
        expect(await store.scores({ address: 'slack:T1:C5' })).toEqual([
          { userId: 'U1', userName: 'u1', points: 100, answers: 1, correct: 1 },
          { userId: 'U2', userName: 'u2', points: 0, answers: 1, correct: 0 },
        ]);
        // U1's answer to question 2 is open: it shows only once that question is revealed too.
        await store.addAnswer(answer({ quizId: 'open', userId: 'U1', position: 1, address: 'slack:T1:C5' }));
        expect((await store.scores({ address: 'slack:T1:C5' }))[0]).toMatchObject({ userId: 'U1', answers: 1 });
        expect(await store.answerHistory({ address: 'slack:T1:C5' }, ['U1'])).toEqual([{ userId: 'U1', correct: true }]);
      });

      it('counts a quiz as played by two only once the second player’s answer is revealed', async () => {
        await store.createQuiz(quiz('duo', { address: 'slack:T1:C6' }), [question('duo', 0), question('duo', 1)]);
        await store.addAnswer(answer({ quizId: 'duo', userId: 'U1', address: 'slack:T1:C6' }));
        await store.closeQuestion('duo', 0, at(100));
        await store.addAnswer(answer({ quizId: 'duo', userId: 'U2', position: 1, address: 'slack:T1:C6' }));
        expect(await store.scores({ address: 'slack:T1:C6' })).toEqual([]);
        await store.closeQuestion('duo', 1, at(101));
        expect((await store.scores({ address: 'slack:T1:C6' })).map((r) => r.userId)).toEqual(['U1', 'U2']);
      });

      it('gives the answers of some people, oldest first, per channel or scope and since a time', async () => {
        expect(await store.answerHistory({ address: 'slack:T1:C1' }, ['U1', 'U3'])).toEqual([
          { userId: 'U1', correct: true },
          { userId: 'U3', correct: false },
          { userId: 'U1', correct: true },
          { userId: 'U3', correct: false },
        ]);
        expect(await store.answerHistory({ scope: 'slack:T1' }, ['U4', 'U2'])).toEqual([
          { userId: 'U2', correct: true },
          { userId: 'U4', correct: true },
        ]);
        expect(await store.answerHistory({ address: 'slack:T1:C1' }, ['U1', 'U3'], at(61))).toEqual([{ userId: 'U3', correct: false }]);
        expect(await store.answerHistory({ address: 'slack:T1:C1' }, [])).toEqual([]);
      });
    });

    describe('daily subscriptions', () => {
      it('saves, updates (keeping who created it and when), lists, pauses and deletes', async () => {
        const sub = subscription('slack:T1:b', { kinds: ['quiz'], topics: ['kafka', 'spark'], weekdays: [1, 2, 3, 4, 5] });
        await store.saveSubscription(sub);
        expect(await store.getSubscription('slack:T1:b')).toEqual(sub);
        const changed = { ...sub, kinds: ['concept' as const], time: '07:30', timezone: 'UTC', topics: [], weekdays: [0, 6], createdBy: 'U9', createdAt: at(99) };
        await store.saveSubscription(changed);
        expect(await store.getSubscription('slack:T1:b')).toEqual({ ...changed, createdBy: sub.createdBy, createdAt: sub.createdAt });

        // Byte order, as in SQLite: upper case before lower case whatever the database's locale.
        await store.saveSubscription(subscription('slack:T1:C'));
        await store.saveSubscription(subscription('discord:G1:C1'));
        expect((await store.subscriptions()).map((s) => s.address)).toEqual(['discord:G1:C1', 'slack:T1:C', 'slack:T1:b']);

        await store.setSubscriptionState('slack:T1:C', 'paused', 'I could not post here.');
        expect(await store.getSubscription('slack:T1:C')).toEqual(subscription('slack:T1:C', { state: 'paused', pausedReason: 'I could not post here.' }));
        expect((await store.subscriptions('active')).map((s) => s.address)).toEqual(['discord:G1:C1', 'slack:T1:b']);
        expect((await store.subscriptions('paused')).map((s) => s.address)).toEqual(['slack:T1:C']);
        await store.setSubscriptionState('slack:T1:C', 'active', null);
        expect((await store.getSubscription('slack:T1:C'))?.pausedReason).toBeNull();

        expect(await store.deleteSubscription('slack:T1:b')).toBe(true);
        expect(await store.deleteSubscription('slack:T1:b')).toBe(false);
        expect(await store.getSubscription('slack:T1:b')).toBeUndefined();
      });
    });

    describe('daily posts', () => {
      const post = (o: Partial<DailyPost> = {}): DailyPost => ({
        address: 'slack:T1:C1',
        kind: 'concept',
        localDate: '2026-03-02',
        status: 'claimed',
        conceptId: null,
        attempts: 1,
        claimedAt: T0,
        nextAttemptAt: null,
        postedAt: null,
        error: null,
        ...o,
      });

      it('lets exactly one of many simultaneous claims win a post', async () => {
        const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimPost('slack:T1:C1', 'concept', '2026-03-02', T0)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.claimPost('slack:T1:C1', 'concept', '2026-03-02', at(1))).toBe(false);
        expect(await store.claimPost('slack:T1:C1', 'quiz', '2026-03-02', T0)).toBe(true);
        expect(await store.claimPost('slack:T1:C1', 'concept', '2026-03-03', T0)).toBe(true);
        expect(await store.postsOf('slack:T1:C1', 'concept')).toEqual([post(), post({ localDate: '2026-03-03' })]);
      });

      it('records how a post went', async () => {
        await store.claimPost('slack:T1:C1', 'concept', '2026-03-02', T0);
        await store.updatePost('slack:T1:C1', 'concept', '2026-03-02', { status: 'retry', nextAttemptAt: at(5), error: 'rate_limited' });
        await store.updatePost('slack:T1:C1', 'concept', '2026-03-02', {});
        expect(await store.postsOf('slack:T1:C1')).toEqual([post({ status: 'retry', nextAttemptAt: at(5), error: 'rate_limited' })]);
        await store.updatePost('slack:T1:C1', 'concept', '2026-03-02', { status: 'posted', conceptId: 'kafka/acks', postedAt: at(6), nextAttemptAt: null, error: null });
        expect(await store.postsOf('slack:T1:C1')).toEqual([post({ status: 'posted', conceptId: 'kafka/acks', postedAt: at(6) })]);
      });

      it('lets exactly one process reclaim a post for another attempt', async () => {
        await store.claimPost('slack:T1:C1', 'quiz', '2026-03-02', T0);
        await store.updatePost('slack:T1:C1', 'quiz', '2026-03-02', { status: 'retry', nextAttemptAt: at(5), error: 'timeout' });
        const [waiting] = await store.postsOf('slack:T1:C1', 'quiz');
        const reclaims = await Promise.all(Array.from({ length: 5 }, () => store.reclaimPost(waiting!, at(5))));
        expect(reclaims.filter(Boolean)).toHaveLength(1);
        expect(await store.postsOf('slack:T1:C1', 'quiz')).toEqual([post({ kind: 'quiz', status: 'claimed', attempts: 2, claimedAt: at(5), nextAttemptAt: null, error: 'timeout' })]);
        expect(await store.reclaimPost(waiting!, at(6))).toBe(false);
      });

      it('finds posts due for a retry and claims gone stale, oldest claim first', async () => {
        const claim = (address: string, minute: number) => store.claimPost(address, 'concept', '2026-03-02', at(minute));
        await claim('due', 3);
        await store.updatePost('due', 'concept', '2026-03-02', { status: 'retry', nextAttemptAt: at(10) });
        await claim('later', 0);
        await store.updatePost('later', 'concept', '2026-03-02', { status: 'retry', nextAttemptAt: at(11) });
        await claim('stale', 1);
        await claim('fresh', 8);
        await claim('done', 0);
        await store.updatePost('done', 'concept', '2026-03-02', { status: 'posted', postedAt: at(0) });
        await claim('failed', 0);
        await store.updatePost('failed', 'concept', '2026-03-02', { status: 'failed', nextAttemptAt: at(0) });
        expect((await store.retryablePosts(at(10), at(5))).map((p) => p.address)).toEqual(['stale', 'due']);
        expect((await store.retryablePosts(at(11), at(9))).map((p) => p.address)).toEqual(['later', 'stale', 'due', 'fresh']);
      });

      it("lists a channel's posts by local date, then claim time", async () => {
        await store.claimPost('slack:T1:C1', 'quiz', '2026-03-03', at(0));
        await store.claimPost('slack:T1:C1', 'concept', '2026-03-02', at(2));
        await store.claimPost('slack:T1:C1', 'quiz', '2026-03-02', at(1));
        await store.claimPost('slack:T1:C2', 'quiz', '2026-03-01', at(0));
        expect((await store.postsOf('slack:T1:C1')).map((p) => [p.kind, p.localDate])).toEqual([
          ['quiz', '2026-03-02'],
          ['concept', '2026-03-02'],
          ['quiz', '2026-03-03'],
        ]);
        expect((await store.postsOf('slack:T1:C1', 'quiz')).map((p) => p.localDate)).toEqual(['2026-03-02', '2026-03-03']);
        expect(await store.postsOf('slack:T1:C3')).toEqual([]);
      });
    });

    describe('learning cards and reviews', () => {
      it('records a first review with its card, and reads both back as written', async () => {
        expect(await store.applyReview({ review: review(), card: card() })).toBe('recorded');
        expect(await store.learningCard(MIA, 'kafka/acks')).toEqual(card());
        expect(await store.learningCard(MIA, 'kafka/other')).toBeUndefined();
        expect(await store.learningCard({ scope: 'slack:T2', userId: 'U1' }, 'kafka/acks')).toBeUndefined();
        expect(await store.learningReviews(MIA)).toEqual([review()]);
        const button = review({ eventKey: 'card:again:kafka/acks:M1', source: 'card', rating: 1, correct: null, address: null, answeredAt: at(5) });
        expect(await store.applyReview({ review: button, card: card({ version: 2, lapses: 1, stability: 0.21 }) })).toBe('recorded');
        expect(await store.learningReviews(MIA)).toEqual([review(), button]);
        expect(await store.learningReviews(MIA, at(1))).toEqual([button]);
        expect(await store.learningCard(MIA, 'kafka/acks')).toEqual(card({ version: 2, lapses: 1, stability: 0.21 }));
      });

      it('changes a schedule once per event, however often the same answer is applied', async () => {
        await store.applyReview({ review: review(), card: card() });
        expect(await store.applyReview({ review: review({ rating: 1 }), card: card({ version: 2, lapses: 1 }) })).toBe('duplicate');
        const again = await Promise.all(Array.from({ length: 4 }, () => store.applyReview({ review: review({ eventKey: 'quiz:q1:1' }), card: card({ version: 2, reps: 2 }) })));
        expect(again.filter((r) => r === 'recorded')).toHaveLength(1);
        expect(await store.learningCard(MIA, 'kafka/acks')).toEqual(card({ version: 2, reps: 2 }));
        expect((await store.learningReviews(MIA)).map((r) => r.eventKey)).toEqual(['quiz:q1:0', 'quiz:q1:1']);
      });

      it('applies a change only to the card version it was computed from; the losers of a race change nothing', async () => {
        const firsts = await Promise.all(['a', 'b', 'c'].map((k) => store.applyReview({ review: review({ eventKey: k }), card: card({ reps: k === 'a' ? 1 : 9 }) })));
        expect(firsts.filter((r) => r === 'recorded')).toHaveLength(1);
        expect(firsts.filter((r) => r === 'conflict')).toHaveLength(2);
        const winner = ['a', 'b', 'c'][firsts.indexOf('recorded')]!;
        expect((await store.learningReviews(MIA)).map((r) => r.eventKey)).toEqual([winner]);
        const stale = await store.applyReview({ review: review({ eventKey: 'late' }), card: card({ version: 5 }) });
        expect(stale).toBe('conflict');
        const seconds = await Promise.all(['d', 'e'].map((k) => store.applyReview({ review: review({ eventKey: k }), card: card({ version: 2, reps: 2 }) })));
        expect([...seconds].sort()).toEqual(['conflict', 'recorded']);
        expect((await store.learningCard(MIA, 'kafka/acks'))?.version).toBe(2);
        expect(await store.learningReviews(MIA)).toHaveLength(2);
      });

      it("lists a person's cards soonest due first, and the due ones most overdue first", async () => {
        const cards = [card({ conceptId: 'kafka/b', due: at(30) }), card({ conceptId: 'kafka/a', due: at(10) }), card({ conceptId: 'kafka/c', due: at(20) })];
        for (const c of cards) await store.applyReview({ review: review({ eventKey: c.conceptId, conceptId: c.conceptId }), card: c });
        await store.applyReview({ review: review({ userId: 'U2' }), card: card({ userId: 'U2', due: at(0) }) });
        expect((await store.learningCards(MIA)).map((c) => c.conceptId)).toEqual(['kafka/a', 'kafka/c', 'kafka/b']);
        expect((await store.dueLearningCards(MIA, at(20), 10)).map((c) => c.conceptId)).toEqual(['kafka/a', 'kafka/c']);
        expect((await store.dueLearningCards(MIA, at(60), 1)).map((c) => c.conceptId)).toEqual(['kafka/a']);
        expect(await store.dueLearningCards(MIA, at(5), 10)).toEqual([]);
        expect(await store.learningCards({ scope: 'slack:T1', userId: 'U9' })).toEqual([]);
      });

      it('keeps a practice question and takes its answer once, with the review', async () => {
        await store.addPractice(practice('p1'));
        expect(await store.getPractice('p1')).toEqual(practice('p1'));
        expect(await store.getPractice('nope')).toBeUndefined();
        const answer = (k: string, choice: number) => ({ review: review({ eventKey: k, source: 'practice' as const, address: null }), card: card(), practice: { id: 'p1', choice, answeredAt: at(1) } });
        const tries = await Promise.all([answer('practice:p1', 1), answer('practice:p1', 2), answer('other', 3)].map((c) => store.applyReview(c)));
        expect(tries.filter((r) => r === 'recorded')).toHaveLength(1);
        expect(tries.filter((r) => r === 'duplicate')).toHaveLength(2);
        const stored = (await store.getPractice('p1'))!;
        expect(stored.answeredAt).toBe(at(1));
        expect(await store.learningReviews(MIA)).toHaveLength(1);
        expect((await store.learningReviews(MIA))[0]!.eventKey).toBe(tries[2] === 'recorded' ? 'other' : 'practice:p1');
      });
    });

    describe('learner settings and reminders', () => {
      it('saves, replaces and lists the people who opted into reminders', async () => {
        await store.saveLearner(settings());
        await store.saveLearner(settings({ userId: 'U2', remindAt: null, remindAddress: null }));
        await store.saveLearner(settings({ scope: 'discord', userId: 'D1', timezone: 'UTC', remindAt: '07:00', remindAddress: 'discord:@me:9' }));
        expect(await store.getLearner(MIA)).toEqual(settings());
        expect(await store.getLearner({ scope: 'slack:T1', userId: 'U9' })).toBeUndefined();
        expect((await store.remindedLearners()).map((l) => l.userId)).toEqual(['D1', 'U1']);
        await store.saveLearner(settings({ remindAt: null, remindAddress: null, updatedAt: at(5) }));
        expect(await store.getLearner(MIA)).toEqual(settings({ remindAt: null, remindAddress: null, updatedAt: at(5) }));
        expect((await store.remindedLearners()).map((l) => l.userId)).toEqual(['D1']);
      });

      it("claims a person's reminder once per local date, whoever claims it at the same moment", async () => {
        const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimReminder(MIA, '2026-10-25', 'slack:T1:D1', 'remind:slack:T1:U1:2026-10-25', T0)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.claimReminder(MIA, '2026-10-25', 'slack:T1:D1', 'remind:slack:T1:U1:2026-10-25', at(60))).toBe(false);
        expect(await store.claimReminder(MIA, '2026-10-26', 'slack:T1:D1', 'remind:slack:T1:U1:2026-10-26', at(1440))).toBe(true);
        expect(await store.claimReminder({ scope: 'slack:T1', userId: 'U2' }, '2026-10-25', 'slack:T1:D2', 'k', T0)).toBe(true);
        const mine = await store.remindersOf(MIA);
        expect(mine.map((r) => [r.localDate, r.status, r.attempts])).toEqual([
          ['2026-10-25', 'claimed', 1],
          ['2026-10-26', 'claimed', 1],
        ]);
        expect(mine[0]).toEqual({ ...MIA, localDate: '2026-10-25', address: 'slack:T1:D1', postKey: 'remind:slack:T1:U1:2026-10-25', status: 'claimed', attempts: 1, claimedAt: T0, nextAttemptAt: null, sentAt: null, error: null });
      });

      it('records how a reminder went, finds those due for a retry or gone stale, and lets one process reclaim each', async () => {
        await store.claimReminder(MIA, '2026-10-25', 'slack:T1:D1', 'k1', at(0));
        await store.updateReminder(MIA, '2026-10-25', { status: 'retry', nextAttemptAt: at(5), error: 'rate_limited' });
        await store.updateReminder(MIA, '2026-10-25', {});
        await store.claimReminder({ scope: 'slack:T1', userId: 'U2' }, '2026-10-25', 'slack:T1:D2', 'k2', at(1));
        await store.claimReminder({ scope: 'slack:T1', userId: 'U3' }, '2026-10-25', 'slack:T1:D3', 'k3', at(1));
        await store.updateReminder({ scope: 'slack:T1', userId: 'U3' }, '2026-10-25', { status: 'sent', sentAt: at(2) });
        expect((await store.retryableReminders(at(4), at(2))).map((r) => r.userId)).toEqual(['U2']);
        const due = await store.retryableReminders(at(5), at(2));
        expect(due.map((r) => r.userId)).toEqual(['U1', 'U2']);
        const reclaims = await Promise.all(Array.from({ length: 4 }, () => store.reclaimReminder(due[0]!, at(5))));
        expect(reclaims.filter(Boolean)).toHaveLength(1);
        expect((await store.remindersOf(MIA))[0]).toMatchObject({ status: 'claimed', attempts: 2, claimedAt: at(5), nextAttemptAt: null, error: 'rate_limited' });
        expect(await store.reclaimReminder(due[0]!, at(6))).toBe(false);
        expect((await store.remindersOf({ scope: 'slack:T1', userId: 'U3' }))[0]).toMatchObject({ status: 'sent', sentAt: at(2) });
      });
    });

    describe('channel activity', () => {
      it('counts revealed answers in a channel since a time: people, answers, quizzes and each concept', async () => {
        await answered('c1', [
          { userId: 'U1', answeredAt: at(0) },
          { userId: 'U2', correct: false, choice: 0, points: 0, answeredAt: at(1) },
          { userId: 'U1', position: 1, correct: false, choice: 0, points: 0, answeredAt: at(2) },
        ]);
        await answered('c2', [{ userId: 'U3', answeredAt: at(50) }], { kind: 'daily' });
        await answered('old', [{ userId: 'U4', answeredAt: at(-100) }], { state: 'finished' });
        await answered('elsewhere', [{ userId: 'U5', answeredAt: at(0) }], { address: 'slack:T1:C2' });
        await store.createQuiz(quiz('open', { state: 'finished' }), [{ ...question('open', 0), conceptId: 'kafka/open' }]);
        await store.addAnswer(answer({ quizId: 'open', userId: 'U6', answeredAt: at(3) }));
        expect(await store.channelActivity('slack:T1:C1', at(-10))).toEqual({
          people: 3,
          answers: 4,
          correct: 2,
          quizzes: 2,
          concepts: [{ conceptId: 'kafka/acks', answers: 4, correct: 2, people: 3 }],
        });
        expect(await store.channelActivity('slack:T1:C9', at(-10))).toEqual({ people: 0, answers: 0, correct: 0, quizzes: 0, concepts: [] });
      });
    });

    describe('forgetting a person', () => {
      it('counts and deletes every row of a user id on a platform, keeping channel records without it', async () => {
        // U1 on two Slack workspaces and as Discord's U1 (another person), U2 beside them.
        await answered('f1', [{ userId: 'U1' }, { userId: 'U2' }], { startedBy: 'U1', startedByName: 'mia' });
        await answered('f2', [{ userId: 'U1' }], { address: 'slack:T2:C1', scope: 'slack:T2', startedBy: 'U7' });
        await answered('f3', [{ userId: 'U1' }], { address: 'discord:G1:C1', scope: 'discord:G1', startedBy: 'U1' });
        await store.saveSubscription(subscription('slack:T1:C1', { createdBy: 'U1' }));
        await store.saveSubscription(subscription('discord:G1:C1', { createdBy: 'U1' }));
        for (const who of [MIA, { scope: 'slack:T2', userId: 'U1' }, { scope: 'discord', userId: 'U1' }, { scope: 'slack:T1', userId: 'U2' }]) {
          await store.applyReview({ review: review(who), card: card(who) });
          await store.saveLearner(settings(who));
          await store.addPractice(practice(`p-${who.scope}-${who.userId}`, who));
          await store.claimReminder(who, '2026-03-02', 'dm', `remind:${who.scope}:${who.userId}:2026-03-02`, T0);
          await store.claimOutbox(`remind:${who.scope}:${who.userId}:2026-03-02`, 'dm', 'A', T0, at(1));
        }
        await store.claimOutbox('quiz:f1:0', 'slack:T1:C1', 'A', T0, at(1));
        // Slack installations someone made are counted on Slack only (forget.test.ts blanks one).
        const expected = { outbox: 2, learning_reminders: 2, learning_people: 2, learning_practice: 2, learning_reviews: 2, learning_cards: 2, answers: 2, quizzes: 1, daily_subscriptions: 1, slack_installations: 0 };
        expect(await store.personalData('U1', 'slack')).toEqual(expected);
        expect(await store.forgetPerson('U1', 'slack')).toEqual(expected);
        expect(Object.values(await store.personalData('U1', 'slack')).every((n) => n === 0)).toBe(true);
        expect(await store.answersOfQuiz('f1')).toEqual([answer({ quizId: 'f1', userId: 'U2' })]);
        expect(await store.answersOfQuiz('f2')).toEqual([]);
        expect(await store.getQuiz('f1')).toMatchObject({ startedBy: '', startedByName: 'someone' });
        expect((await store.getSubscription('slack:T1:C1'))?.createdBy).toBe('');
        expect(await store.getOutbox('quiz:f1:0')).toBeDefined();
        expect(await store.getOutbox('remind:slack:T1:U1:2026-03-02')).toBeUndefined();
        expect(await store.learningCards({ scope: 'slack:T1', userId: 'U2' })).toHaveLength(1);
        // The same id on Discord is someone else, untouched.
        const { slack_installations: _slackOnly, ...elsewhere } = expected;
        expect(await store.personalData('U1', 'discord')).toEqual({ ...elsewhere, answers: 1, quizzes: 1, daily_subscriptions: 1, outbox: 1, learning_reminders: 1, learning_people: 1, learning_practice: 1, learning_reviews: 1, learning_cards: 1 });
        await expect(store.personalData('U1', "slack' OR 1=1 --")).rejects.toThrow();
      });
    });

    describe('problem reports', () => {
      it('records reports and lists them newest first, since a time and up to a limit', async () => {
        const report = (minute: number, o: Partial<Report> = {}): Report => ({ conceptId: 'kafka/acks', questionKey: 'kafka/acks#0', kind: 'wrong', note: null, at: at(minute), platform: 'slack', ...o });
        await store.addReport(report(1));
        await store.addReport(report(5, { kind: 'outdated', questionKey: null, note: 'KRaft replaced ZooKeeper', platform: 'discord' }));
        await store.addReport(report(5, { conceptId: 'spark/dag', kind: 'unclear' }));
        expect(await store.reports()).toEqual([report(5, { conceptId: 'spark/dag', kind: 'unclear' }), report(5, { kind: 'outdated', questionKey: null, note: 'KRaft replaced ZooKeeper', platform: 'discord' }), report(1)]);
        expect((await store.reports(at(2))).map((r) => r.kind)).toEqual(['unclear', 'outdated']);
        expect((await store.reports(undefined, 1)).map((r) => r.kind)).toEqual(['unclear']);
        await expect(store.addReport(report(6, { kind: 'rude' as Report['kind'] }))).rejects.toThrow();
      });

      it('records one report per press key, and any number without one', async () => {
        const report: Report = { conceptId: 'kafka/acks', questionKey: null, kind: 'outdated', note: null, at: at(1), platform: 'slack' };
        expect(await store.addReport(report, 'slack:T1:C1:1.1:kafka/acks')).toBe(true);
        expect(await store.addReport({ ...report, kind: 'wrong', at: at(2) }, 'slack:T1:C1:1.1:kafka/acks')).toBe(false);
        expect(await store.addReport(report, 'slack:T1:C1:2.2:kafka/acks')).toBe(true);
        expect(await store.addReport(report)).toBe(true);
        expect(await store.addReport(report)).toBe(true);
        expect((await store.reports()).map((r) => r.kind)).toEqual(['outdated', 'outdated', 'outdated', 'outdated']);
      });
    });

    describe('outbox', () => {
      const record = (o: Partial<OutboxRecord> = {}): OutboxRecord => ({
        postKey: 'quiz:q1:0',
        address: 'slack:T1:C1',
        state: 'sending',
        owner: 'A',
        startedAt: T0,
        leaseUntil: at(1),
        attempts: 1,
        messageId: null,
        settledAt: null,
        error: null,
        ...o,
      });

      it('records a post as being sent once, whoever claims it at the same moment', async () => {
        const claims = await Promise.all(['A', 'B', 'C', 'D'].map((owner) => store.claimOutbox('quiz:q1:0', 'slack:T1:C1', owner, T0, at(1))));
        expect(claims.filter(Boolean)).toHaveLength(1);
        const owner = ['A', 'B', 'C', 'D'][claims.indexOf(true)]!;
        expect(await store.getOutbox('quiz:q1:0')).toEqual(record({ owner }));
        expect(await store.getOutbox('quiz:q1:1')).toBeUndefined();
      });

      it('lets only its owner settle it, once', async () => {
        await store.claimOutbox('quiz:q1:0', 'slack:T1:C1', 'A', T0, at(1));
        expect(await store.settleOutbox('quiz:q1:0', 'B', { state: 'sent', messageId: 'M9', settledAt: at(0.5) })).toBe(false);
        expect(await store.settleOutbox('quiz:q1:0', 'A', { state: 'sending', leaseUntil: at(2) })).toBe(true);
        expect(await store.settleOutbox('quiz:q1:0', 'A', { state: 'sent', messageId: 'M1', settledAt: at(0.5) })).toBe(true);
        expect(await store.settleOutbox('quiz:q1:0', 'A', { state: 'unknown', error: 'late', settledAt: at(0.6) })).toBe(false);
        expect(await store.getOutbox('quiz:q1:0')).toEqual(record({ state: 'sent', leaseUntil: at(2), messageId: 'M1', settledAt: at(0.5) }));
      });

      it('lets exactly one process take over a post as it saw it, keeping or restarting its window', async () => {
        await store.claimOutbox('quiz:q1:0', 'slack:T1:C1', 'A', T0, at(1));
        const seen = (await store.getOutbox('quiz:q1:0'))!;
        const takes = await Promise.all(['B', 'C', 'D'].map((owner) => store.takeOverOutbox(seen, owner, at(2), at(3), false)));
        expect(takes.filter(Boolean)).toHaveLength(1);
        const owner = ['B', 'C', 'D'][takes.indexOf(true)]!;
        expect(await store.getOutbox('quiz:q1:0')).toEqual(record({ owner, leaseUntil: at(3), attempts: 2 }));
        expect(await store.takeOverOutbox(seen, 'E', at(2), at(3), false)).toBe(false);
        expect(await store.settleOutbox('quiz:q1:0', 'A', { state: 'sent', messageId: 'M1', settledAt: at(2) })).toBe(false);
        await store.settleOutbox('quiz:q1:0', owner, { state: 'refused', error: 'ratelimited', settledAt: at(3) });
        const refused = (await store.getOutbox('quiz:q1:0'))!;
        expect(await store.takeOverOutbox(refused, 'E', at(4), at(5), true)).toBe(true);
        expect(await store.getOutbox('quiz:q1:0')).toEqual(record({ owner: 'E', startedAt: at(4), leaseUntil: at(5), attempts: 3, settledAt: at(3) }));
      });

      it("lists a channel's records oldest first", async () => {
        await store.claimOutbox('b', 'slack:T1:C1', 'A', at(2), at(3));
        await store.claimOutbox('a', 'slack:T1:C1', 'A', at(1), at(3));
        await store.claimOutbox('c', 'slack:T1:C2', 'A', at(0), at(3));
        expect((await store.outboxOf('slack:T1:C1')).map((r) => r.postKey)).toEqual(['a', 'b']);
      });
    });
  });
}
