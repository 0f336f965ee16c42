import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('takes only each command\'s own flags', () => {
    for (const [args, message] of [
      [['kb', 'validate', '--json'], '--json is not an option of "backfill kb validate" (it takes none).'],
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
