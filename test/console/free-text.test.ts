import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDatabase, testApp } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { REAL_KNOWLEDGE_DIR, TOPICS, writeKnowledge } from '../helpers/knowledge.js';

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], summary: 'How many replicas the producer waits for before a write counts.', related: ['kafka/isr'], quiz: [{ question: 'What does acks=0 wait for?', answer: 'Nothing', wrong: ['The leader', 'Every replica', 'A majority'], why: 'acks=0 sends and forgets.' }] },
  { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['isr'], quiz: [{ question: 'Who is in the ISR?', answer: 'Replicas that keep up', wrong: ['Every replica', 'Only followers', 'Only the leader'], why: 'The ISR holds the replicas that are caught up.' }] },
  { id: 'airflow/xcom', title: 'XCom', aliases: ['cross-communication'], summary: 'Small values that tasks pass to each other, for example a file name.' },
  { id: 'airflow/variable', title: 'Airflow variable', summary: 'Global key-value settings stored in the metadata database.' },
  { id: 'spark/rdd', title: 'RDD', aliases: ['resilient distributed dataset'] },
], {}, [...TOPICS, { id: 'airflow', name: 'Apache Airflow', description: 'Workflows.', keywords: ['airflow'], hosts: ['airflow.apache.org'] }]);

describe('free text in the console is a question unless it reads as a command', () => {
  it('explains when a command word is followed by words that do not parse as its arguments', async () => {
    const c = consoleChat(testApp(dir).app);
    expect(await c.say('help me understand xcom')).toContain('== XCom ==');
    expect(await c.say('help with acks')).toContain('== Producer acks ==');
  });

  it('runs the command when its arguments parse, or when it has a slash', async () => {
    const c = consoleChat(testApp(dir).app);
    expect(await c.say('help quiz')).toContain('/quiz');
    expect(await c.say('help')).toContain('/explain');
    expect(await c.say('/help me understand xcom')).toContain('There is no command');
    expect(await c.say('/help qiuz')).toContain('There is no command “qiuz”. Did you mean `/help quiz`?');
    // A pasted path is no slash command: the line is a question.
    const path = await c.say('/user/airflow/xcom not passed between tasks');
    expect(path).not.toContain('Unknown command');
    expect(path).toBe(await c.say('/explain /user/airflow/xcom not passed between tasks'));
    expect(await c.say('/qiuz kafka')).toContain('Unknown command “/qiuz”');
    // A question about one of the commands is answered by its help; one about a concept is not.
    expect(await c.say('how do I start a quiz?')).toContain('== /quiz ==');
    expect(await c.say('what is the review command')).toContain('== /review ==');
    expect(await c.say('how do i run a dag')).not.toContain('There is no command');
    // A subcommand after its command, as /help lists them: the command's help, which explains it.
    expect(await c.say('/help quiz stop')).toContain('/quiz stop\nEnd the quiz early');
    const started = await c.say('quiz me on kafka');
    expect(started).toContain('Started a');
    expect(started).toContain('quiz');
    expect(await c.say('quiz stop')).toMatch(/stopped|ended/i);
  });

  it("reads the bot called by its name before a question as the question, not as Airflow's backfill", async () => {
    const c = consoleChat(testApp(REAL_KNOWLEDGE_DIR).app);
    for (const line of ['hey backfill what is an xcom', '@Backfill what is xcom', 'backfill: xcom', 'Backfill, explain xcom please']) expect(await c.say(line), line).toContain('== XCom ==');
    expect(await c.say('backfill, quiz me on kafka')).toContain('Started a');
    await c.say('quiz stop');
    // Its name alone, or said of Airflow, is the Airflow concept; a greeting alone asks what it does.
    expect(await c.say('backfill dags')).toContain('== Catchup and backfill in Airflow ==');
    expect(await c.say('backfill')).toContain('== Catchup and backfill in Airflow ==');
    expect(await c.say('hey backfill')).toContain('/explain');
    // Thanks, or a check that it is there, said to it by name is no question about Airflow either.
    for (const line of ['thanks backfill', 'backfill you there?']) expect(await c.say(line), line).toContain('Ask me about a data-engineering concept');
    expect(await c.say('thank you backfill, that helped')).toContain('no card that matches “thank you, that helped”');
  });

  it('answers as the command would when only a near-miss word stands in its way', async () => {
    const c = consoleChat(testApp(dir).app);
    const typo = await c.say('quiz me on kafak');
    expect(typo).toContain('Unknown topic “kafak”. Did you mean “kafka”?');
    expect(typo).toBe(await c.say('/quiz kafak'));
    expect(await c.say('quiz stpo')).toContain('Did you mean “/quiz stop”?');
    // A word nothing is close to: a question, as before.
    const question = await c.say('quiz me on what acks wait for');
    expect(question).toContain('Producer acks');
    expect(question).not.toMatch(/Unknown topic|Started a/);
    expect(await c.say('help me understand xcom')).toContain('== XCom ==');
    // Two words wrong is not a near miss: the line is a question.
    const two = await c.say('quiz me on kafak acks');
    expect(two).toBe(await c.say('/explain quiz me on kafak acks'));
    expect(two).not.toContain('Unknown topic');
  });

  it('reads "give me a quiz about spark" and "show me the leaderboard" as those commands', async () => {
    const c = consoleChat(testApp(dir).app);
    expect(await c.say('show me the leaderboard')).toBe(await c.say('/leaderboard'));
    expect(await c.say('give me a quiz about kafak')).toContain('Did you mean “kafka”?');
    expect(await c.say('Could you give me a quiz about kafka?')).toContain('Started a');
    expect(await c.say('quiz stop')).toMatch(/stopped/i);
    expect(await c.say('start a quiz on kafka')).toContain('Started a');
    expect(await c.say('stop the quiz')).toMatch(/stopped/i);
    expect(await c.say('end this quiz please')).toContain('No quiz is running here');
    // Courtesy around a command: "can you", "please" before it, "pls", "thanks" after it.
    expect(await c.say('leaderboard pls')).toBe(await c.say('/leaderboard'));
    expect(await c.say('can you quiz me on kafka?')).toContain('Started a');
    expect(await c.say('quiz stop thanks')).toMatch(/stopped/i);
    expect(await c.say('can you explain acks please')).toContain('== Producer acks ==');
    // A request for something that is not a command is a question.
    expect(await c.say('show me the acks')).toContain('== Producer acks ==');
    expect(await c.say('give me an example of xcom')).toMatch(/\bXCom\b/);
    // "my progress" asks for /progress; "my" before a word that is no command is a question.
    expect(await c.say('my progress')).toBe(await c.say('/progress'));
    expect(await c.say("what's my progress?")).toBe(await c.say('/progress'));
    expect(await c.say('my acks')).toContain('== Producer acks ==');
  });

  it('answers a question about the bot itself with /topics or /help, not with a card', async () => {
    const c = consoleChat(testApp(REAL_KNOWLEDGE_DIR).app);
    const topics = await c.say('/topics');
    for (const q of ['what topics do you know', 'what do you know?', 'What can you teach me?', 'which topics do you cover']) expect(await c.say(q), q).toBe(topics);
    expect(await c.say('what can you do?')).toBe(await c.say('/help'));
    // A question about topics of a tool is still a question.
    expect(await c.say('what topics do kafka consumers read')).not.toBe(topics);
    expect(await c.say('what is a kafka topic')).toContain('== Kafka topic ==');
  });
});

