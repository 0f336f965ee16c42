import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { kbCli } from '../../src/cli/kb.js';
import { UsageError } from '../../src/cli/errors.js';
import { formatProblem, readKnowledge } from '../../src/knowledge/load.js';
import { compareVersions, isIsoDay, isNewMajor, oneYearBefore } from '../../src/knowledge/stale.js';
import { REAL_KNOWLEDGE_DIR, TOPICS, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

const RELEASED = [
  { ...TOPICS[0], releases: { kafka: '5.0' } },
  { ...TOPICS[1], releases: { spark: '4.3', delta: '0.19' } },
];

const CARDS: ConceptFixture[] = [
  { id: 'kafka/acks', title: 'Producer acks', reviewed: { date: '2025-11-30', versions: { kafka: '4.4' } } },
  { id: 'kafka/isr', title: 'In-sync replicas', reviewed: { date: '2026-06-01', versions: { kafka: '5.0' } } },
  { id: 'kafka/old', title: 'Old card', reviewed: { date: '2024-06-01', versions: { kafka: '5.0' } } },
  { id: 'spark/rdd', title: 'RDD' },
  { id: 'spark/fresh', title: 'Fresh', reviewed: { date: '2026-01-15', versions: { spark: '4.0', delta: '0.19' } } },
];

function run(dir: string, args: { json?: boolean; today?: string; now?: () => Date } = {}): { code: number; out: string } {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const code = kbCli('stale', dir, args.json ?? false, sink, { today: args.today, now: args.now });
  return { code, out };
}

describe('versions and dates', () => {
  it('compares versions numerically and counts a new major (a new minor for 0.x) as a new major', () => {
    expect(compareVersions('4.10', '4.9')).toBe(1);
    expect(compareVersions('4', '4.0')).toBe(0);
    expect(isNewMajor('4.4', '5.0')).toBe(true);
    expect(isNewMajor('4.4', '4.9')).toBe(false);
    expect(isNewMajor('3.9', '3.10')).toBe(false);
    expect(isNewMajor('1.12', '2.0')).toBe(true);
    expect(isNewMajor('0.18', '0.19')).toBe(true);
    expect(isNewMajor('0.18', '0.18.1')).toBe(false);
    expect(isNewMajor('5.0', '4.4')).toBe(false);
  });

  it('measures a year back by the calendar and checks dates for real', () => {
    expect(oneYearBefore('2027-11-30')).toBe('2026-11-30');
    expect(oneYearBefore('2028-02-29')).toBe('2027-02-28');
    expect(isIsoDay('2026-11-30')).toBe(true);
    expect(isIsoDay('2026-02-30')).toBe(false);
    expect(isIsoDay('30.11.2026')).toBe(false);
  });
});

describe('backfill kb stale', () => {
  const dir = writeKnowledge(CARDS, {}, RELEASED);

  it('lists cards never reviewed, reviewed over a year ago, or before a new major release, and exits 1', () => {
    const { code, out } = run(dir, { today: '2026-11-30' });
    expect(code).toBe(1);
    expect(out).toBe(
      [
        'kafka/acks  reviewed against kafka 4.4; kafka 5.0 is out',
        'kafka/old   reviewed 2024-06-01, more than a year ago',
        'spark/rdd   never reviewed',
        '',
        '3 of 5 cards need a review (as of 2026-11-30).',
        '',
      ].join('\n'),
    );
  });

  it('counts a review exactly a year old as current, and one a day older as stale', () => {
    const aYear = writeKnowledge([{ id: 'kafka/a', title: 'A', reviewed: { date: '2026-11-30', versions: { kafka: '5.0' } } }], {}, RELEASED);
    expect(run(aYear, { today: '2027-11-30' }).code).toBe(0);
    expect(run(aYear, { today: '2027-12-01' }).out).toMatch(/^kafka\/a {2}reviewed 2026-11-30, more than a year ago\n/);
  });

  it('prints JSON: the day, how many cards were checked, and each stale card with its reasons', () => {
    const { code, out } = run(dir, { today: '2026-11-30', json: true });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      today: '2026-11-30',
      checked: 5,
      stale: [
        {
          id: 'kafka/acks',
          file: 'kafka/acks.md',
          title: 'Producer acks',
          reviewed: { date: '2025-11-30', versions: { kafka: '4.4' } },
          reasons: [{ kind: 'release', message: 'reviewed against kafka 4.4; kafka 5.0 is out', tool: 'kafka', reviewed: '4.4', current: '5.0' }],
        },
        {
          id: 'kafka/old',
          file: 'kafka/old.md',
          title: 'Old card',
          reviewed: { date: '2024-06-01', versions: { kafka: '5.0' } },
          reasons: [{ kind: 'age', message: 'reviewed 2024-06-01, more than a year ago', reviewed: '2024-06-01' }],
        },
        { id: 'spark/rdd', file: 'spark/rdd.md', title: 'RDD', reviewed: null, reasons: [{ kind: 'unreviewed', message: 'never reviewed' }] },
      ],
    });
  });

  it('gives both reasons when a card is old and behind a major release; 0.x tools go stale on a new minor', () => {
    const both = writeKnowledge([{ id: 'spark/x', title: 'X', reviewed: { date: '2020-01-01', versions: { spark: '3.5', delta: '0.18' } } }], {}, [
      { ...TOPICS[0], releases: { kafka: '5.0' } },
      { ...TOPICS[1], releases: { spark: '4.3', delta: '0.19' } },
    ]);
    expect(run(both, { today: '2026-11-30' }).out).toContain(
      'spark/x  reviewed 2020-01-01, more than a year ago; reviewed against spark 3.5; spark 4.3 is out; reviewed against delta 0.18; delta 0.19 is out',
    );
  });

  it('exits 0 and says so when nothing needs a review', () => {
    const fresh = writeKnowledge([{ id: 'kafka/a', title: 'A', reviewed: { date: '2026-06-01', versions: { kafka: '5.0' } } }], {}, RELEASED);
    expect(run(fresh, { today: '2026-11-30' })).toEqual({
      code: 0,
      out: 'Nothing to review: all 1 cards were reviewed within a year and against the current major releases (as of 2026-11-30).\n',
    });
    expect(JSON.parse(run(fresh, { today: '2026-11-30', json: true }).out)).toEqual({ today: '2026-11-30', checked: 1, stale: [] });
  });

  it('measures from the clock when no day is given, and refuses a day that is not one', () => {
    expect(run(dir, { now: () => new Date(2027, 0, 20, 12) }).out).toContain('(as of 2027-01-20)');
    expect(() => run(dir, { today: '2027-02-30' })).toThrowError(UsageError);
    expect(() => run(dir, { today: 'tomorrow' })).toThrowError(/--today takes a date like 2026-11-30 \(got "tomorrow"\)/);
  });
});

