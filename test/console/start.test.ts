import { EventEmitter } from 'node:events';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.js';
import { guardProcess } from '../../src/guard.js';
import { prepareSqlitePath } from '../../src/start.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { MainProcess, STACK_LINE } from '../helpers/spawn-main.js';

const dir = writeKnowledge([
  {
    id: 'kafka/acks',
    title: 'Producer acks',
    aliases: ['acks'],
    quiz: [{ question: 'Which acks setting waits for every in-sync replica?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'acks=none'], why: 'all waits for the ISR.' }],
  },
]);

describe('npm start in console mode, stopped by a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops like the end of input: the quiz is revealed and closed, exit 0', async (signal) => {
    const database = tempDatabase();
    const main = new MainProcess({ KNOWLEDGE_DIR: dir, SQLITE_PATH: database }, { keepInput: true });
    main.type('/quiz kafka 1');
    await main.waitForOutput(/Question 1 of 1/);
    main.kill(signal);
    const { code, signal: killedBy } = await main.exited;
    expect({ code, killedBy }).toEqual({ code: 0, killedBy: null });
    expect(main.stdout).toContain(`Stopped: the console was asked to stop (${signal}).`);
    expect(main.stdout).toContain('Answer: ');
    expect(main.stderr).not.toMatch(STACK_LINE);
    const store = new SqliteStore(database);
    expect(await store.runningQuizzes()).toEqual([]);
    await store.close();
  });
});

describe('a SQLITE_PATH whose folders are missing', () => {
  it('creates them one level at a time and says which it created; none when they exist', () => {
    const root = mkdtempSync(join(tmpdir(), 'backfill-sqlite-path-'));
    expect(prepareSqlitePath(join(root, 'data', 'db', 'backfill.sqlite'))).toEqual([join(root, 'data'), join(root, 'data', 'db')]);
    expect(statSync(join(root, 'data', 'db')).isDirectory()).toBe(true);
    expect(prepareSqlitePath(join(root, 'data', 'db', 'backfill.sqlite'))).toEqual([]);
  });
});

describe('npm start with a SQLITE_PATH that cannot work', () => {
  it.each([
    ['a folder under /proc', '/proc/backfill/backfill.sqlite', 'cannot create the folder /proc/backfill: ENOENT'],
    ['a device', '/dev/null', 'it exists and is not a regular file'],
  ])('stops at once with one line naming SQLITE_PATH for %s', async (_what, path, why) => {
    const main = new MainProcess({ KNOWLEDGE_DIR: dir, SQLITE_PATH: path });
    const { code, ms } = await main.exited;
    expect(code).toBe(2);
    expect(main.stderr).toBe(`Configuration problem (see .env.example):\n  SQLITE_PATH: cannot create or open a SQLite database at ${path} (${why})\n`);
    expect(main.stderr).not.toMatch(STACK_LINE);
    expect(ms).toBeLessThan(5000);
  });
});

describe('the process guard', () => {
  function guarded(options: { limit?: number; windowMs?: number } = {}) {
    const target = new EventEmitter();
    const lines: string[] = [];
    const exits: number[] = [];
    let now = 0;
    const guard = guardProcess({ log: createLogger('debug', (l) => lines.push(l)), target, exit: (code) => exits.push(code), now: () => now, ...options });
    return { target, lines, exits, guard, tick: (ms: number) => (now += ms) };
  }

  it('ends the process on an unexpected error during start-up, saying so', () => {
    const { target, lines, exits } = guarded();
    target.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    expect(exits).toEqual([1]);
    expect(lines.join('\n')).toMatch(/ERROR unexpected error during start-up \(unhandledRejection\); stopping TypeError: Cannot read properties of null/);
  });

  it('logs an unexpected error with its kind and stack once serving, and keeps going', () => {
    const { target, lines, exits, guard } = guarded();
    guard.serving();
    const err = new RangeError('a timer went wrong');
    target.emit('uncaughtException', err);
    target.emit('unhandledRejection', 'a plain string');
    target.emit('unhandledRejection', Object.assign({}, { self: {} as object }));
    expect(exits).toEqual([]);
    expect(lines[0]).toContain('ERROR unexpected error (uncaughtException); the bot keeps serving RangeError: a timer went wrong');
    expect(lines[0]).toMatch(/\n\s+at .*start.test.ts/);
    expect(lines[1]).toContain(`unexpected error (unhandledRejection); the bot keeps serving {"thrown":"'a plain string'"}`);
    expect(lines).toHaveLength(3);
  });

  it('ends the process when errors come in a storm, so a supervisor restarts it', () => {
    const { target, exits, guard, tick, lines } = guarded({ limit: 3, windowMs: 1000 });
    guard.serving();
    for (let i = 0; i < 3; i++) {
      target.emit('uncaughtException', new Error(`e${i}`));
      tick(100);
    }
    expect(exits).toEqual([]);
    tick(1000); // the window moved on: these three no longer count
    for (let i = 0; i < 3; i++) target.emit('uncaughtException', new Error(`f${i}`));
    expect(exits).toEqual([]);
    target.emit('uncaughtException', new Error('one too many'));
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toMatch(/the 4th within 1 s; stopping so that the bot is restarted/);
  });

  it('leaves the process alone once disposed', () => {
    const { target, guard } = guarded();
    guard.dispose();
    expect(target.listenerCount('uncaughtException') + target.listenerCount('unhandledRejection')).toBe(0);
  });
});
