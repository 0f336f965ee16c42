import { describe, expect, it } from 'vitest';
import { createBackfill, type Backfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { TAKEOVER_GRACE_MS } from '../../src/quiz/engine.js';
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
  const app = createBackfill({ knowledge, store: proc ? proc.store(store) : store, log: silentLogger, clock: time, timers: proc ? proc.timers : time, sweepTimers: proc ? proc.timers : time, random: seededRandom(1), answerSeconds: 20 });
  app.attach('test', platform);
  return app;
}

/** Process a (about to die) and process b (running, resumed) on one database file and one platform. */
async function twoBots() {
  const time = new FakeTime();
  const database = tempDatabase();
  const platform = new RecordingMessenger();
  const dying = new Process(time);
  const a = bot(database, platform, time, dying);
  const b = bot(database, platform, time);
  await b.resume();
  return { time, database, platform, dying, a, b };
}

describe('a quiz whose process died while another process runs on', () => {
  it('is taken over once its step is overdue: the question closes, is revealed and the next one posted, once', async () => {
    const { time, database, platform, dying, a, b } = await twoBots();
    const started = await a.bot.handle({ kind: 'command', address: ADDRESS, user: alice, command: 'quiz', args: 'kafka 2' });
    expect(started).toBeDefined();
    const quiz = (await b.store.runningQuizzes())[0]!;
    const first = (await b.store.getQuestion(quiz.id, 0))!;
    expect(first.openedAt).not.toBeNull();
    dying.kill();

    // Before the deadline, and within the grace after it, b leaves the quiz to a.
    await time.advance(20_000 + TAKEOVER_GRACE_MS - 2000);
    expect(await b.quizzes.takeOver()).toBe(0);
    expect((await b.store.getQuestion(quiz.id, 0))!.closedAt).toBeNull();

    // b's own sweep (every ten seconds) finds it overdue: closes, reveals, posts question 2.
    await time.advance(10_000);
    const closed = (await b.store.getQuestion(quiz.id, 0))!;
    expect(closed.closedAt).not.toBeNull();
    expect(platform.updated.some((u) => u.message.messageId === first.messageId && /right 1|Because/.test(u.text))).toBe(true);
    const second = (await b.store.getQuestion(quiz.id, 1))!;
    expect(second.openedAt).not.toBeNull();
    const posts = platform.to(ADDRESS).length;
    expect(posts).toBe(2);

    // A third process starting now sweeps too: nothing is posted twice, and b finishes the quiz.
    const c = bot(database, platform, time);
    await c.resume();
    expect(await c.quizzes.takeOver()).toBe(0);
    await time.advance(20_000 + 1000);
    expect((await b.store.getQuiz(quiz.id))!.state).toBe('finished');
    // Question 1, question 2, the standings: each once.
    expect(platform.to(ADDRESS)).toHaveLength(3);
    await b.close();
    await c.close();
  });
});

describe('stopping the takeover sweep', () => {
  it('lets the quiz it is taking over finish its step, takes over no other, and resolves only then', async () => {
    const { time, database, platform, dying, a, b } = await twoBots();
    for (const address of [ADDRESS, 'test:G1:C2']) await a.bot.handle({ kind: 'command', address, user: alice, command: 'quiz', args: 'kafka 2' });
    const [first, second] = await b.store.runningQuizzes();
    dying.kill();

    // b's sweep finds both overdue; the platform holds question 2 of the first it takes over.
    const held = platform.hold();
    const sweeping = time.advance(20_000 + TAKEOVER_GRACE_MS + 10_000);
    await held.held(1);
    let stopped = false;
    const stopping = b.quizzes.shutdown().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    await sweeping;
    const taken = (await b.store.getQuestion(first!.id, 0))!.closedAt ? first! : second!;
    const left = taken === first ? second! : first!;
    expect((await b.store.getQuestion(taken.id, 1))!.openedAt).not.toBeNull();
    // The other quiz was not touched, and nothing more happens: not even question 2's close, armed during the stop.
    expect((await b.store.getQuestion(left.id, 0))!.closedAt).toBeNull();
    await time.advance(60_000);
    expect((await b.store.getQuestion(left.id, 0))!.closedAt).toBeNull();
    expect((await b.store.getQuestion(taken.id, 1))!.closedAt).toBeNull();
    expect(platform.to(taken.address)).toHaveLength(2);
    expect(platform.to(left.address)).toHaveLength(1);
    await b.close();
  });
});
