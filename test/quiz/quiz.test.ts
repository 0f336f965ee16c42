import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { testApp } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { REAL_KNOWLEDGE_DIR, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

function concept(topic: string, n: number): ConceptFixture {
  return {
    id: `${topic}/c${n}`,
    title: `${topic} concept ${n}`,
    summary: `A summary of idea number ${n} in ${topic}, long enough to quiz on.`,
    quiz: [{ question: `Which option is right for question ${topic} ${n}?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
  };
}
const dir = writeKnowledge([...[1, 2, 3, 4, 5, 6].map((n) => concept('kafka', n)), ...[1, 2, 3, 4].map((n) => concept('spark', n))]);

type App = ReturnType<typeof testApp>['app'];

/** The console button (1-4) of the right, or a wrong, option of the open question, read from the store. */
async function button(app: App, right: boolean): Promise<string> {
  const quiz = await app.store.latestQuiz('console:local', 'quiz');
  const q = await app.store.getQuestion(quiz!.id, quiz!.current);
  return String((right ? q!.correct : (q!.correct + 1) % 4) + 1);
}

function game(options: Parameters<typeof testApp>[1] = {}) {
  const t = testApp(dir, options);
  const chat = consoleChat(t.app);
  return { ...t, chat };
}

describe('quiz in the console', () => {
  it('plays a whole quiz with two players: lock-in, reveal, next question, standings, leaderboard', async () => {
    const { chat, time, app } = game();
    const start = await chat.say('/quiz kafka 2');
    expect(start).toContain('Question 1 of 2 · Apache Kafka');
    expect(start).toContain('Started a 2-question quiz');
    await chat.say('/as alice');
    expect(await chat.say(await button(app, true))).toMatch(/Locked in: [A-D]\. /);
    await chat.say('/as bob');
    await time.advance(5_000);
    expect(await chat.say(await button(app, false))).toMatch(/Locked in: [A-D]\. /);
    await time.advance(15_000);
    const reveal = chat.read();
    expect(reveal).toMatch(/Answer: [A-D]\. /);
    expect(reveal).toContain('Got it right: alice');
    expect(reveal).toContain('Answers: 2 (1 right)');
    expect(reveal).toContain('Question 2 of 2');
    await chat.say('/as alice');
    expect(await chat.say(await button(app, false))).toContain('Locked in');
    await time.advance(20_000);
    const end = chat.read();
    expect(end).toContain('Quiz over · Apache Kafka');
    expect(end).toMatch(/1\. alice: 150 pts \(1\/2 right\)/);
    expect(end).toMatch(/2\. bob: 0 pts \(0\/1 right\)/);
    const board = await chat.say('/leaderboard');
    expect(board).toContain('1. alice: 150 pts · 50% right (1/2) · best streak 1');
    expect(board).toContain('2. bob: 0 pts · 0% right (0/1) · best streak 0');
    expect(time.timers).toBe(0);
    await app.close();
  });

  it('counts a quiz played alone as practice, not on the leaderboard', async () => {
    const { chat, time, app } = game();
    await chat.say('/quiz kafka 1');
    await chat.say(await button(app, true));
    await time.advance(20_000);
    expect(chat.read()).toContain('Played alone: practice, so it does not count on the leaderboard.');
    expect(await chat.say('/leaderboard')).toContain('in a `/quiz` two or more people play: alone, a quiz is practice.');
    await app.close();
  });

  it('gives a speed bonus: the earlier right answer earns more', async () => {
    const { chat, time, app } = game();
    const start = await chat.say('/quiz spark 1');
    await chat.say('/as fast');
    await chat.say(await button(app, true));
    await time.advance(10_000);
    await chat.say('/as slow');
    await chat.say(await button(app, true));
    await time.advance(10_000);
    const end = chat.read();
    expect(end).toMatch(/1\. fast: 150 pts/);
    expect(end).toMatch(/2\. slow: 125 pts/);
    await app.close();
  });

  it('gives people with the same points and right answers the same place, in the standings and on the leaderboard', async () => {
    const { chat, time, app } = game();
    await chat.say('/quiz spark 1');
    for (const who of ['bo', 'al']) {
      await chat.say(`/as ${who}`);
      await chat.say(await button(app, true));
    }
    await chat.say('/as cy');
    await chat.say(await button(app, false));
    await time.advance(20_000);
    const end = chat.read();
    expect(end).toMatch(/1\. al: 150 pts \(1\/1 right\)\n1\. bo: 150 pts \(1\/1 right\)\n3\. cy: 0 pts/);
    const board = await chat.say('/leaderboard');
    expect(board).toMatch(/1\. al: 150 pts[^\n]*\n1\. bo: 150 pts[^\n]*\n3\. cy: 0 pts/);
    await app.close();
  });

  it('says a tool the knowledge base does not cover is not covered, as /explain does, in /quiz, /random and /topics', async () => {
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    const chat = consoleChat(app);
    const line = 'I have no card about “flink”: I cover Apache Airflow, Apache Hadoop, Apache Spark, Apache Kafka, dbt, Terraform.';
    for (const command of ['/quiz flink 3', '/random flink', '/topics flink']) expect(await chat.say(command), command).toContain(line);
    expect(await chat.say('/explain flink')).toContain(line);
    // A word that is no tool at all is an unknown topic, with a suggestion when one is near.
    expect(await chat.say('/quiz kafak')).toContain('Unknown topic “kafak”. Did you mean “kafka”?');
    expect(await app.store.latestQuiz('console:local', 'quiz')).toBeUndefined();
    await app.close();
  });

  it('refuses bad input privately and changes nothing', async () => {
    const { chat, time, app, database } = game();
    expect(await chat.say('/quiz kafka 0')).toContain('must be a whole number from 1 to 20 (got “0”)');
    expect(await chat.say('/quiz 500')).toContain('(got “500”)');
    expect(await chat.say('/quiz abc')).toContain('Unknown topic “abc”');
    expect(await chat.say('/quiz kafka 2.5')).toContain('must be a whole number');
    // A time in a unit it does not take is a time all the same, not an unknown topic.
    for (const time of ['1h', '2hours', '1.5m', '500ms']) {
      const refused = await chat.say(`/quiz kafka 3 ${time}`);
      expect(refused, time).toContain(`The time to answer must be from 5s to 10m, in seconds or minutes such as 90s or 1m30s (got “${time}”)`);
      expect(refused, time).not.toContain('Unknown topic');
    }
    expect(await chat.say('/quiz kafka 3 11m')).toContain('The time to answer must be from 5s to 10m, such as 30s (got “11m”)');
    // Help calls each argument what its usage line calls it.
    const help = await chat.say('/help quiz');
    expect(help).toContain('/quiz [topics] [count] [answer time]');
    expect(help).toContain('• answer time: How long each question stays open');
    expect(help).not.toContain('• seconds:');
    const start = await chat.say('/quiz kafka 3');
    expect(await chat.say('/quiz spark')).toContain('A quiz is already running here (question 1 of 3)');
    const right = await button(app, true);
    expect(await chat.say(right)).toContain('Locked in');
    expect(await chat.say(right)).toMatch(/You already answered [A-D]: one answer per question/);
    const forged = await app.bot.handle({ kind: 'action', address: 'console:local', user: { id: 'x', name: 'x', isManager: false }, action: 'quiz:zzzzzzzz:0:1' });
    expect(forged.blocks[0]).toEqual({ type: 'text', text: 'That button does not belong to a quiz I know.' });
    const garbage = await app.bot.handle({ kind: 'action', address: 'console:local', user: { id: 'x', name: 'x', isManager: false }, action: 'quiz:../../etc:99:9' });
    expect(garbage.ephemeral).toBe(true);
    const unknownAction = await app.bot.handle({ kind: 'action', address: 'console:local', user: { id: 'x', name: 'x', isManager: false }, action: 'nope:1' });
    expect(unknownAction.blocks[0]).toEqual({ type: 'text', text: 'That button is not one of mine, or it has expired.' });
    await time.advance(20_000);
    chat.read();
    // A click on question 1's button after it closed.
    const late = await app.bot.handle({ kind: 'action', address: 'console:local', user: { id: 'late', name: 'late', isManager: false }, action: /quiz:[a-f0-9]+:0:\d/.exec(JSON.stringify(await quizActions(app)))![0] });
    expect(late.blocks[0]).toEqual({ type: 'text', text: 'This question has closed; its answer is revealed where the quiz runs.' });
    const store = new SqliteStore(database);
    const quiz = await store.latestQuiz('console:local', 'quiz');
    expect((await store.answersOfQuiz(quiz!.id)).map((a) => [a.userName, a.position])).toEqual([['you', 0]]);
    await store.close();
    await app.close();
  });

  it('lets only the starter or a manager stop a quiz; stopping reveals and keeps answers', async () => {
    const { chat, app, time } = game();
    const start = await chat.say('/quiz kafka 3');
    await chat.say(await button(app, true));
    const viewer = { id: 'console:eve', name: 'eve', isManager: false };
    const refused = await app.bot.handle({ kind: 'command', address: 'console:local', user: viewer, command: 'quiz', args: 'stop' });
    expect(refused.blocks[0]).toEqual({ type: 'text', text: 'Only you, who started this quiz, or a channel manager can stop it.' });
    const stopped = await chat.say('/quiz stop');
    expect(stopped).toContain('Quiz over');
    expect(stopped).toContain('Stopped by you.');
    expect(stopped).toMatch(/1\. you: 150 pts/);
    expect(time.timers).toBe(0);
    expect(await chat.say('/quiz stop')).toContain('No quiz is running here');
    await app.close();
  });

  it('ends by itself when nobody answers two questions in a row', async () => {
    const { chat, time, app } = game();
    await chat.say('/quiz kafka 5');
    await time.advance(40_000);
    const out = chat.read();
    expect(out).toContain('Ended: nobody answered 2 questions in a row.');
    expect(out).not.toContain('Question 3 of 5');
    expect(time.timers).toBe(0);
    await app.close();
  });

  it('reviews the questions a player missed, with the concept to read', async () => {
    const { chat, time, app } = game();
    const start = await chat.say('/quiz spark 2');
    await chat.say(await button(app, false));
    await time.advance(20_000);
    chat.read();
    await time.advance(20_000);
    const review = await chat.say('/quiz review');
    expect(review).toContain('Your review: 2 to look at');
    expect(review).toMatch(/You: [A-D]\. .* · Right: [A-D]\. /);
    expect(review).toContain('You: no answer');
    expect(review).toMatch(/\[1\] Explain: spark concept \d/);
    expect(review).not.toContain('started since');
    // Another quiz here since, played without them, does not hide theirs.
    await chat.say('/as bob');
    await chat.say('/quiz spark 1');
    await time.advance(20_000);
    chat.read();
    await chat.say('/as me');
    const earlier = await chat.say('/quiz review');
    expect(earlier).toContain('Your review: 2 to look at in your quiz of');
    // ... and says which quiz it is, the one since being someone else's.
    expect(earlier).toContain('(you answered none of the one started since)');
    await app.close();
  });

  it('offers one button per card to read in a review, however many of its questions were missed', async () => {
    const three = (n: number) => ({ question: `Which option is right for kafka question ${n}?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` });
    const one = writeKnowledge([{ id: 'kafka/only', title: 'The only Kafka card', quiz: [three(1), three(2), three(3)] }]);
    const t = testApp(one);
    const chat = consoleChat(t.app);
    await chat.say('/quiz kafka 3');
    for (let q = 0; q < 3; q++) {
      await chat.say(await button(t.app, false));
      await t.time.advance(20_000);
    }
    chat.read();
    const review = await chat.say('/quiz review');
    expect(review).toContain('Your review: 3 to look at');
    expect(review.match(/Explain: The only Kafka card/g)).toHaveLength(1);
    await t.app.close();
  });

  it('does not repeat a question in a channel until it has seen the others of its topic', async () => {
    const { app } = game();
    const seenKeys: string[] = [];
    for (let round = 0; round < 3; round++) {
      const picked = await app.quizzes.preview('console:local', ['spark'], 3);
      const keys = picked.map((q) => q.key);
      expect(new Set(keys).size).toBe(keys.length);
      await app.store.markSeen('console:local', keys, new Date(Date.UTC(2026, 0, 1, 0, round)).toISOString());
      seenKeys.push(...keys);
    }
    // 8 questions (4 hand-written, 4 generated): the first 8 picks are all different.
    expect(new Set(seenKeys.slice(0, 8)).size).toBe(8);
    await app.close();
  });

  it('resumes a running quiz after a restart from its stored deadline, with answers kept', async () => {
    const time = new FakeTime();
    const first = game({ time });
    await first.chat.say('/quiz kafka 2');
    await first.chat.say(await button(first.app, true));
    await time.advance(5_000);
    first.app.quizzes.shutdown();
    await first.app.store.close();
    // The process is gone; it comes back 5 s later on the same database file.
    await time.advance(5_000);
    const second = game({ time, database: first.database });
    await second.app.resume();
    expect(time.timers).toBe(1);
    await time.advance(9_999);
    expect(second.chat.read()).toBe('');
    await time.advance(1);
    expect(second.chat.read()).toContain('Got it right: you');
    await second.app.close();
  });

  it('moves on after a restart that came between closing a question and posting the next', async () => {
    const time = new FakeTime();
    const first = game({ time });
    await first.chat.say('/quiz kafka 2');
    const quiz = (await first.app.store.latestQuiz('console:local', 'quiz'))!;
    first.app.quizzes.shutdown();
    // The process died right after closing question 1.
    expect(await first.app.store.closeQuestion(quiz.id, 0, time.now().toISOString())).toBe(true);
    await first.app.store.close();
    const second = game({ time, database: first.database });
    await second.app.resume();
    expect(second.chat.read()).toContain('Question 2 of 2');
    expect((await second.app.store.getQuiz(quiz.id))?.current).toBe(1);
    await time.advance(20_000);
    expect(second.chat.read()).toContain('Quiz over');
    await second.app.close();
  });

  it('closes a question whose deadline passed while the bot was down', async () => {
    const time = new FakeTime();
    const first = game({ time });
    await first.chat.say('/quiz kafka 1');
    first.app.quizzes.shutdown();
    await first.app.store.close();
    await time.advance(3_600_000);
    const second = game({ time, database: first.database });
    await second.app.resume();
    const out = second.chat.read();
    expect(out).toContain('Answer: ');
    expect(out).toContain('Quiz over');
    expect(await second.app.store.runningQuizzes()).toEqual([]);
    await second.app.close();
  });

  it('leaves a quiz on a platform this process does not run to the process that runs it', async () => {
    const time = new FakeTime();
    const first = game({ time });
    const discord = new RecordingMessenger();
    first.app.messengers.register('discord', discord);
    const started = await first.app.quizzes.start({ address: 'discord:G1:C1', user: { id: 'u', name: 'u', isManager: false }, topics: ['kafka'], count: 2, kind: 'quiz', windowSeconds: 20 });
    first.app.quizzes.shutdown();
    await first.app.store.close();
    await time.advance(60_000);
    // A console-only process on the same database: the Discord quiz is not its to close or end.
    const second = game({ time, database: first.database });
    expect(await second.app.quizzes.resume()).toBe(0);
    expect(time.timers).toBe(0);
    expect((await second.app.store.getQuiz(started.quiz!.id))?.state).toBe('running');
    expect((await second.app.store.getQuestion(started.quiz!.id, 0))?.closedAt).toBeNull();
    await second.app.close();
  });
});

/** The answer actions of the first question of the channel's latest quiz. */
async function quizActions(app: App): Promise<string[]> {
  const quiz = await app.store.latestQuiz('console:local', 'quiz');
  const q = await app.store.getQuestion(quiz!.id, 0);
  return q!.options.map((_, i) => `quiz:${quiz!.id}:0:${i}`);
}
