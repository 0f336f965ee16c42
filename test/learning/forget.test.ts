import { afterAll, describe, expect, it } from 'vitest';
import { createBackfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { Outbox } from '../../src/core/outbox.js';
import { seededRandom } from '../../src/core/random.js';
import { plainText } from '../../src/core/reply.js';
import { learnerOf } from '../../src/learning/learner.js';
import { forgetPrompt } from '../../src/learning/messages.js';
import type { ReminderSender } from '../../src/learning/service.js';
import { answerAction } from '../../src/quiz/messages.js';
import { consoleChat } from '../helpers/console.js';
import { FakeTime } from '../helpers/time.js';
import { DATABASES, dropSchemas, knowledge } from './fixtures.js';

afterAll(dropSchemas);

/** A name no fixture text holds, so any row that mentions it is this person's. */
const NAME = 'fayzelle';
const FAY = { id: `console:${NAME}`, name: NAME, isManager: true };
const BOB = { id: 'console:bob', name: 'bob', isManager: false };

for (const { name, fresh } of DATABASES) {
  describe(`${name}: forgetting a person`, () => {
    it('removes every row that holds their id or name, in every table, and leaves everyone else’s', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T09:00:00Z');
      const store = await db.open();
      const app = createBackfill({ knowledge, store, log: silentLogger, clock: time, timers: time, random: seededRandom(3), answerSeconds: 20 });
      try {
        const chat = consoleChat(app);
        // The quiz engine directly (not the commands, which are being redeclared elsewhere).
        const act = (user: typeof FAY, quizId: string, position: number, choice: number) =>
          app.quizzes.answer({ kind: 'action', address: 'console:local', user, action: answerAction(quizId, position, choice) }, `${quizId}:${position}:${choice}`);

        // Fay starts a channel quiz that she and Bob play, and subscribes the channel to daily posts.
        const quiz = (await app.quizzes.start({ address: 'console:local', user: FAY, topics: ['kafka'], count: 2, kind: 'quiz', windowSeconds: 20 })).quiz!;
        for (let position = 0; position < 2; position++) {
          const q = (await store.getQuestion(quiz.id, position))!;
          expect((await act(FAY, quiz.id, position, q.correct)).blocks[0]).toMatchObject({ text: expect.stringContaining('Locked in') });
          await act(BOB, quiz.id, position, (q.correct + 1) % 4);
          await time.advance(20_000);
        }
        await store.saveSubscription({ address: 'console:local', kinds: ['concept'], time: '09:00', timezone: 'UTC', topics: [], weekdays: [], state: 'active', pausedReason: null, createdBy: FAY.id, createdAt: time.now().toISOString() });

        // She practises, presses card buttons, opts into reminders and gets one through the outbox.
        const fay = learnerOf('console:local', FAY.id);
        const bob = learnerOf('console:local', BOB.id);
        await app.learning.knewIt(fay, 'spark/c1', 'M1');
        await app.learning.showAgain(fay, 'spark/c2', 'M2');
        await app.learning.showAgain(bob, 'spark/c2', 'M2');
        await time.advance(86_400_000);
        const practice = (await app.learning.nextPractice(fay))!;
        await app.learning.answerPractice(fay, practice.id, 0);
        await app.learning.practiceQuestion(fay, 'kafka/c3');
        await app.learning.setReminder(fay, { time: '08:00', timezone: 'UTC', address: 'console:local' });
        const outbox = new Outbox({ store, messenger: app.messengers, clock: time, timers: time, log: silentLogger });
        const sender: ReminderSender = { deliver: async (r) => (await outbox.deliver(r.postKey, r.address, { title: 'Time to review', blocks: [{ type: 'text', text: `${r.dueCount} due` }] })).state === 'sent' ? 'sent' : 'unknown' };
        await time.advanceTo('2026-03-05T10:00:00Z');
        expect(await app.learning.sweepReminders(sender)).toBe(1);
        await app.learning.report({ conceptId: 'kafka/c1', questionKey: 'kafka/c1#0', kind: 'unclear', note: 'the options overlap', platform: 'console' });
        chat.read();

        const before = await db.find(NAME);
        for (const table of ['answers', 'quizzes', 'daily_subscriptions', 'learning_cards', 'learning_reviews', 'learning_practice', 'learning_people', 'learning_reminders', 'outbox']) {
          expect(Object.keys(before).some((k) => k.startsWith(`${table}.`)), `${table} holds a row of hers before`).toBe(true);
        }
        const kept = await app.learning.personalData(fay);
        expect(kept).toMatchObject({ answers: 2, quizzes: 1, daily_subscriptions: 1, learning_cards: 4, learning_reviews: 5, learning_practice: 2, learning_people: 1, learning_reminders: 1, outbox: 1 });
        const bobBefore = await db.find(BOB.id);

        expect(await app.learning.forget(fay)).toEqual(kept);

        // Not a row anywhere, in any column of any table, names her any more.
        expect(await db.find(NAME)).toEqual({});
        expect(Object.values(await app.learning.personalData(fay)).every((n) => n === 0)).toBe(true);
        // Everyone else's rows are as they were; the quiz and the subscription stay, without her.
        expect(await db.find(BOB.id)).toEqual(bobBefore);
        expect(await store.getQuiz(quiz.id)).toMatchObject({ startedBy: '', startedByName: 'someone' });
        expect((await store.answersOfQuiz(quiz.id)).map((a) => a.userId)).toEqual([BOB.id, BOB.id]);
        expect(await store.getSubscription('console:local')).toMatchObject({ createdBy: '' });
        expect(await app.learning.reports()).toHaveLength(1);
        // What the leaderboard and progress show of her: nothing. Bob, who played that quiz with her,
        // keeps his place, also as another process on the same database reads it.
        expect((await store.scores({ address: 'console:local' })).map((r) => r.userId)).toEqual([BOB.id]);
        const other = await db.open();
        try {
          expect((await other.scores({ address: 'console:local' })).map((r) => r.userId)).toEqual([BOB.id]);
        } finally {
          await other.close();
        }
        expect((await app.learning.progress(fay)).overall).toMatchObject({ seen: 0, answers: 0 });
        expect((await app.learning.progress(bob)).overall).toMatchObject({ seen: 3, answers: 2 });
      } finally {
        await app.close();
      }
    });

    it('on Slack, blanks who installed the app and their user token, and keeps the workspace’s bot token', async () => {
      const store = await fresh().open();
      try {
        const at = '2026-03-02T09:00:00.000Z';
        const installation = (teamId: string, userId: string, userToken: string | null) => ({
          installKey: teamId, teamId, teamName: `Team ${teamId}`, enterpriseId: null, enterpriseName: null, enterpriseUrl: null, isEnterpriseInstall: false, appId: 'A1',
          botToken: `xoxb-${teamId}`, botId: `B${teamId}`, botUserId: `U${teamId}BOT`, botScopes: ['commands'], botRefreshToken: null, botExpiresAt: null,
          userId, userToken, userScopes: userToken ? ['identify'] : [], userRefreshToken: userToken ? `xoxe-${userId}` : null, userExpiresAt: userToken ? 1_900_000_000 : null,
          installedAt: at, updatedAt: at,
        });
        await store.saveSlackInstallation(installation('T1', 'UFAY', 'xoxp-fay'));
        await store.saveSlackInstallation(installation('T2', 'UBOB', 'xoxp-bob'));
        // A Discord person of the same id is someone else: nothing of Slack's is theirs.
        expect(await store.personalData('UFAY', 'discord')).not.toHaveProperty('slack_installations');
        const data = await store.personalData('UFAY', 'slack');
        expect(data).toMatchObject({ slack_installations: 1 });
        expect(plainText(forgetPrompt(data, 'Slack', 'forget:x'))).toContain('1 × Backfill installs you made (kept for the workspace with its bot token, so Backfill stays installed; your id and any token of yours removed)');

        expect(await store.forgetPerson('UFAY', 'slack')).toMatchObject({ slack_installations: 1 });

        expect(await store.slackInstallation('T1')).toMatchObject({ botToken: 'xoxb-T1', userId: '', userToken: null, userScopes: [], userRefreshToken: null, userExpiresAt: null });
        expect(await store.slackInstallation('T2')).toEqual(installation('T2', 'UBOB', 'xoxp-bob'));
        expect(await store.personalData('UFAY', 'slack')).toMatchObject({ slack_installations: 0 });
      } finally {
        await store.close();
      }
    });
  });
}
