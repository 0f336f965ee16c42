import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../../src/adapters/console/console.js';
import { renderForTerminal } from '../../src/adapters/console/render.js';
import { describe, expect, it } from 'vitest';
import { tempDatabase, testApp } from '../helpers/app.js';
import { consoleChat, screen } from '../helpers/console.js';
import { REAL_KNOWLEDGE_DIR, writeKnowledge } from '../helpers/knowledge.js';

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], related: ['kafka/isr'], example: 'acks=all' },
  { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['isr'] },
  { id: 'spark/rdd', title: 'RDD', aliases: ['resilient distributed dataset'] },
]);

function chat() {
  return consoleChat(testApp(dir).app);
}

/** A console in a terminal (as `npm start` in a shell), its output kept. */
function inTerminal() {
  const { app } = testApp(dir);
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const terminal = new ConsoleAdapter({ input, output, interactive: true });
  terminal.attach(app.bot);
  return { app, input, terminal, running: terminal.run(), printed: () => shown, cards: () => screen(shown).match(/^== .* ==$/gm) ?? [] };
}

/** Time for the terminal to take in what was written to it. */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('console chat', () => {
  it('answers /explain with a readable card, sources and numbered buttons', async () => {
    const out = await chat().say('/explain kafka acks');
    expect(out).toContain('== Producer acks ==');
    expect(out).toContain('Apache Kafka · kafka/acks');
    expect(out).toContain('-> Docs: https://kafka.apache.org/docs/');
    expect(out).toContain('[1] In-sync replicas');
    expect(out).toContain('[2] Share in channel');
  });

  it('shows a summary that writes an asterisk (a file pattern) as bold text, without literal markers', async () => {
    const starred = writeKnowledge([{ id: 'kafka/connect', title: 'Kafka Connect', summary: 'Connectors ship as plugins named kafka-connect-* that you drop on the plugin path.' }]);
    const out = await consoleChat(testApp(starred).app).say('/explain kafka connect');
    expect(out).toContain('Connectors ship as plugins named kafka-connect-* that you drop on the plugin path.');
    expect(out).not.toContain('**');
  });

  it('treats a line without a slash as a question, and a number as a click', async () => {
    const c = chat();
    expect(await c.say('what are acks?')).toContain('== Producer acks ==');
    expect(await c.say('1')).toContain('== In-sync replicas ==');
    expect(await c.say('9')).toMatch(/Pick a number from 1 to \d/);
  });

  it("presses a button whose label is typed out, whatever its case and punctuation", async () => {
    const c = chat();
    // Typed before any card: no button of that name anywhere, and no question about "not what i meant".
    expect(await c.say('not what i meant')).toBe('The latest message has no “not what i meant” button (it comes with a card that answers a question).\n');
    await c.say('/explain kafka acks');
    expect(await c.say('not what i meant')).toContain('Thanks, noted.');
    await c.say('/explain kafka acks');
    const shared = await c.say('Share in channel!');
    expect(shared).toContain('== Producer acks ==');
    expect(shared).not.toMatch(/no card|not sure which card/i);
  });

  it('reads a number as a button number, even beside a button labelled with a number, and no label from symbols', async () => {
    const numbered = writeKnowledge([
      { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], related: ['kafka/two'] },
      { id: 'kafka/two', title: '2' },
    ]);
    const c = consoleChat(testApp(numbered).app);
    const card = await c.say('/explain kafka acks');
    expect(card).toContain('[1] 2');
    expect(card).toContain('[2] Share in channel');
    // "2" is the second button (share), not the button labelled "2" (the card of that name).
    const pressed = await c.say('2');
    expect(pressed).not.toContain('== 2 ==');
    expect(pressed).toContain('== Producer acks ==');
    const { byLabel } = renderForTerminal({ blocks: [{ type: 'buttons', buttons: [{ label: '>>', action: 'a' }, { label: 'Not what I meant', action: 'b' }] }] }, { color: false });
    expect([...byLabel.keys()]).toEqual(['notwhatimeant']);
  });

  it('gives usage for an empty query and the closest command for a typo', async () => {
    const c = chat();
    expect(await c.say('/explain')).toContain('Usage: `/explain <concept or question>`');
    expect(await c.say('/explian kafka')).toContain('Unknown command “/explian”. Did you mean `/explain`?');
    expect(await c.say('/nope')).toBe('Unknown command “/nope”. Type `/help` for the list.\n\n');
    // A space after the slash is a slip.
    expect(await c.say('/ explain kafka')).not.toContain('== Backfill: data engineering');
    // A subcommand typed on its own names the one command that has it.
    expect(await c.say('/skip')).toContain('Unknown command “/skip”. Did you mean `/quiz skip`?');
    expect(await c.say('/subscribe')).toContain('Did you mean `/daily subscribe`?');
  });

  it('says when nothing matches, without echoing mentions as live syntax', async () => {
    const out = await chat().say('/explain <!channel> how do I bake bread');
    expect(out).toContain('I have no card that matches');
    expect(out).toContain('/topics');
  });

  it('asks which card when the question is the name of several, and names one suggestion as one', async () => {
    const real = consoleChat(testApp(REAL_KNOWLEDGE_DIR).app);
    const dag = await real.say('/explain what is a dag');
    expect(dag).toContain('Several cards are about that. Which do you mean?');
    expect(dag).toMatch(/\[1\] (Airflow DAG|dbt DAG)/);
    expect(dag).not.toContain('I have no card');
    expect(dag).toContain('Name the tool in the question');
    // Several cards of the tool named: nothing to add about naming it.
    const dependency = await real.say('/explain terraform dependency');
    expect(dependency).toContain('Several cards are about that. Which do you mean?');
    expect(dependency).not.toContain('Name the tool');
    // Only the cards called that: not the next suggestion, which is not.
    const speculative = await real.say('/explain speculative execution');
    expect(speculative).toContain('[1] Speculative execution (stragglers)   [2] MapReduce speculative execution\n');
    expect(speculative).not.toContain('[3]');
    expect(await real.say('cool')).toContain('Ask me about a data-engineering concept');
  });

  it('offers a card for each side of a comparison no card makes', async () => {
    const real = consoleChat(testApp(REAL_KNOWLEDGE_DIR).app);
    const out = await real.say('/explain rdd vs dataframe');
    expect(out).toContain('I have no card that compares those. Here is one for each:');
    expect(out).toMatch(/\[1\] RDD \(Resilient Distributed Dataset\) +\[2\] Spark DataFrame and Dataset\n/);
    // A tool no card covers is still said so.
    expect(await real.say('/explain hive vs presto')).toContain('I have no card about “presto”');
  });

  it('answers hostile input cleanly: huge, control characters, emoji, markdown', async () => {
    const c = chat();
    const huge = await c.say(`/explain ${'x'.repeat(10_000)}`);
    expect(huge).toContain('I have no card that matches “xxxx');
    expect(huge.length).toBeLessThan(400);
    const control = await c.say('/explain \u0007\u001b[31macks\u0000');
    expect(control).not.toMatch(/[\u0000\u0007\u001b]/);
    expect(await c.say('/explain 👍🔥')).toContain('Ask me about a data-engineering concept');
    expect(await c.say('/explain **[link](https://evil.example)**')).toContain('I have no card');
  });

  it('lists topics and commands, and shows a random concept of a topic', async () => {
    const c = chat();
    expect(await c.say('/topics')).toMatch(/Apache Kafka: 2 concepts/);
    expect(await c.say('/help')).toContain('/explain <concept or question>');
    expect(await c.say('/random spark')).toContain('== RDD ==');
    expect(await c.say('/random flink')).toContain('Unknown topic “flink”');
  });

  it('explains its own commands with /help, as it lists them, and suggests them for a typo', async () => {
    const c = chat();
    const quit = await c.say('/help quit');
    expect(quit).toContain('== /quit ==');
    expect(quit).toContain('Leave the console. A running quiz is revealed and stopped');
    expect(quit).toContain('Also typed as `/exit`.');
    expect(quit).not.toContain('There is no command');
    expect(await c.say('/help /exit')).toBe(quit);
    expect(await c.say('help quit')).toBe(quit);
    const as = await c.say('/help as');
    expect(as).toContain('== /as ==');
    expect(as).toContain('/as NAME');
    expect(as).toContain('Examples: `/as alice` · `/as me`');
    // The list and the full help say the same of it.
    expect(await c.say('/help')).toContain('/as NAME: Speak as another person');
    expect(as).toContain('Speak as another person');
    expect(await c.say('/help quiit')).toContain('There is no command “quiit”. Did you mean `/help quit`?');
    expect(await c.say('/help nosuch')).toContain('There is no command “nosuch”.');
  });

  it('speaks of itself as this console, not a workspace or server', async () => {
    const c = chat();
    for (const line of ['/leaderboard server', '/leaderboard week server', '/leaderboard all workspace']) {
      const out = await c.say(line);
      expect(out, line).toContain('No counted quiz answers in this console');
      expect(out, line).not.toMatch(/workspace|server/);
    }
    await c.say('/settings set topics kafka');
    expect(await c.say('/quiz spark 1')).toBe('Quizzes here are limited to Apache Kafka (a setting of this console: `/settings`): Apache Spark reaches beyond them.\n\n');
    expect(await c.say('/daily subscribe spark')).toBe('Daily posts here are limited to Apache Kafka (a setting of this console: `/settings`): Apache Spark reaches beyond them.\n\n');
  });

  it('suggests the ids spelt nearest to a query written as a card id no card has, and no unrelated cards', async () => {
    const c = consoleChat(testApp(REAL_KNOWLEDGE_DIR).app);
    const near = await c.say('/explain kafka/consumer-grp');
    // Close cards, none clearly it: the reader is asked to pick, not told there is nothing.
    expect(near).toMatch(/I'm not sure which card answers “kafka\/consumer-grp”\. Is it one of these\?\n\n\[1\] Kafka consumer group {3}\[2\] Kafka consumer lag {3}\[3\] Kafka consumer poll loop\n/);
    expect(near).not.toContain('I have no card');
    const none = await c.say('/explain nosuch/card-id');
    expect(none).toContain('I have no card that matches “nosuch/card-id”.');
    expect(none).not.toContain('Did you mean');
    expect(none).not.toMatch(/\[\d\]/);
    expect(none).toContain('Browse what I know with `/topics`');
  });

  it('switches the speaking user with /as', async () => {
    const c = chat();
    expect(await c.say('/as alice')).toBe('Now speaking as alice.\n');
    expect(await c.say('/as')).toContain('Usage: /as NAME');
    // A name shows on the leaderboard: mention syntax is refused, and alice still speaks.
    for (const bad of ['<@U123>', '@here', '<!channel>', '*bold*']) expect(await c.say(`/as ${bad}`), bad).toMatch(/^A name is letters, digits, dots, dashes and underscores \(got “.+”\), e\.g\. \/as alice\.\n$/);
    expect(await c.say('/as jean-luc o.brien')).toBe('Now speaking as jean-luc-o.brien.\n');
    expect(await c.say(`/as ${'a'.repeat(40)}`)).toBe(`Now speaking as ${'a'.repeat(32)}. (A name keeps its first 32 characters.)\n`);
  });

  it('comes back to the same person with /as me, not a new player called "me"', async () => {
    const c = chat();
    const card = await c.say('acks');
    await c.say(/\[(\d+)\] I knew this/.exec(card)![1]!);
    const mine = await c.say('/progress');
    expect(mine).toContain('1 seen');
    await c.say('/as alice');
    expect(await c.say('/progress')).toContain('Nothing yet');
    expect(await c.say('/as me')).toBe('Speaking as yourself again.\n');
    expect(await c.say('/progress')).toBe(mine);
  });

  it('takes /as ALICE for the same person as /as alice, as chat names are', async () => {
    const c = chat();
    await c.say('/as alice');
    const card = await c.say('acks');
    await c.say(/\[(\d+)\] I knew this/.exec(card)![1]!);
    expect(await c.say('/as ALICE')).toBe('Now speaking as ALICE.\n');
    expect(await c.say('/progress')).toContain('1 seen');
    await c.say('/as bob');
    expect(await c.say('/progress')).toContain('Nothing yet');
  });
});

