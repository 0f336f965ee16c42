import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackfill } from '../../src/app.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { silentLogger } from '../../src/core/log.js';
import type { User } from '../../src/core/incoming.js';
import { plainText } from '../../src/core/reply.js';
import { dueDate } from '../../src/daily/clock.js';
import { nextConcept } from '../../src/daily/concepts.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { testApp } from '../helpers/app.js';
import { Process } from '../helpers/crash.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

const concept = (id: string, prerequisites: string[] = []): ConceptFixture => ({
  id,
  title: `Title of ${id}`,
  summary: `What ${id} is about, in one sentence for the card.`,
  prerequisites,
  quiz: [{ question: `A question about ${id}?`, answer: `answer ${id}`, wrong: [`no ${id} 1`, `no ${id} 2`, `no ${id} 3`], why: 'Because.' }],
});
const dir = writeKnowledge([concept('kafka/a'), concept('kafka/b', ['kafka/a']), concept('kafka/c', ['kafka/b']), concept('kafka/d'), concept('spark/x'), concept('spark/y'), concept('spark/z'), concept('spark/w')]);
const kb = loadKnowledge(dir);

const manager: User = { id: 'U1', name: 'mia', isManager: true };
const member: User = { id: 'U2', name: 'max', isManager: false };

const apps: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

function setup(time = new FakeTime('2026-06-01T06:00:00Z'), database?: string) {
  const t = testApp(dir, { time, database });
  const messenger = new RecordingMessenger();
  t.app.messengers.register('test', messenger);
  apps.push(t.app);
  const say = async (text: string, user = manager, address = 'test:T1:C1') => plainText(await t.app.bot.handleText(address, user, text));
  return { ...t, messenger, say };
}

describe('/daily subscribe reads its arguments', () => {
  const status = async (say: (t: string) => Promise<string>) => (await say('/daily status')).split('\n').find((l) => l.startsWith('What:')) ?? '';

  it('has defaults: both kinds, 09:00, the default zone, all topics, every day', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe')).toContain('Subscribed: this channel gets a concept and a quiz question at 09:00 (UTC), every day, from all topics.');
  });

  it('reads every argument in any order', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe mon-fri kafka quiz 7:30 America/New_York')).toContain('a quiz question at 07:30 (America/New_York), Monday to Friday, from Apache Kafka');
    expect(await say('/daily subscribe concept weekends spark')).toContain('a concept at 07:30 (America/New_York), weekends, from Apache Spark');
    expect(await say('/daily subscribe fri-mon')).toContain('Friday to Monday');
  });

  it('says when the concepts of the day would come round again within a week', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe concept kafka')).toContain('Apache Kafka holds 4 concepts: each comes back every 4 days it posts. Add topics for more');
    // Quiz questions only: nothing to say of the cards.
    expect(await say('/daily subscribe quiz')).not.toContain('holds');
    expect(await say('/daily subscribe both kafka spark')).not.toContain('holds');
  });

  it('names the problem in bad input', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe 25:00')).toContain('“25:00” is not a time of day');
    expect(await say('/daily subscribe Mars/Olympus')).toContain('“Mars/Olympus” is not a time zone I know');
    expect(await say('/daily subscribe flink')).toContain('I don\'t know “flink”');
    expect(await status(say)).toBe('');
  });
});