describe('reviews name the tools of their topic', () => {
  it('refuses a reviewed tool the topic has no release for, and a version newer than the release', () => {
    const problems = readKnowledge(
      writeKnowledge(
        [
          { id: 'kafka/a', title: 'A', reviewed: { date: '2026-11-30', versions: { kafak: '4.4' } } },
          { id: 'kafka/b', title: 'B', reviewed: { date: '2026-11-30', versions: { kafka: '44' } } },
          { id: 'spark/c', title: 'C', reviewed: { date: '2026-11-30', versions: { kafka: '5.0' } } },
        ],
        {},
        RELEASED,
      ),
    ).problems.map(formatProblem);
    expect(problems).toEqual([
      'kafka/a.md: reviewed.versions.kafak: "kafak" has no release under kafka in topics.yaml (it lists kafka); name a tool listed there, or add the tool\'s current release to topics.yaml',
      'kafka/b.md: reviewed.versions.kafka: kafka 44 is newer than its current release in topics.yaml (5.0); update topics.yaml or fix the version',
      'spark/c.md: reviewed.versions.kafka: "kafka" has no release under spark in topics.yaml (it lists spark, delta); name a tool listed there, or add the tool\'s current release to topics.yaml',
    ]);
  });

  it('refuses a review dated in the future: it would keep the card out of kb stale', () => {
    const ahead = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const problems = readKnowledge(writeKnowledge([{ id: 'kafka/a', title: 'A', reviewed: { date: ahead, versions: { kafka: '5.0' } } }], {}, RELEASED)).problems.map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^kafka/a\\.md: reviewed\\.date: ${ahead} is in the future \\(today is \\d{4}-\\d{2}-\\d{2}\\)`))]);
    // Today, and tomorrow (a review written east of Greenwich), are not.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(readKnowledge(writeKnowledge([{ id: 'kafka/a', title: 'A', reviewed: { date: tomorrow, versions: { kafka: '5.0' } } }], {}, RELEASED)).problems).toEqual([]);
  });

  it('refuses a review in a topic without releases, and an unquoted release number', () => {
    const noReleases = readKnowledge(writeKnowledge([{ id: 'kafka/a', title: 'A', reviewed: { date: '2026-11-30', versions: { kafka: '4.4' } } }])).problems;
    expect(noReleases.map(formatProblem)).toEqual([
      'kafka/a.md: reviewed.versions.kafka: "kafka" has no release under kafka in topics.yaml (it lists none); name a tool listed there, or add the tool\'s current release to topics.yaml',
    ]);
    const unquoted = readKnowledge(writeKnowledge([], {}, [{ ...TOPICS[0], releases: { kafka: 4.1 } }])).problems;
    expect(unquoted.map(formatProblem)).toContain('topics.yaml: [0].releases.kafka: must be a version in quotes, like "4.1" (unquoted, 4.10 reads as the number 4.1)');
  });
});

describe('backfill kb stale, as a command', () => {
  const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'stale', ...args], { env: { ...process.env, KNOWLEDGE_DIR: dir }, encoding: 'utf8' });

  it('exits 1 with the stale cards as JSON, 0 on the shipped knowledge base the day after its review, 2 on a bad date', () => {
    const stale = cli(writeKnowledge(CARDS, {}, RELEASED), '--today', '2026-11-30', '--json');
    expect(stale.stderr).toBe('');
    expect(stale.status).toBe(1);
    expect(JSON.parse(stale.stdout).stale.map((s: { id: string }) => s.id)).toEqual(['kafka/acks', 'kafka/old', 'spark/rdd']);
    const shipped = cli(REAL_KNOWLEDGE_DIR, '--today', '2026-12-01');
    expect(shipped.stdout).toMatch(/^Nothing to review: all \d+ cards/);
    expect(shipped.status).toBe(0);
    const bad = cli(REAL_KNOWLEDGE_DIR, '--today', 'soon');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--today takes a date like 2026-11-30');
  });
});