describe('interactive console', () => {
  it('takes no line read before a stop signal but not yet handled, as a stopping bot takes no new request', async () => {
    const { app } = testApp(dir);
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString()));
    const signals = new EventEmitter();
    const chat = new ConsoleAdapter({ input, output, interactive: false, signals });
    chat.attach(app.bot);
    const running = chat.run();
    await new Promise((r) => setImmediate(r));
    input.write('acks\n/quiz kafka 1\n');
    signals.emit('SIGTERM');
    expect(await running).toBe('SIGTERM');
    expect(printed).not.toContain('Producer acks');
    expect(printed).not.toContain('Started a');
    expect(chat.linesRead).toBe(0);
    await app.close();
  });

  it('redraws the prompt under a message that arrives on its own, and lays long buttons out one per line', async () => {
    const { app, input, terminal, running, printed } = inTerminal();
    await new Promise((r) => setImmediate(r));
    await terminal.send('console:local', { blocks: [{ type: 'text', text: 'Reveal!' }, { type: 'buttons', buttons: ['a', 'b', 'c', 'd'].map((x) => ({ action: x, label: `${x} `.repeat(30) })) }] });
    input.end('/quit\n');
    await running;
    const shown = screen(printed());
    expect(shown).toMatch(/leave\.\nReveal!\n\n\[1\] a[ a]+\n\[2\] b/);
    expect(shown).toMatch(/\nyou> \/quit\n*$/);
    await app.close();
  });

  for (const [typed, keys] of [['/quit followed by words ("/quit now")', '/quit now\n'], ['Ctrl-C', '\u0003']]) {
    it(`leaves on ${typed}, as on /quit`, async () => {
      const { app } = testApp(dir);
      const input = new PassThrough();
      const terminal = new ConsoleAdapter({ input, output: new PassThrough(), interactive: true });
      terminal.attach(app.bot);
      const running = terminal.run();
      await new Promise((r) => setImmediate(r));
      input.write(keys);
      expect(await running).toBe('quit');
      await app.close();
    });
  }

  it('takes lines pasted together as one question: at once when the paste ends with a newline, else at Enter', async () => {
    const { app, input, running, printed, cards } = inTerminal();
    await settle();
    expect(printed()).toContain('\u001b[?2004h');
    // Apart, "/explain kafka" and "acks" would be two answers.
    input.write('\u001b[200~/explain kafka\racks\r\u001b[201~');
    await settle();
    expect(cards()).toEqual(['== Producer acks ==']);
    input.write('\u001b[200~/explain spark\rrdd\u001b[201~');
    await settle();
    expect(cards()).toHaveLength(1);
    input.write(' \r');
    await settle();
    expect(cards()).toEqual(['== Producer acks ==', '== RDD ==']);
    input.end('/quit\n');
    await running;
    expect(printed().endsWith('\u001b[?2004l')).toBe(true);
    await app.close();
  });

  it('takes lines that arrive together in a terminal as one paste, though the terminal does not mark it', async () => {
    const { app, input, running, cards } = inTerminal();
    await settle();
    input.write('/explain kafka\racks\r');
    await settle();
    expect(cards()).toEqual(['== Producer acks ==']);
    // Without a newline at its end, the paste waits for Enter, as typed text does.
    input.write('/explain spark\rrdd');
    await settle();
    expect(cards()).toHaveLength(1);
    input.write('\r');
    await settle();
    expect(cards()).toEqual(['== Producer acks ==', '== RDD ==']);
    // Lines typed one at a time stay questions of their own.
    input.write('acks\r');
    await settle();
    input.write('rdd\r');
    await settle();
    expect(cards()).toHaveLength(4);
    input.end('/quit\n');
    await running;
    await app.close();
  });

  it('keeps half-typed input on screen and in the line when a message arrives', async () => {
    const { app, input, terminal, running, printed } = inTerminal();
    const tick = () => new Promise((r) => setImmediate(r));
    await tick();
    input.write('kaf');
    await tick();
    await terminal.send('console:local', { blocks: [{ type: 'text', text: 'Reveal!' }] });
    expect(screen(printed()).split('\n').slice(-3)).toEqual(['Reveal!', '', 'you> kaf']);
    input.write('ka acks\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen(printed())).toContain('you> kafka acks\n== Producer acks ==');
    input.end('/quit\n');
    await running;
    await app.close();
  });
});