describe('due dates', () => {
  const at = (time: string, timezone: string, weekdays: number[] = []) => ({ time, timezone, weekdays });

  it('is due from the local time until local midnight, on chosen days', () => {
    expect(dueDate(at('09:00', 'Europe/Berlin'), new Date('2026-06-01T06:59:00Z'))).toBeUndefined();
    expect(dueDate(at('09:00', 'Europe/Berlin'), new Date('2026-06-01T07:00:00Z'))).toBe('2026-06-01');
    expect(dueDate(at('09:00', 'Europe/Berlin'), new Date('2026-06-01T21:59:00Z'))).toBe('2026-06-01');
    expect(dueDate(at('09:00', 'Europe/Berlin'), new Date('2026-06-01T22:00:00Z'))).toBeUndefined();
    // 2026-06-06 is a Saturday.
    expect(dueDate(at('09:00', 'UTC', [1, 2, 3, 4, 5]), new Date('2026-06-06T10:00:00Z'))).toBeUndefined();
  });

  it('handles a time that the spring-forward jump skips, and the repeated autumn hour', () => {
    // Berlin skips 02:00-03:00 on 2026-03-29: 02:30 is due as soon as the clock reads 03:00.
    expect(dueDate(at('02:30', 'Europe/Berlin'), new Date('2026-03-29T00:59:00Z'))).toBeUndefined();
    expect(dueDate(at('02:30', 'Europe/Berlin'), new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29');
    // 02:30 happens twice on 2026-10-25; both are the same local date, claimed once.
    expect(dueDate(at('02:30', 'Europe/Berlin'), new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25');
    expect(dueDate(at('02:30', 'Europe/Berlin'), new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25');
  });
});

describe('concept of the day order', () => {
  it('never repeats before every concept of the topics was posted, and teaches prerequisites first', () => {
    let r = 0;
    const random = () => ((r = (r * 9301 + 49297) % 233280) / 233280);
    const history: string[] = [];
    for (let i = 0; i < 8; i++) history.push(nextConcept(kb, ['kafka'], history, random)!.id);
    expect(new Set(history.slice(0, 4)).size).toBe(4);
    expect(new Set(history.slice(4, 8)).size).toBe(4);
    for (const round of [history.slice(0, 4), history.slice(4, 8)]) {
      expect(round.indexOf('kafka/a')).toBeLessThan(round.indexOf('kafka/b'));
      expect(round.indexOf('kafka/b')).toBeLessThan(round.indexOf('kafka/c'));
    }
  });
});

describe('daily command and scheduler', () => {
  it('lets managers subscribe and anyone see the status; others are refused', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe kafka 09:00 Europe/Berlin', member)).toContain('Only channel managers can change daily posts');
    expect(await say('/daily status', member)).toContain('This channel has no daily posts');
    expect(await say('/daily subscribe kafka 09:00 Europe/Berlin')).toContain('Subscribed: this channel gets a concept and a quiz question at 09:00 (Europe/Berlin), every day, from Apache Kafka');
    const status = await say('/daily status', member);
    expect(status).toContain('State: Active');
    expect(status).toContain('Next post: today at 09:00 (Europe/Berlin)');
    expect(await say('/daily subscribe 9pm')).toContain('at 21:00 (Europe/Berlin)');
    expect(await say('/daily frobnicate')).toContain('“frobnicate” is not something `/daily` does');
  });

  it('posts at the local time, once, and the quiz of the day reveals later and scores', async () => {
    const { app, time, messenger, say } = setup();
    await say('/daily subscribe kafka 09:00 Europe/Berlin');
    await time.advanceTo('2026-06-01T06:59:00Z');
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(0);
    await time.advanceTo('2026-06-01T07:00:00Z');
    await app.daily.sweep();
    await app.daily.run('test:T1:C1');
    await app.daily.sweep();
    const sent = messenger.to('test:T1:C1');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('Concept of the day');
    expect(sent[1]).toContain('Quiz of the day · Apache Kafka');
    const quiz = (await app.store.latestQuiz('test:T1:C1', 'daily'))!;
    const q = (await app.store.getQuestion(quiz.id, 0))!;
    expect((await app.bot.handle({ kind: 'action', address: 'test:T1:C1', user: member, action: `quiz:${quiz.id}:0:${q.correct}` })).blocks[0]).toMatchObject({ text: expect.stringContaining('Locked in') });
    // Posts stopped while the quiz is open: it runs on to its reveal, and both replies say so.
    await time.advance(60 * 60_000);
    expect(await say('/daily unsubscribe')).toBe("Unsubscribed: no more daily posts here. Today's quiz, already posted, still takes answers: its answer is revealed in 3 hours.");
    expect(await say('/daily status', member)).toContain("This channel has no daily posts. Today's quiz, already posted, still takes answers: its answer is revealed in 3 hours.");
    await time.advance(180 * 60_000);
    expect(messenger.updated.at(-1)?.text).toContain('Got it right: max');
    expect(await say('/daily status', member)).not.toContain("Today's quiz");
    expect(await say('/leaderboard')).toContain('1. **max**: ');
    // A channel quiz may run while the daily question is open (a new day's question).
    expect(await say('/quiz kafka 1')).toContain('Started a 1-question quiz');
  });

  it('never quizzes a channel on the concept it was shown that day', async () => {
    const { app, time, say } = setup();
    await say('/daily subscribe kafka 09:00 UTC');
    for (let day = 1; day <= 12; day++) {
      const date = `2026-06-${String(day).padStart(2, '0')}`;
      await time.advanceTo(`${date}T09:00:00Z`);
      await app.daily.sweep();
      const concept = (await app.store.postsOf('test:T1:C1', 'concept')).find((p) => p.localDate === date);
      const quiz = (await app.store.latestQuiz('test:T1:C1', 'daily'))!;
      const question = (await app.store.getQuestion(quiz.id, 0))!;
      expect(concept?.conceptId, date).toBeTruthy();
      expect(question.conceptId, date).not.toBe(concept?.conceptId);
      await time.advance(240 * 60_000);
    }
  });

  it('never posts twice with two schedulers on one database', async () => {
    const time = new FakeTime('2026-06-01T06:00:00Z');
    const one = setup(time);
    const two = setup(time, one.database);
    await one.say('/daily subscribe both 08:00 UTC');
    await time.advanceTo('2026-06-01T08:00:00Z');
    await Promise.all([one.app.daily.sweep(), two.app.daily.sweep(), one.app.daily.run('test:T1:C1'), two.app.daily.run('test:T1:C1')]);
    expect(one.messenger.sent.length + two.messenger.sent.length).toBe(2);
    expect((await one.app.store.postsOf('test:T1:C1')).map((p) => [p.kind, p.status])).toEqual([
      ['concept', 'posted'],
      ['quiz', 'posted'],
    ]);
  });

  it('catches up a post missed while the bot was down, the same local day only', async () => {
    const time = new FakeTime('2026-06-01T06:00:00Z');
    const first = setup(time);
    await first.say('/daily subscribe concept 09:00 America/New_York');
    await first.app.close();
    apps.pop();
    // Down from 06:00Z; back at 18:00Z = 14:00 in New York the same day.
    await time.advanceTo('2026-06-01T18:00:00Z');
    const second = setup(time, first.database);
    await second.app.resume();
    expect(second.messenger.to('test:T1:C1')).toHaveLength(1);
    await second.app.close();
    apps.pop();
    // Down again for two days, back at 08:00 New York time: the missed days are gone, today is not due yet.
    await time.advanceTo('2026-06-03T12:00:00Z');
    const third = setup(time, first.database);
    await third.app.resume();
    expect(third.messenger.sent).toHaveLength(0);
  });

  it('posts exactly once a day across both daylight-saving changes', async () => {
    for (const [from, to] of [
      ['2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z'],
      ['2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z'],
    ] as const) {
      const time = new FakeTime(from);
      const { app, messenger, say } = setup(time);
      await say('/daily subscribe concept 02:30 Europe/Berlin');
      while (time.now() < new Date(to)) {
        await app.daily.sweep();
        await time.advance(10 * 60_000);
      }
      const days = (await app.store.postsOf('test:T1:C1')).map((p) => p.localDate);
      expect(days, from).toEqual(from.startsWith('2026-03') ? ['2026-03-28', '2026-03-29', '2026-03-30'] : ['2026-10-24', '2026-10-25', '2026-10-26']);
      expect(messenger.sent).toHaveLength(3);
    }
  });

  it('pauses a channel it can no longer post to, with the reason, and the others go on', async () => {
    const { app, time, messenger, say } = setup();
    await say('/daily subscribe concept 08:00 UTC', manager, 'test:T1:gone');
    await say('/daily subscribe concept 08:00 UTC', manager, 'test:T1:ok');
    messenger.failures.set('test:T1:gone', { error: new DeliveryError('channel not found', 'channel_not_found', true), times: Infinity });
    await time.advanceTo('2026-06-01T08:00:00Z');
    await app.daily.sweep();
    expect(messenger.to('test:T1:ok')).toHaveLength(1);
    const status = await say('/daily status', member, 'test:T1:gone');
    expect(status).toContain('Paused. I could not post here (channel_not_found) on 2026-06-01');
    expect(status).toContain('2026-06-01 concept: failed, channel_not_found');
    expect((await app.store.getSubscription('test:T1:gone'))?.state).toBe('paused');
  });

  it('retries a transient failure with backoff within the day', async () => {
    const { app, time, messenger, say } = setup();
    await say('/daily subscribe concept 08:00 UTC');
    messenger.failures.set('test:T1:C1', { error: new DeliveryError('rate limited', 'ratelimited', false), times: 2 });
    await time.advanceTo('2026-06-01T08:00:00Z');
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(0);
    await time.advance(60_000);
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(0);
    await time.advance(4 * 60_000);
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(0);
    await time.advance(60_000);
    await app.daily.sweep();
    expect(messenger.to('test:T1:C1')).toHaveLength(1);
    expect((await app.store.postsOf('test:T1:C1'))[0]).toMatchObject({ status: 'posted', attempts: 3 });
  });

  it('keeps when each subscription is next due, in UTC, from its local time, days and zone', async () => {
    // 2026-06-05 is a Friday; 03:00Z is 12:00 in Tokyo, so today's 09:15 there has passed.
    const { app, time, messenger, say } = setup(new FakeTime('2026-06-05T03:00:00Z'));
    await say('/daily subscribe quiz 09:15 Asia/Tokyo mon-fri');
    // Subscribed after today's time: due at once (today's 09:15 in Tokyo), as a post missed is caught up.
    expect(await app.store.nextDue('test:T1:C1')).toBe('2026-06-05T00:15:00.000Z');
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(1);
    // Then Monday 09:15 in Tokyo, over the weekend.
    expect(await app.store.nextDue('test:T1:C1')).toBe('2026-06-08T00:15:00.000Z');
    expect(await app.store.dueSubscriptions(time.now().toISOString(), 10)).toEqual([]);
    await time.advanceTo('2026-06-08T00:14:00Z');
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(1);
    await time.advanceTo('2026-06-08T00:15:00Z');
    expect(await app.store.dueSubscriptions(time.now().toISOString(), 10)).toEqual([{ address: 'test:T1:C1', nextDueAt: '2026-06-08T00:15:00.000Z' }]);
    await app.daily.sweep();
    expect(messenger.sent).toHaveLength(2);
    // Resuming posts that run says so, and changes nothing.
    expect(await say('/daily resume')).toMatch(/^Not paused: .*Next post: /s);
    expect(await app.store.nextDue('test:T1:C1')).toBe('2026-06-09T00:15:00.000Z');
    await say('/daily pause');
    expect(await app.store.dueSubscriptions('2027-01-01T00:00:00.000Z', 10)).toEqual([]);
    // Pausing again says so and keeps who paused first.
    const again = await say('/daily pause');
    expect(again).toContain('Already paused.');
    expect(again).toMatch(/Paused by \S+\./);
    // The status says who paused it once ("Paused by ...", not "Paused. Paused by ...").
    expect(await say('/daily status')).toMatch(/State: Paused by \S+\./);
    await say('/daily unsubscribe');
    expect(await app.store.nextDue('test:T1:C1')).toBeUndefined();
    expect(await say('/daily status')).toContain('no daily posts');
  });

  it('records a post the platform had as posted after a restart past midnight, without sending it again', async () => {
    const time = new FakeTime('2026-06-01T23:58:00Z');
    const first = setup(time);
    await first.say('/daily subscribe concept 23:59 UTC');
    // Replace the first process by one that dies right after the outbox recorded the post as sent.
    await first.app.close();
    apps.pop();
    const proc = new Process(time);
    const dying = testApp(dir, { time, database: first.database });
    const store = proc.store(dying.app.store);
    const app = createBackfill({ knowledge: dying.app.knowledge, store, log: silentLogger, clock: time, timers: proc.timers, random: () => 0.5 });
    const messenger = new RecordingMessenger();
    app.messengers.register('test', messenger);
    proc.dieAt({ after: (c) => c.method === 'settleOutbox' && (c.args[2] as { state: string }).state === 'sent' && c.result === true });
    await time.advanceTo('2026-06-01T23:59:30Z');
    await Promise.race([app.daily.sweep(), proc.died]);
    expect(messenger.sent).toHaveLength(1);
    expect((await dying.app.store.postsOf('test:T1:C1'))[0]).toMatchObject({ status: 'claimed' });
    await dying.app.store.close();
    await time.advanceTo('2026-06-02T00:02:00Z');
    const second = setup(time, first.database);
    await second.app.resume();
    expect(second.messenger.sent).toHaveLength(0);
    expect(await second.say('/daily status')).toMatch(/2026-06-01 concept: posted \((kafka|spark)\//);
  });
});

describe('/daily subscribe edits, and status speaks the channel’s zone', () => {
  it('names a fixed offset as it was typed, not as the POSIX zone it is stored as', async () => {
    const { say } = setup();
    const subscribed = await say('/daily subscribe quiz 09:30 UTC+2');
    expect(subscribed).toContain('at 09:30 (UTC+2)');
    expect(subscribed).not.toContain('GMT-2');
    expect(await say('/daily status')).toContain('(UTC+2)');
  });

  it('changes only what is given and keeps the rest', async () => {
    const { say } = setup();
    await say('/daily subscribe both 09:30 Europe/Berlin kafka spark mon-fri');
    expect(await say('/daily subscribe kafka')).toContain('Updated: this channel gets a concept and a quiz question at 09:30 (Europe/Berlin), Monday to Friday, from Apache Kafka.');
    expect(await say('/daily subscribe quiz')).toContain('Updated: this channel gets a quiz question at 09:30 (Europe/Berlin), Monday to Friday, from Apache Kafka.');
    expect(await say('/daily subscribe 07:15 fri-mon')).toContain('a quiz question at 07:15 (Europe/Berlin), Friday to Monday, from Apache Kafka.');
    expect(await say('/daily subscribe all daily')).toContain('a quiz question at 07:15 (Europe/Berlin), every day, from all topics.');
    expect(await say('/daily subscribe')).toContain('Nothing to change');
  });

  it('refuses a word it cannot read by name, and changes nothing', async () => {
    const { say } = setup();
    await say('/daily subscribe concept 10:00 UTC');
    const refused = await say('/daily subscribe concept mongodb');
    expect(refused).toContain('I don\'t know “mongodb”');
    expect(await say('/daily status')).toContain('What: a concept at 10:00 (UTC), every day, from all topics');
  });

  it('takes the zones the runtime knows, and suggests one for a city', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe 08:00 CET')).toMatch(/at 08:00 \(Europe\/\w+\).*\(“CET” is Europe\/\w+ here\.\)/);
    expect(await say('/daily subscribe PST')).toMatch(/\(America\/Los_Angeles\)/);
    expect(await say('/daily subscribe GMT')).toContain('(UTC)');
    expect(await say('/daily subscribe berlin')).toContain('did you mean “Europe/Berlin”?');
  });

  it('gives the next post in the channel’s zone and on its day, not "within a minute" on a day without posts', async () => {
    // 2026-06-01 is a Monday; 06:00Z is 08:00 in Berlin and 15:00 in Tokyo.
    const { say, app } = setup(new FakeTime('2026-06-01T06:00:00Z'));
    expect(await say('/daily subscribe 09:00 Europe/Berlin sat')).toContain('Next post: Sat 6 Jun, at 09:00 (Europe/Berlin).');
    expect(await say('/daily subscribe sun-mon')).toContain('Next post: today at 09:00 (Europe/Berlin).');
    expect(await say('/daily subscribe concept 07:00 Asia/Tokyo daily')).toContain("Next post: today's, within a minute: 07:00 (Asia/Tokyo) has passed and today's has not been posted.");
    await app.daily.sweep();
    expect(await say('/daily status')).toContain('Next post: tomorrow, Tue 2 Jun, at 07:00 (Asia/Tokyo)');
  });

  it('counts "today" in the channel’s zone, where the date may differ from UTC', async () => {
    // 23:30Z on Monday is 08:30 on Tuesday in Tokyo.
    const { say } = setup(new FakeTime('2026-06-01T23:30:00Z'));
    expect(await say('/daily subscribe 09:00 Asia/Tokyo tue')).toContain('Next post: today at 09:00 (Asia/Tokyo).');
    expect(await say('/daily status')).toContain('What: a concept and a quiz question at 09:00 (Asia/Tokyo), Tuesday, from all topics');
  });
});

describe('the every-minute schedule (node-cron)', () => {
  const sweeps = () => [...cron.getTasks().values()].filter((t) => t.name === 'daily-sweep').length;

  it('is set up a moment after the start, once, and gone after a stop', async () => {
    const { app } = setup();
    await app.daily.start();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(sweeps()).toBe(1);
    await app.daily.stop();
    expect(sweeps()).toBe(0);
  });

  it('is never set up when the bot stops right after starting', async () => {
    const { app } = setup();
    await app.daily.start();
    await app.daily.stop();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(sweeps()).toBe(0);
  });
});

describe('stopping the daily schedule', () => {
  it('lets a sweep under way finish the posts it began, begins none after, and resolves only then', async () => {
    const { app, time, messenger, say } = setup();
    await say('/daily subscribe both 08:00 UTC', manager, 'test:T1:C1');
    await say('/daily subscribe both 08:00 UTC', manager, 'test:T1:C2');
    await time.advanceTo('2026-06-01T08:00:00Z');
    // Each channel's concept goes out first, then its quiz: the platform holds both concepts.
    const platform = messenger.hold();
    const starting = app.daily.start();
    await platform.held(2);
    let stopped = false;
    const stopping = app.daily.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    platform.release();
    await stopping;
    await starting;
    // The two posts under way went out and are recorded; the quizzes after them were not begun.
    expect(messenger.sent.map((s) => [s.address, s.key])).toEqual([
      ['test:T1:C1', 'daily:concept:2026-06-01:test:T1:C1'],
      ['test:T1:C2', 'daily:concept:2026-06-01:test:T1:C2'],
    ]);
    const state = async () => [...(await app.store.postsOf('test:T1:C1')), ...(await app.store.postsOf('test:T1:C2'))].map((p) => [p.address, p.kind, p.status]);
    const after = await state();
    expect(after).toEqual([
      ['test:T1:C1', 'concept', 'posted'],
      ['test:T1:C1', 'quiz', 'claimed'],
      ['test:T1:C2', 'concept', 'posted'],
      ['test:T1:C2', 'quiz', 'claimed'],
    ]);
    // Nothing more is written after the stop resolved.
    await new Promise((r) => setTimeout(r, 50));
    expect(await state()).toEqual(after);
    expect(messenger.sent).toHaveLength(2);
  });
});
