import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDatabase } from '../helpers/app.js';
import { TOPICS, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

const quizzable = (id: string, title: string): ConceptFixture => ({
  id,
  title,
  quiz: [{ question: `Which statement about ${title} holds?`, answer: `right about ${title}`, wrong: ['wrong one', 'wrong two', 'wrong three'], why: `Because of ${title}.` }],
});
const dir = writeKnowledge(
  [quizzable('kafka/acks', 'Producer acks'), quizzable('kafka/streams', 'Kafka Streams'), quizzable('kafka/streams-state', 'State stores'), quizzable('spark/rdd', 'RDD')],
  {},
  [{ ...TOPICS[0], subtopics: [{ id: 'kafka-streams', name: 'Kafka Streams', names: ['kafka streams'], concepts: ['streams*'] }] }, TOPICS[1]],
);
const env = { ...process.env, KNOWLEDGE_DIR: dir, npm_config_update_notifier: 'false' };
const cli = (args: string[], input = '') => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { input, env, encoding: 'utf8' });

describe('the backfill command', () => {
  it('filters kb list by topic or subtopic, and refuses an unknown one with a did-you-mean', () => {
    const spark = JSON.parse(cli(['kb', 'list', '--topic', 'spark', '--json']).stdout) as Array<{ id: string }>;
    expect(spark.map((c) => c.id)).toEqual(['spark/rdd']);
    const streams = JSON.parse(cli(['kb', 'list', '--topic', 'kafka streams', '--json']).stdout) as Array<{ id: string; topic: string; title: string; aliases: string[]; summary: string }>;
    expect(streams.map((c) => c.id).sort()).toEqual(['kafka/streams', 'kafka/streams-state']);
    expect(Object.keys(streams[0]!)).toEqual(['id', 'topic', 'title', 'aliases', 'summary']);
    const wrong = cli(['kb', 'list', '--topic', 'kafak']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('Unknown topic "kafak". Did you mean "kafka"?');
  });

  it('points an unknown topic to the command that lists the subtopics, and kb stats lists them with written and generated questions', () => {
    for (const args of [['kb', 'list', '--topic', 'kafak'], ['quiz', 'sample', '--topic', 'kafak'], ['daily', 'preview', '--topics', 'kafak']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('Unknown topic "kafak". Did you mean "kafka"? Topics: kafka, spark; subtopics such as kafka-streams (backfill kb stats lists them under their topics).');
    }
    expect(cli(['quiz', 'sample', '--topic', 'kafka stream']).stderr).toContain('Did you mean "kafka streams"?');
    // A card's id: that card's questions, for its author; a misspelt one is named with the card it is near.
    const card = JSON.parse(cli(['quiz', 'sample', '--topic', 'kafka/acks', '--count', '50', '--json']).stdout) as Array<{ concept: string }>;
    expect(card.length).toBeGreaterThan(0);
    expect(new Set(card.map((q) => q.concept))).toEqual(new Set(['kafka/acks']));
    expect(cli(['quiz', 'sample', '--topic', 'kafka/akcs']).stderr).toContain('--topic: no card "kafka/akcs" (did you mean kafka/acks?)');
    expect(cli(['quiz', 'sample', '--topic', '']).stderr).toContain('--topic needs a topic or subtopic');
    const text = cli(['kb', 'stats']).stdout;
    expect(text).toMatch(/^topic +concepts +written +generated\nkafka +3 +3 +\d+\n  kafka-streams +2 +2 +\d+\nspark /);
    const stats = JSON.parse(cli(['kb', 'stats', '--json']).stdout) as { topics: Array<{ id: string; concepts: number; questions: number; generated: number; subtopics: Array<{ id: string; name: string; concepts: number; questions: number; generated: number }> }>; total: { concepts: number; questions: number; generated: number } };
    const kafka = stats.topics.find((t) => t.id === 'kafka')!;
    expect(kafka).toMatchObject({ concepts: 3, questions: 3 });
    expect(kafka.subtopics).toEqual([{ id: 'kafka-streams', name: 'Kafka Streams', concepts: 2, questions: 2, generated: expect.any(Number) }]);
    expect(Object.keys(stats.total)).toEqual(['concepts', 'questions', 'generated']);
    // What a quiz draws from is what kb stats counts: written and generated.
    const drawn = /of (\d+) questions in Apache Kafka \((\d+) written in the cards, (\d+) generated from their summaries/.exec(cli(['quiz', 'sample', '--topic', 'kafka', '--count', '1']).stdout);
    expect(drawn?.slice(1).map(Number)).toEqual([kafka.questions + kafka.generated, kafka.questions, kafka.generated]);
  });

  it('names an unknown option with a did-you-mean and the command\'s usage, and a missing subcommand with the list', () => {
    const option = cli(['explain', '--jsn', 'kafka']);
    expect(option.status).toBe(2);
    expect(option.stderr).toBe('unknown option --jsn (did you mean --json?)\nUsage: backfill explain <query...> [--json]\n       backfill explain --batch --json\nRun "backfill help" for usage.\n');
    expect(cli(['kb', 'list', '--topic']).stderr).toContain('--topic needs a value\nUsage: backfill kb list [--topic T] [--json]');
    const empty = cli(['explain', '--json']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/^explain: no question given\. Usage: backfill explain <query\.\.\.> \[--json\], e\.g\. backfill explain kafka acks/);
    expect(cli(['kb', 'list', '-topic', 'kafka']).stderr).toMatch(/^unknown option -topic \(did you mean --topic\?\)\n/);
    // A flag asked about, not given: where to put it.
    const asked = cli(['explain', 'terraform', '-replace']);
    expect(asked.status).toBe(2);
    expect(asked.stderr).toMatch(/^unknown option -replace; to ask about a flag, put -- before the question: backfill explain -- terraform -replace\n/);
    // ... the flag alone too.
    expect(cli(['explain', '-target']).stderr).toMatch(/^unknown option -target; to ask about a flag, put -- before the question: backfill explain -- -target\n/);
    expect(cli(['explain', '--num-executors']).stderr).toMatch(/^unknown option --num-executors; to ask about a flag, put -- before the question: backfill explain -- --num-executors\n/);
    const afterDashes = cli(['explain', '--', 'terraform', '-replace']);
    expect(afterDashes.stdout).toContain('“terraform -replace”');
    expect(afterDashes.stderr).not.toContain('unknown option');
    // A query beside --batch would be ignored: it is refused.
    const batch = cli(['explain', '--batch', '--json', 'kafka']);
    expect(batch.status).toBe(2);
    expect(batch.stderr).toContain('--batch reads its queries from stdin, one per line: drop "kafka", or drop --batch to ask it alone');
    // An empty topic is refused, not read as "every topic"; a short flag is named by its long name.
    for (const empty of ['', ',,,']) {
      const listed = cli(['kb', 'list', '--topic', empty]);
      expect(listed.status, empty).toBe(2);
      expect(listed.stderr, empty).toMatch(/--topic needs a topic or subtopic, such as \w+ or \w+\. Topics: /);
    }
    expect(cli(['-o']).stderr).toContain('--output needs a value');
    const negative = cli(['quiz', 'sample', '--count', '-3']);
    expect(negative.status).toBe(2);
    // A negative number is out of range, said as 0 would be: one message for a flag.
    expect(negative.stderr).toContain('--count takes a whole number from 1 to 1000 (got "-3").');
    expect(cli(['kb', 'gaps', '--days', '-1']).stderr).toBe(cli(['kb', 'gaps', '--days', '0']).stderr.replace('"0"', '"-1"'));
    // A value that starts with a dash and is no number may be meant as the value.
    expect(cli(['kb', 'list', '--topic', '-x']).stderr).toContain('--topic needs a value; "-x" reads as an option (write --topic=-x to give it as the value)');
    expect(cli(['--versoin']).stderr).toContain('unknown option --versoin (did you mean --version?)');
    // A command's flag with no command is refused, not dropped for the general help.
    const alone = cli(['--json']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--json goes with a command, e.g. "backfill kb list --json".');
    const kb = cli(['kb']);
    expect(kb.status).toBe(2);
    expect(kb.stderr).toContain('backfill kb needs a subcommand: validate, list, stats, stale, gaps, reports.\nUsage: backfill kb validate [FILE...] [--json]\n       backfill kb list [--topic T] [--json]');
    expect(cli(['kb', 'lst']).stderr).toContain('Unknown kb command "lst" (did you mean "list"?)');
    expect(cli(['exlpain', 'acks']).stderr).toContain('Unknown command "exlpain". Did you mean "backfill explain"?');
  });

  it('gives each subcommand the usage line backfill help lists', () => {
    const help = cli(['help']).stdout;
    for (const [args, line] of [
      [['quiz'], 'backfill quiz sample [--topic T] [--count N] [--seed N] [--json]'],
      [['quiz', 'smaple'], 'backfill quiz sample [--topic T] [--count N] [--seed N] [--json]'],
      [['daily'], 'backfill daily preview [--days N] [--topics T,...] [--seed N] [--json]'],
    ] as const) {
      const r = cli([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`Usage: ${line}\n`);
      expect(help).toContain(`  ${line}\n`);
    }
  });

  it('prints a command\'s own help for --help: what it does, each of its flags, examples', () => {
    const general = cli(['help']).stdout;
    for (const [args, name, flag] of [
      [['discord', 'deploy', '--help'], 'discord deploy', /\n {2}--guild ID +only in the server with this id \(17–20 digits\), at once\n/],
      [['kb', 'validate', '--help'], 'kb validate', /\nFlags:\n {2}--json +print JSON instead of text\n/],
      [['kb', 'gaps', '-h'], 'kb gaps', /\n {2}--days N +questions asked in the last N days \(default 30, at most 3650\)\n/],
      [['quiz', 'sample', '--help'], 'quiz sample', /\n {2}--count N +how many questions \(default 10, at most 1000\)\n/],
      [['daily', 'preview', '--help'], 'daily preview', /\n {2}--days N +how many days to show \(default 14, at most 366\)\n/],
      [['explain', '--help'], 'explain', /\n {2}--batch +read one query per stdin line/],
      [['help', 'kb', 'stale'], 'kb stale', /\n {2}--today YYYY-MM-DD +measure ages from this day/],
    ] as const) {
      const r = cli([...args]);
      expect(r.status, args.join(' ')).toBe(0);
      const usage = general.split('\n').find((l) => l.startsWith(`  backfill ${name} `) || l === `  backfill ${name}`)!;
      expect(r.stdout, args.join(' ')).toMatch(new RegExp(`^Usage:\\n${usage.replace(/[[\]().*+?|]/g, '\\$&')}\\n`));
      expect(r.stdout, args.join(' ')).toMatch(flag);
      expect(r.stdout, args.join(' ')).toMatch(new RegExp(`\\nExamples?:\\n {2}\\S*.*backfill ${name}`));
      expect(r.stdout, args.join(' ')).not.toContain('backfill chat');
    }
    // A group lists its commands; a misspelt one is the usual did-you-mean.
    const kb = cli(['kb', '--help']);
    expect(kb.stdout).toContain('  backfill kb gaps [--days N] [--json]');
    expect(kb.stdout).toContain('Run "backfill kb <command> --help" for a command\'s flags and examples.');
    expect(cli(['kb', 'lst', '--help']).stderr).toContain('Unknown kb command "lst" (did you mean "list"?)');
    expect(cli(['exlpain', '--help']).stderr).toContain('Unknown command "exlpain". Did you mean "backfill explain"?');
    expect(cli(['--help']).stdout).toBe(general);
  });

  it('reads the knowledge base without a broken card, saying so, as the bot does; kb validate refuses it', () => {
    const broken = writeKnowledge([quizzable('kafka/acks', 'Producer acks'), quizzable('kafka/lag', 'Consumer lag')], { 'kafka/bad.md': '---\nid: kafka/bad\ntitle: Bad\nalias: [bad]\n---\nno summary\n' });
    const run = (args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { env: { ...env, KNOWLEDGE_DIR: broken }, encoding: 'utf8' });
    const list = run(['kb', 'list', '--json']);
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(['kafka/acks', 'kafka/lag']);
    expect(list.stderr).toContain('warning: knowledge card kafka/bad.md skipped');
    expect(list.stderr).toContain('run `npm run backfill -- kb validate`');
    const explained = run(['explain', 'consumer lag']);
    expect(explained.status).toBe(0);
    expect(explained.stdout).toContain('Consumer lag');
    expect(run(['quiz', 'sample', '--count', '1']).status).toBe(0);
    const validate = run(['kb', 'validate']);
    expect(validate.status).toBe(1);
    expect(validate.stdout + validate.stderr).toContain('kafka/bad.md');
    // For an editor or a pull request's annotations: each problem with its path from here.
    const json = run(['kb', 'validate', '--json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; concepts: number; problems: Array<{ file: string; path: string; line: number | null; field: string; message: string }> };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.file)).toContain('kafka/bad.md');
    expect(report.problems.every((p) => existsSync(resolve(p.path)) && p.message.length > 0)).toBe(true);
    // The line of the field, or of the unknown key; a field that is missing has none to point at.
    expect(report.problems.find((p) => p.message.startsWith('unknown field "alias"'))).toMatchObject({ line: 4, message: 'unknown field "alias" (did you mean "aliases"?)' });
    expect(report.problems.find((p) => p.field === 'summary')).toMatchObject({ line: null });
    // One card: its problems only (the others still read, for the links and names between cards).
    const one = run(['kb', 'validate', 'kafka/acks.md']);
    expect(one.stdout).toMatch(/^OK: kafka\/acks\.md \(checked with the 2 concepts of .*\)\n$/);
    expect(one.status).toBe(0);
    expect(run(['kb', 'validate', join(broken, 'kafka/bad.md')]).stdout).toMatch(/\n\n(1 problem|\d+ problems) in kafka\/bad\.md\n$/);
    const none = run(['kb', 'validate', 'kafka/nope.md']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('kb validate: no such card file: "kafka/nope.md"; `backfill kb list` lists the cards of');
    // A slip in the name gets the card it is near; a file that is there but no card is told what a card is.
    expect(run(['kb', 'validate', 'kafka/ack.md']).stderr).toContain('kb validate: no such card file: "kafka/ack.md" (did you mean kafka/acks.md?)');
    const notCard = run(['kb', 'validate', join(broken, 'topics.yaml')]);
    expect(notCard.status).toBe(2);
    expect(notCard.stderr).toContain('is no card file of');
  });

  it('says what a Discord server id looks like, before it needs any configuration', () => {
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'discord', 'deploy', '--guild', '123'], { env: { ...env, DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--guild: a Discord server id is a 17–20 digit number (got "123").');
  });

  it('explains on the command line with commands to type next, not chat buttons', () => {
    const linked = writeKnowledge([
      { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], related: ['kafka/isr'] },
      { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['isr'] },
    ]);
    const explain = (query: string) => spawnSync(process.execPath, ['dist/cli/main.js', 'explain', query], { env: { ...env, KNOWLEDGE_DIR: linked }, encoding: 'utf8' });
    const found = explain('acks');
    expect(found.status).toBe(0);
    expect(found.stdout).toContain('== Producer acks ==');
    expect(found.stdout).toMatch(/Read next:\n  backfill explain kafka\/isr +In-sync replicas\n/);
    const none = explain('flink');
    expect(none.status).toBe(3);
    expect(none.stdout).toContain('I have no card that matches “flink”.');
    expect(none.stdout).toContain('Every card: backfill kb list');
    for (const r of [found, none]) {
      expect(r.stdout).not.toMatch(/\[\d+\]/);
      expect(r.stdout).not.toContain('/topics');
    }
  });

  it('says in JSON which tools a question names that no card covers, and none beside a card', () => {
    // The shipped knowledge base, with its list of tools no card covers.
    const real = (args: string[], input = '') => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { input, env: { ...env, KNOWLEDGE_DIR: 'knowledge' }, encoding: 'utf8' });
    const uncovered = JSON.parse(real(['explain', '--json', 'flink', 'checkpoints']).stdout);
    expect(uncovered).toMatchObject({ query: 'flink checkpoints', match: null, suggestions: [], notCovered: ['flink'] });
    const lines = real(['explain', '--batch', '--json'], 'kafka acks\nasdfgh\n').stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.match?.id ?? null, l.notCovered])).toEqual([['kafka/acks', []], [null, []]]);
  });

  it('prints its version, and bounds --seed to what a 32-bit seed holds', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) expect(cli([flag]).stdout).toBe(`backfill ${version}\n`);
    expect(cli(['quiz', 'sample', '--seed', '2147483648']).stderr).toContain('--seed takes a whole number from 1 to 2147483647');
    expect(cli(['quiz', 'sample', '--seed', '2147483647', '--json']).status).toBe(0);
  });

  it('refuses words a command does not read, with the flag they were likely meant for', () => {
    for (const [args, message] of [
      [['kb', 'gaps', '7'], '"backfill kb gaps" takes no words after it (got "7"). Did you mean "backfill kb gaps --days 7"?\nUsage: backfill kb gaps [--days N] [--json]'],
      [['kb', 'list', 'kafka', 'spark'], '(got "kafka spark"). Did you mean "backfill kb list --topic kafka"?'],
      [['quiz', 'sample', '5'], 'Did you mean "backfill quiz sample --count 5"?'],
      [['chat', 'now'], '"backfill chat" takes no words after it (got "now").\nUsage: backfill chat'],
      [['slack', 'manifest', 'extra'], '"backfill slack manifest" takes no words after it (got "extra").'],
    ] as const) {
      const r = cli([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toContain(message);
    }
    expect(cli(['explain', 'kafka', 'acks']).status).toBe(0);
    // An empty word gets no guess; a huge one is cut short.
    expect(cli(['kb', 'list', '']).stderr).toContain('"backfill kb list" takes no words after it (got "").\nUsage:');
    expect(cli(['kb', 'gaps', 'x'.repeat(3000)]).stderr.split('\n')[0]).toBe(`"backfill kb gaps" takes no words after it (got "${'x'.repeat(37)}...").`);
  });

  it('takes only each command\'s own flags', () => {
    for (const [args, message] of [
      [['chat', '--json'], '--json is not an option of "backfill chat" (it takes none).'],
      [['kb', 'list', '--guild', '1'], '--guild is not an option of "backfill kb list" (it takes --json, --topic, --topics, --output).'],
      [['explain', 'acks', '--days', '3'], '--days is not an option of "backfill explain"'],
    ] as const) {
      const r = cli([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('previews the same daily posts every run, and another draw with --seed', () => {
    const once = cli(['daily', 'preview', '--days', '4', '--topics', 'kafka streams', '--json']).stdout;
    expect(cli(['daily', 'preview', '--days', '4', '--topics', 'kafka streams', '--json']).stdout).toBe(once);
    const plan = JSON.parse(once) as Array<{ concept: string }>;
    for (const day of plan) expect(day.concept).toMatch(/^kafka\/streams/);
    const sample = (seed: string) => cli(['quiz', 'sample', '--topic', 'kafka', '--count', '3', '--seed', seed, '--json']).stdout;
    expect(sample('7')).toBe(sample('7'));
  });

  it('ends quietly when the reader of its output goes away', () => {
    const r = spawnSync('bash', ['-c', 'set -o pipefail; node dist/cli/main.js kb list | head -1; echo "exit $?" >&2'], { env, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('exit 0\n');
  });

  it('writes its output to a file with --output, where nothing else can get into it', () => {
    const file = join(tempDatabase(), '..', 'explain.json');
    const r = cli(['explain', 'kafka', 'acks', '--json', '--output', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).match.id).toBe('kafka/acks');
    expect(cli(['kb', 'list', '--output', '/nonexistent/dir/x.json']).stderr).toContain('--output: cannot write /nonexistent/dir/x.json (ENOENT)');
  });

  it('gives clean JSON through npm run -s, and says why when npm\'s banner got in first', () => {
    const npm = (args: string[]) => spawnSync('npm', args, { env, encoding: 'utf8' });
    const silent = npm(['run', '-s', 'backfill', '--', 'explain', 'kafka', 'acks', '--json']);
    expect(JSON.parse(silent.stdout).match.id).toBe('kafka/acks');
    expect(silent.stderr).toBe('');
    const loud = npm(['run', 'backfill', '--', 'explain', 'kafka', 'acks', '--json']);
    expect(loud.stdout).toMatch(/^\n> backfill@/);
    expect(loud.stderr).toContain('npm run -s backfill -- ...');
  });
});
