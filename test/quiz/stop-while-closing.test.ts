import { describe, expect, it } from 'vitest';
import { createBackfill } from '../../src/app.js';
import { createLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { kafkaIdeas, writeKnowledge } from '../helpers/knowledge.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

const knowledge = openKnowledge(writeKnowledge(kafkaIdeas(3)));
const ADDRESS = 'test:G1:C1';
const alice = { id: 'U1', name: 'alice', isManager: false };

describe('closing the app while a question-close timer is at work', () => {
  it('waits for it: its writes land before the database closes, and no timer is left armed', async () => {
    const time = new FakeTime();
    const database = tempDatabase();
    const platform = new RecordingMessenger();
    const lines: string[] = [];
    const app = createBackfill({ knowledge, store: new SqliteStore(database), log: createLogger('warn', (l) => lines.push(l)), clock: time, timers: time, random: seededRandom(1), answerSeconds: 20 });
    app.attach('test', platform);
    await app.bot.handle({ kind: 'command', address: ADDRESS, user: alice, command: 'quiz', args: 'kafka 2' });
    const gate = platform.hold();
    // The deadline passes: the timer closes question 1, reveals it and posts question 2, which waits.
    const firing = time.advance(20_000);
    await gate.held(1);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    gate.release();
    await closing;
    await firing;
    expect(lines.filter((l) => /ERROR|WARN/.test(l))).toEqual([]);
    expect(time.timers).toBe(0);
    const store = new SqliteStore(database);
    const quiz = (await store.runningQuizzes())[0]!;
    expect(quiz.current).toBe(1);
    expect((await store.getQuestion(quiz.id, 0))!.closedAt).not.toBeNull();
    expect((await store.getQuestion(quiz.id, 1))!.messageId).not.toBeNull();
    await store.close();
  });
});