describe('npm start with piped input', () => {
  /** The console bot as `npm start` runs it with no platform set, these lines piped in. */
  const piped = (input: string, knowledgeDir = dir) =>
    spawnSync(process.execPath, ['dist/main.js'], {
      input,
      env: { ...process.env, KNOWLEDGE_DIR: knowledgeDir, SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });

  /**
   * The bot with `args`, whose reader of stdout goes away (`npm start | head`): after its answer to
   * `first`, or at once when there is none. The other lines are asked after that, and the input ends.
   */
  const readerGone = async (args: string[], first: string | undefined, later: string[]) => {
    const child = spawn(process.execPath, ['dist/main.js', ...args], {
      env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    if (first !== undefined) {
      child.stdin.write(`${first}\n`);
      await once(child.stdout, 'data');
    }
    child.stdout.destroy();
    for (const line of later) child.stdin.write(`${line}\n`);
    child.stdin.end();
    const [code] = (await exited) as [number | null];
    return { code, stderr };
  };

  it('ends quietly when nothing reads its output any more (`npm start | head -1`), and so does --help', async () => {
    const chat = await readerGone([], '/explain acks', ['/explain isr', '/explain rdd', '/quiz kafka']);
    expect(chat.stderr).not.toMatch(/EPIPE|unexpected error|at /);
    expect(chat.code).toBe(0);
    const help = await readerGone(['--help'], undefined, []);
    expect(help.stderr).not.toMatch(/EPIPE|at /);
    expect(help.code).toBe(0);
  });

  it('answers each line and exits at the end of input', () => {
    const result = piped('/explain kafka acks\n/explain\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('== Producer acks ==');
    expect(result.stdout).toContain('Usage: `/explain');
    expect(result.stderr).toBe('');
  });

  it('prints what a command says before the messages it posted ("Started a quiz", then its first question)', () => {
    const result = piped('/quiz kafka 1\n', REAL_KNOWLEDGE_DIR);
    expect(result.status).toBe(0);
    const started = result.stdout.indexOf('Started a 1-question quiz');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(result.stdout.indexOf('== Question 1 of 1')).toBeGreaterThan(started);
  });

  it('names the variable when the configuration is wrong', () => {
    const result = spawnSync(process.execPath, ['dist/main.js'], { input: '', env: { ...process.env, KNOWLEDGE_DIR: dir, QUIZ_ANSWER_SECONDS: 'abc' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600, such as 30 or 30s (got "abc")');
    expect(result.stderr).not.toContain('    at ');
  });

  it('leaves no database folder behind when the knowledge base does not load', () => {
    const home = mkdtempSync(join(tmpdir(), 'backfill-start-'));
    const result = spawnSync(process.execPath, ['dist/main.js'], { input: '', env: { ...process.env, KNOWLEDGE_DIR: join(home, 'no-such-knowledge'), SQLITE_PATH: join(home, 'data', 'backfill.sqlite'), SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('knowledge directory not found');
    expect(existsSync(join(home, 'data'))).toBe(false);
  });

  it('says why it stops at once when no platform is configured and its input is empty, as under a supervisor', () => {
    const env = { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' };
    const empty = spawnSync(process.execPath, ['dist/main.js'], { input: '', env, encoding: 'utf8' });
    expect(empty.status).toBe(0);
    expect(empty.stderr).toContain('No Slack or Discord settings are set, so this ran the console chat, and its input ended before any line');
    const asked = spawnSync(process.execPath, ['dist/main.js'], { input: 'acks\n', env, encoding: 'utf8' });
    expect(asked.stderr).not.toContain('No Slack or Discord settings are set');
  });

  it('says that the console chat serves no health endpoint when HEALTH_PORT is set', () => {
    const result = spawnSync(process.execPath, ['dist/main.js'], { input: '', env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: tempDatabase(), HEALTH_PORT: '8099', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('HEALTH_PORT is set, but the health endpoint is served by Slack and Discord processes only');
  });

  it('names SQLITE_PATH when the database file cannot be created', () => {
    const result = spawnSync(process.execPath, ['dist/main.js'], { input: '', env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: '/etc/passwd/backfill.sqlite' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('SQLITE_PATH: cannot create or open a SQLite database at /etc/passwd/backfill.sqlite');
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('backfill CLI', () => {
  const cli = (args: string[], input = '') =>
    spawnSync(process.execPath, ['dist/cli/main.js', ...args], { input, env: { ...process.env, KNOWLEDGE_DIR: dir }, encoding: 'utf8' });

  it('explains with --json, and in batch one JSON line per query', () => {
    const single = JSON.parse(cli(['explain', 'kafka', 'acks', '--json']).stdout);
    expect(single.match).toMatchObject({ id: 'kafka/acks', topic: 'kafka', title: 'Producer acks', aliases: ['acks'] });
    const lines = cli(['explain', '--batch', '--json'], 'acks\nbake bread\n').stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].match.id).toBe('kafka/acks');
    expect(lines[1]).toEqual({ query: 'bake bread', match: null, suggestions: [], notCovered: [] });
  });

  it('in batch JSON, suggests the ids spelt nearest to a query written as a card id, in the same shape', () => {
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'explain', '--batch', '--json'], { input: 'kafka/consumer-grp\nnosuch/card-id\n', env: { ...process.env, KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR }, encoding: 'utf8' });
    const [near, none] = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(near)).toEqual(['query', 'match', 'suggestions', 'notCovered']);
    expect(near.match).toBeNull();
    expect(near.suggestions[0]).toEqual({ id: 'kafka/consumer-group', topic: 'kafka', title: 'Kafka consumer group' });
    expect(near.suggestions.map((s: { id: string }) => s.id)).toEqual(['kafka/consumer-group', 'kafka/consumer-lag', 'kafka/consumer']);
    expect(none).toEqual({ query: 'nosuch/card-id', match: null, suggestions: [], notCovered: [] });
  });

  it('validates and lists the knowledge base', () => {
    expect(cli(['kb', 'validate']).stdout).toMatch(/^OK: 3 concepts in 2 topics/);
    expect(JSON.parse(cli(['kb', 'list', '--json']).stdout).map((c: { id: string }) => c.id)).toEqual(['kafka/acks', 'kafka/isr', 'spark/rdd']);
    const broken = spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'validate'], {
      env: { ...process.env, KNOWLEDGE_DIR: writeKnowledge([{ id: 'kafka/a', title: 'A', related: ['kafka/zzz'] }]) },
      encoding: 'utf8',
    });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('kafka/a.md: related[0]: unknown concept id "kafka/zzz"');
  });

  it('answers bad usage with a message, not a stack trace', () => {
    const r = cli(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Unknown command "frobnicate"');
    expect(cli(['explain', '--nope']).stderr).toContain('unknown option --nope; to ask about a flag, put -- before the question: backfill explain -- --nope\nUsage: backfill explain');
    expect(cli(['explain']).status).toBe(2);
  });
});


