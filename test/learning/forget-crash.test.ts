import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { answerAction } from '../../src/quiz/messages.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { FakeTime } from '../helpers/time.js';
import { knowledge } from './fixtures.js';

const FAY = { id: 'console:fay', name: 'fay', isManager: true };
const BOB = { id: 'console:bob', name: 'bob', isManager: false };
const SQLITE_MODULE = join(process.cwd(), 'dist', 'store', 'sqlite.js');

/** A database where Fay and Bob played a 2-question quiz together. */
async function playedTogether(): Promise<{ path: string; quizId: string }> {
  const path = tempDatabase();
  const time = new FakeTime('2026-03-02T09:00:00Z');
  const app = createBackfill({ knowledge, store: new SqliteStore(path), log: silentLogger, clock: time, timers: time, random: seededRandom(5), answerSeconds: 20 });
  try {
    consoleChat(app); // the channel the quiz posts to
    const started = await app.quizzes.start({ address: 'console:local', user: FAY, topics: ['kafka'], count: 2, kind: 'quiz', windowSeconds: 20 });
    const quiz = started.quiz;
    if (!quiz) throw new Error(JSON.stringify(started));
    for (let position = 0; position < 2; position++) {
      for (const user of [FAY, BOB]) await app.quizzes.answer({ kind: 'action', address: 'console:local', user, action: answerAction(quiz.id, position, 0) }, `${quiz.id}:${position}:0`);
      await time.advance(20_000);
    }
    return { path, quizId: quiz.id };
  } finally {
    await app.close();
  }
}

/**
 * Another process forgets Fay on that database and is killed: `inside` stops it in the middle of
 * the deletion (a trigger on its own connection, after her answers were deleted and before the
 * commit), `before` as soon as it has opened the file; `never` lets it finish.
 */
function forgetInChild(path: string, kill: 'before' | 'inside' | 'never'): Promise<void> {
  const script = `
    import { SqliteStore } from ${JSON.stringify(SQLITE_MODULE)};
    import { writeSync } from 'node:fs';
    const store = new SqliteStore(${JSON.stringify(path)});
    store.db.function('pause', () => { writeSync(1, 'inside\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 0; });
    if (${JSON.stringify(kill)} === 'inside') store.db.exec("CREATE TEMP TRIGGER pause_forget AFTER DELETE ON main.answers BEGIN SELECT pause(); END");
    writeSync(1, 'opened\\n');
    if (${JSON.stringify(kill)} === 'before') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    await store.forgetPerson(${JSON.stringify(FAY.id)}, 'console');
    writeSync(1, 'done\\n');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if ((kill === 'before' && out.includes('opened')) || (kill === 'inside' && out.includes('inside'))) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (kill === 'never' ? code === 0 && out.includes('done') : signal === 'SIGKILL' && !out.includes('done')) resolve();
      else reject(new Error(`child ended with ${code ?? signal}: ${out}${err}`));
    });
  });
}

describe('SQLite: a process killed while forgetting a person', () => {
  it('leaves all of it or none of it, and the other player counted either way', async () => {
    const { path, quizId } = await playedTogether();
    for (const kill of ['before', 'inside', 'never'] as const) {
      const copy = tempDatabase();
      copyFileSync(path, copy);
      await forgetInChild(copy, kill);
      // What the next process on that file sees.
      const store = new SqliteStore(copy);
      try {
        const players = [...new Set((await store.answersOfQuiz(quizId)).map((a) => a.userId))].sort();
        const shared = store.db.prepare('SELECT shared FROM quizzes WHERE id = ?').pluck().get(quizId);
        if (kill === 'never') expect({ players, shared }, kill).toEqual({ players: [BOB.id], shared: 1 });
        else expect({ players, shared }, kill).toEqual({ players: [BOB.id, FAY.id], shared: 0 });
        expect((await store.scores({ address: 'console:local' })).map((r) => r.userId), kill).toContain(BOB.id);
        // Forgetting again after the crash finishes the job.
        if (kill !== 'never') {
          await store.forgetPerson(FAY.id, 'console');
          expect((await store.scores({ address: 'console:local' })).map((r) => r.userId), kill).toEqual([BOB.id]);
        }
      } finally {
        await store.close();
      }
    }
  });
});