describe('misses are data', () => {
  it('tells a follow-up that points back ("how do i get out of it") that each message is read on its own', async () => {
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    const c = consoleChat(app);
    expect(await c.say('and how do i get out of it?')).toContain('I read each message on its own: say which tool or concept you mean');
    expect(await c.say('how do I bake sourdough')).not.toContain('I read each message on its own');
    // A message that says what "it" is, itself, is not told so.
    expect(await c.say('my sourdough starter keeps collapsing overnight, how do i stop it')).not.toContain('I read each message on its own');
    await app.close();
  });

  it('records a question with no card and a "Not what I meant" press, then lists them in kb gaps', async () => {
    const database = tempDatabase();
    const { app } = testApp(REAL_KNOWLEDGE_DIR, { database });
    const c = consoleChat(app);
    expect(await c.say('how do I bake sourdough')).toContain('I have no card');
    await c.say('how do I bake sourdough?');
    await c.say('???');
    await c.say('why?');
    expect(await c.say('hey!')).toContain('Ask me about a data-engineering concept');
    // A stray answer letter with no quiz open is no question either.
    expect(await c.say('B')).toContain('No question is open to answer with B: `/quiz` starts a quiz and `/review` a review.');
    await c.say('スパークとは');
    await c.say('カフカとは');
    const pasted = `sourdough starter log ${'bubbles '.repeat(50)}`;
    await c.say(pasted);
    // A right-to-left override in a question must not reorder the authors' terminal line.
    await c.say('bake \u202ehguod sourdough');
    // Several cards called that: the question needs its tool, the knowledge base nothing more.
    expect(await c.say('what is a dag')).toContain('Several cards are about that');
    const card = await c.say('what are kafka acks');
    expect(card).toContain('== Producer acks ==');
    const button = /\[(\d+)\] Not what I meant/.exec(card)?.[1];
    expect(button).toBeDefined();
    const next = await c.say(button!);
    expect(next).toContain('Other cards for');
    expect(next).not.toContain('[1] Producer acks');
    // Typed again once a reply without it has replaced its card, it is no question (and no gap).
    await c.say('how do I grow tomatoes');
    expect(await c.say('Not what I meant')).toContain('The latest message has no “Not what I meant” button');
    await app.close();

    const cli = (args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { env: { ...process.env, SQLITE_PATH: database, DATABASE_URL: '' }, encoding: 'utf8' });
    // The app ran on a fake clock in early 2026: look back far enough to see it.
    const report = JSON.parse(cli(['kb', 'gaps', '--json', '--days', '3650']).stdout);
    expect(report.days).toBe(3650);
    expect(report.gaps[0]).toMatchObject({ normalized: 'bake sourdough', count: 2, noCard: 2, notMeant: 0, platforms: ['console'] });
    expect(report.gaps.find((g: { query: string }) => g.query === 'what are kafka acks')).toMatchObject({ query: 'what are kafka acks', count: 1, notMeant: 1, concepts: ['kafka/acks'], topic: 'kafka' });
    // Small talk is not a gap; a question in another script is, each on its own.
    expect(report.gaps.filter((g: { query: string }) => ['???', 'why?', 'hey!', 'B', 'what is a dag', 'Not what I meant'].includes(g.query))).toEqual([]);
    expect(report.gaps.filter((g: { query: string }) => g.query === 'スパークとは' || g.query === 'カフカとは')).toHaveLength(2);
    const text = cli(['kb', 'gaps', '--days', '3650']).stdout;
    expect(text).toContain('"how do I bake sourdough?"');
    // A pasted wall of text shows its start in the table, and whole in --json.
    expect(text).toMatch(/"sourdough starter log (bubbles ){5,}[^"]*…"/);
    expect(text.split('\n').every((line) => line.length < 200)).toBe(true);
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('"bake \\u202ehguod sourdough"');
    expect(report.gaps.some((g: { query: string }) => g.query === pasted.trim())).toBe(true);
    expect(cli(['kb', 'gaps', '--days', '0']).stderr).toContain('--days takes a whole number from 1 to 3650');
    expect(cli(['kb', 'gaps']).status).toBe(0);
  });

  it('says which gaps a card added since now answers', async () => {
    const database = tempDatabase();
    // Asked of a knowledge base with no card about consumer lag (the fixture), reported with one that has it.
    const { app } = testApp(dir, { database });
    const c = consoleChat(app);
    expect(await c.say('kafka consumer lag keeps growing')).not.toContain('== ');
    await c.say('how do I bake sourdough');
    await app.close();
    const cli = (args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { env: { ...process.env, KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, SQLITE_PATH: database, DATABASE_URL: '' }, encoding: 'utf8' });
    const report = JSON.parse(cli(['kb', 'gaps', '--json', '--days', '3650']).stdout);
    expect(report.gaps.find((g: { query: string }) => g.query === 'kafka consumer lag keeps growing')).toMatchObject({ noCard: 1, answeredNow: 'kafka/consumer-lag' });
    expect(report.gaps.find((g: { query: string }) => g.query === 'how do I bake sourdough')).toMatchObject({ noCard: 1, answeredNow: null });
    const text = cli(['kb', 'gaps', '--days', '3650']).stdout;
    expect(text).toMatch(/"kafka consumer lag keeps growing" +\(topic kafka; now answered by kafka\/consumer-lag\)/);
    expect(text).not.toMatch(/sourdough.*now answered/);
  });

  it('keeps no user id', async () => {
    const database = tempDatabase();
    const { app } = testApp(dir, { database });
    const c = consoleChat(app);
    await c.say('/as someone-secret');
    await c.say('nothing matches this zzyzx');
    const gaps = await app.store.searchGaps('2000-01-01T00:00:00Z', 10);
    expect(JSON.stringify(gaps)).not.toContain('someone-secret');
    expect(gaps[0]?.query).toBe('nothing matches this zzyzx');
  });

  it('reports nothing, and creates no database, before anyone asked', () => {
    const database = `${tempDatabase()}.none`;
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'gaps'], { env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: database, DATABASE_URL: '' }, encoding: 'utf8' });
    expect(r.stdout).toBe(`No database at ${database} yet: nobody has asked the bot anything so far. The bot creates it when it first starts (SQLITE_PATH sets where).\n`);
    expect(r.status).toBe(0);
    expect(spawnSync('test', ['-e', database]).status).toBe(1);
  });
});
