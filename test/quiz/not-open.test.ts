import { describe, expect, it } from 'vitest';
import { createBackfill, type Backfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { plainText } from '../../src/core/reply.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { LEASE_MS } from '../../src/core/outbox.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { Process } from '../helpers/crash.js';
import { kafkaIdeas, writeKnowledge } from '../helpers/knowledge.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

const knowledge = openKnowledge(writeKnowledge(kafkaIdeas(3)));
const ADDRESS = 'test:G1:C1';
const alice = { id: 'U1', name: 'alice', isManager: false };

/** A bot process on the shared database file, posting through the shared platform stand-in. */
function bot(database: string, platform: RecordingMessenger, time: FakeTime, proc?: Process): Backfill {
  const store = new SqliteStore(database);
  const app = createBackfill({ knowledge, store: proc ? proc.store(store) : store, log: silentLogger, clock: time, timers: proc ? proc.timers : time, random: seededRandom(1), answerSeconds: 20 });
  app.attach('test', platform);
  return app;
}

const click = (app: Backfill, quizId: string, choice: number) => app.bot.handle({ kind: 'action', address: ADDRESS, user: alice, action: `quiz:${quizId}:0:${choice}` });

describe('a click on a question the platform has but the database has not opened', () => {
  it('is told the question is not open yet and counts for nothing, then counts once another process opens it', async () => {
    const time = new FakeTime();
    const database = tempDatabase();
    const platform = new RecordingMessenger();
    const dying = new Process(time);
    const a = bot(database, platform, time, dying);
    // The question reaches the platform; the process dies before the database opens it.
    dying.dieAt({ before: (call) => call.method === 'openQuestion' });
    void a.bot.handle({ kind: 'command', address: ADDRESS, user: alice, command: 'quiz', args: 'kafka 1' });
    await dying.died;
    expect(platform.to(ADDRESS)).toHaveLength(1);

    const b = bot(database, platform, time);
    const quiz = (await b.store.runningQuizzes())[0]!;
    const q = (await b.store.getQuestion(quiz.id, 0))!;
    expect(q.openedAt).toBeNull();
    const early = await click(b, quiz.id, q.correct);
    expect(plainText(early)).toBe('This question is not open yet — try again in a few seconds.');
    expect(early.ephemeral).toBe(true);
    expect(await b.store.answersOfQuiz(quiz.id)).toEqual([]);

    // Once the dead sender's lease has run out, the next process settles the post (found, not sent
    // again) and opens the question; the same click now counts.
    await time.advance(LEASE_MS + 1000);
    await b.resume();
    expect(platform.to(ADDRESS)).toHaveLength(1);
    expect((await b.store.getQuestion(quiz.id, 0))!.openedAt).not.toBeNull();
    expect(plainText(await click(b, quiz.id, q.correct))).toMatch(/^Locked in/);
    expect((await b.store.answersOfQuiz(quiz.id)).map((x) => x.userId)).toEqual([alice.id]);
    await b.close();
  });
});
