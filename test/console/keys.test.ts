import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consolePlatform } from '../../src/adapters/console/platform.js';
import { createBackfill } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase, testApp } from '../helpers/app.js';
import { consoleChat, screen } from '../helpers/console.js';
import { Process } from '../helpers/crash.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { FakeTime } from '../helpers/time.js';

const concept = (n: number): ConceptFixture => ({
  id: `kafka/c${n}`,
  title: `Kafka concept ${n}`,
  summary: `A summary of idea number ${n} in Kafka, long enough to quiz on.`,
  quiz: [{ question: `Which option is right for question ${n}?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
});
const dir = writeKnowledge([1, 2, 3, 4].map(concept));
const LETTERS = ['A', 'B', 'C', 'D'];

/**
 * A console that started a 3-question quiz dies as kill -9 would (no store call returns, no timer
 * fires, nothing is stopped); `downMs` later a new console starts on the same database.
 */
async function crashedAndRestarted(downMs: number) {
  const time = new FakeTime();
  const database = tempDatabase();
  const dead = new Process(time);
  const first = createBackfill({ knowledge: openKnowledge(dir), store: dead.store(new SqliteStore(database)), log: silentLogger, clock: time, timers: dead.timers, random: seededRandom(1) });
  expect(await consoleChat(first).say('/quiz kafka 3 30s')).toContain('Question 1 of 3');
  dead.kill();
  await time.advance(downMs);
  const { app } = testApp(dir, { time, database });
  const input = new PassThrough();
  const output = new PassThrough();
  const running = await consolePlatform.start(app, { input, output, interactive: false }, silentLogger);
  await app.resume();
  return { app, time, input, output, done: running.run() };
}

describe('console keys', () => {
  it('answers a quiz question with A to D as with 1 to 4, and lists its own commands in help', async () => {
    const { app } = testApp(dir);
    const c = consoleChat(app);
    await c.say('/quiz kafka 2');
    const quiz = (await app.store.latestQuiz('console:local', 'quiz'))!;
    const q = (await app.store.getQuestion(quiz.id, 0))!;
    // A letter no option has is a slip: the console says how to answer, and nothing is locked in.
    expect((await c.say('E')).trim()).toBe('Answer with A, B, C, D (or 1 to 4).');
    expect(await c.say(LETTERS[q.correct]!.toLowerCase())).toContain(`Locked in: ${LETTERS[q.correct]}. ${q.options[q.correct]}`);
    await c.say('/as bob');
    expect(await c.say(`${LETTERS[(q.correct + 1) % 4]})`)).toContain(`Locked in: ${LETTERS[(q.correct + 1) % 4]}.`);
    const help = await c.say('/help');
    expect(help).toContain('/as NAME');
    expect(help).toContain('/quit');
    expect(help).toContain('1, 2, … or A–D');
    await app.close();
  });

  it('takes A to D for the open question even after someone looked up a card below it', async () => {
    const { app } = testApp(dir);
    const c = consoleChat(app);
    await c.say('/quiz kafka 2');
    const quiz = (await app.store.latestQuiz('console:local', 'quiz'))!;
    const q = (await app.store.getQuestion(quiz.id, 0))!;
    // A card with buttons of its own is now the latest message.
    expect(await c.say('/explain kafka concept 3')).toContain('Kafka concept 3');
    expect(await c.say(LETTERS[q.correct]!)).toContain(`Locked in: ${LETTERS[q.correct]}.`);
    await c.say('/as bob');
    expect(await c.say(`answer is ${LETTERS[(q.correct + 1) % 4]!.toLowerCase()}`)).toContain(`Locked in: ${LETTERS[(q.correct + 1) % 4]}.`);
    await c.say('/as carol');
    expect(await c.say(`(${LETTERS[(q.correct + 2) % 4]!.toLowerCase()})`)).toContain(`Locked in: ${LETTERS[(q.correct + 2) % 4]}.`);
    await c.say('/as dave');
    // A full-width letter, as some keyboards type it.
    expect(await c.say(String.fromCharCode(0xff21 + ((q.correct + 3) % 4)))).toContain(`Locked in: ${LETTERS[(q.correct + 3) % 4]}.`);
    expect((await app.store.answersTo(quiz.id, 0)).length).toBe(4);
    // Numbers still press the buttons of the latest message: the card's, not the question's.
    expect(await c.say('/explain kafka concept 3')).toContain('Kafka concept 3');
    expect(await c.say('1')).not.toContain('Locked in');
    await app.close();
  });

  it('refuses an answer typed while a question was open and sent after the next one appeared', async () => {
    const { app, time } = testApp(dir);
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (b: Buffer) => (printed += b.toString()));
    const running = await consolePlatform.start(app, { input, output, interactive: true }, silentLogger);
    const done = running.run();
    const tick = () => new Promise((r) => setTimeout(r, 20));
    input.write('/quiz kafka 2\n');
    await tick();
    expect(screen(printed)).toContain('Question 1 of 2');
    // "2" is typed while question 1 is on screen; Enter comes after its reveal and question 2.
    input.write('2');
    await tick();
    await time.advance(20_000);
    expect(screen(printed)).toContain('Question 2 of 2');
    input.write('\n');
    await tick();
    expect(screen(printed)).toContain('This question has closed; its answer is revealed where the quiz runs.');
    const quiz = (await app.store.latestQuiz('console:local', 'quiz'))!;
    expect(await app.store.answersTo(quiz.id, 1)).toEqual([]);
    // Typed now, "1" answers question 2.
    input.write('1\n');
    await tick();
    expect((await app.store.answersTo(quiz.id, 1)).map((a) => a.position)).toEqual([1]);
    input.end();
    await done;
    await app.close();
  });

  it('shows the open quiz of the day again when it starts, and A to D answer it', async () => {
    const time = new FakeTime();
    const database = tempDatabase();
    const before = testApp(dir, { time, database }).app;
    // A console shows it (the daily service posts it through the running adapter).
    await consoleChat(before).say('/help');
    const started = await before.quizzes.start({ address: 'console:local', user: { id: 'backfill:daily', name: 'Backfill daily', isManager: true }, topics: ['kafka'], count: 1, kind: 'daily', windowSeconds: 4 * 3600 });
    expect(started).toMatchObject({ quiz: { kind: 'daily' } });
    await before.close();
    // Restarted an hour later, on the same database.
    await time.advance(3600_000);
    const { app } = testApp(dir, { time, database });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (b: Buffer) => (printed += b.toString()));
    const running = await consolePlatform.start(app, { input, output, interactive: false }, silentLogger);
    await app.resume();
    const done = running.run();
    const q = (await app.store.getQuestion(started.quiz!.id, 0))!;
    input.write(`${LETTERS[q.correct]}\n`);
    await new Promise((r) => setTimeout(r, 50));
    expect(printed).toContain('The quiz of the day is open here, shown again: this console started while it was open.');
    expect(printed).toContain('Quiz of the day');
    expect(printed).toContain(`Locked in: ${LETTERS[q.correct]}.`);
    expect((await app.store.answersTo(started.quiz!.id, 0)).map((a) => a.correct)).toEqual([true]);
    input.end();
    await done;
    await app.close();
  });

  it('shows the open question of a quiz it resumed after a crash, and its buttons answer it', async () => {
    // Started again on the same database, 10 s into the question.
    const { app, time, input, output, done } = await crashedAndRestarted(10_000);
    let printed = '';
    output.on('data', (b: Buffer) => (printed += b.toString()));
    const quiz = (await app.store.latestQuiz('console:local', 'quiz'))!;
    const q = (await app.store.getQuestion(quiz.id, 0))!;
    input.write(`${q.correct + 1}\n`);
    await new Promise((r) => setTimeout(r, 50));
    expect(printed).toContain('A quiz is running here: question 1 of 3, shown again: this console started while it was open.');
    expect(printed).toContain('== Question 1 of 3 · Apache Kafka ==');
    expect(printed).toContain(q.prompt);
    expect(printed).toContain('Answer within 20 seconds.');
    expect(printed).toContain(`Locked in: ${LETTERS[q.correct]}.`);
    expect(printed).not.toContain('There are no buttons to press right now.');
    expect((await app.store.answersTo(quiz.id, 0)).map((a) => a.correct)).toEqual([true]);
    // Closing on time edits the question shown again, whose buttons are then gone.
    await time.advance(20_000);
    expect(printed).toContain('Got it right: you');
    expect(printed).toContain('Question 2 of 3');
    printed = '';
    input.end();
    await done;
    expect(printed).toContain('Stopped: the console input ended.');
    await app.close();
  });

  it('shows the next question once when the open one closed while it was down', async () => {
    const { app, input, output, done } = await crashedAndRestarted(60_000);
    let printed = '';
    output.on('data', (b: Buffer) => (printed += b.toString()));
    input.end();
    await done;
    expect(printed).toContain('Nobody answered this one.');
    expect(printed).not.toContain('Answers: 0');
    // Question 2 is posted once (its reveal at the end of input follows).
    expect(printed.match(/Answer within/g)).toHaveLength(1);
    expect(printed).not.toContain('shown again: this console started');
    await app.close();
  });

  it('stops a running quiz, saying so, when piped input ends; the next start posts nothing for it', () => {
    const database = tempDatabase();
    const env = { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: database, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' };
    const first = spawnSync(process.execPath, ['dist/main.js'], { input: '/quiz kafka 2\nA\n', env, encoding: 'utf8', timeout: 20_000 });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Locked in: A.');
    expect(first.stdout).toContain('Answer: ');
    expect(first.stdout).toContain('Quiz over');
    expect(first.stdout).toContain('Stopped: the console input ended.');
    expect(first.stdout).not.toContain('Question 2 of 2');
    const second = spawnSync(process.execPath, ['dist/main.js'], { input: '', env, encoding: 'utf8', timeout: 20_000 });
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('');
  });

  it('keeps a stopped quiz finished in the database, with the answer given', async () => {
    const database = tempDatabase();
    spawnSync(process.execPath, ['dist/main.js'], { input: '/quiz kafka 1\n1\n', env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: database, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' }, encoding: 'utf8', timeout: 20_000 });
    const store = new SqliteStore(database);
    expect(await store.runningQuizzes()).toEqual([]);
    const quiz = (await store.latestQuiz('console:local', 'quiz'))!;
    expect(quiz.endReason).toBe('Stopped: the console input ended.');
    expect(await store.answersOfQuiz(quiz.id)).toHaveLength(1);
    await store.close();
  });
});
