import { describe, expect, it } from 'vitest';
import { choice, duration, integer, text, timeOfDay, timeZone, vocabularyList, weekdays, type Vocabulary } from '../../src/core/args.js';
import { describeDays } from '../../src/core/calendar.js';
import { arg, defineCommand, subcommand, type Command } from '../../src/core/command.js';
import { textConventions } from '../../src/core/conventions.js';
import { parseNative, parseWords } from '../../src/core/parse.js';
import { notice } from '../../src/core/reply.js';
import { readZone } from '../../src/core/zones.js';

const ok = async () => notice('ok');

/** A small vocabulary: kafka, spark and the two-word "kafka streams". */
const topics: Vocabulary = {
  read(words, at) {
    const two = words.slice(at, at + 2).join(' ').toLowerCase();
    if (two === 'kafka streams') return { ids: ['kafka-streams'], used: 2 };
    const one = words[at]!.toLowerCase();
    return ['kafka', 'spark', 'hive'].includes(one) ? { ids: [one], used: 1 } : one === 'all' ? { ids: ['*'], used: 1 } : undefined;
  },
  words: () => ['kafka', 'spark', 'hive'],
  unknown: (w) => `Unknown topic “${w}”.`,
  complete: () => [],
  show: (ids) => ids.join(', '),
};

const quiz: Command = defineCommand({
  name: 'quiz',
  summary: 'Quiz',
  default: 'start',
  subcommands: [
    subcommand({
      name: 'start',
      summary: 'Start',
      args: {
        topics: arg(vocabularyList(topics, { placeholder: 'topics', what: 'a topic' }), { description: 'Topics', default: [] }),
        count: arg(integer({ min: 1, max: 20, label: 'The number of questions' }), { description: 'How many', default: 5 }),
        seconds: arg(duration({ min: 5, max: 600, label: 'The time to answer' }), { description: 'Window', default: 20 }),
      },
      filler: ['me', 'on'],
      examples: ['kafka 3'],
      run: ok,
    }),
    subcommand({ name: 'stop', summary: 'Stop', args: {}, run: ok }),
    subcommand({ name: 'review', summary: 'Review', args: { topics: arg(vocabularyList(topics, { placeholder: 'topics', what: 'a topic' }), { description: 'Topics', default: [] }) }, run: ok }),
  ],
});

const subscribe: Command = defineCommand({
  name: 'sub',
  summary: 'Subscribe',
  args: {
    kind: arg(choice<'concept' | 'quiz' | 'both'>([{ value: 'concept', words: ['concepts'] }, { value: 'quiz' }, { value: 'both' }], 'a kind'), { description: 'Kind' }),
    time: arg(timeOfDay(), { description: 'Time' }),
    zone: arg(timeZone(), { description: 'Zone' }),
    topics: arg(vocabularyList(topics, { placeholder: 'topics', what: 'a topic' }), { description: 'Topics' }),
    days: arg(weekdays(), { description: 'Days' }),
  },
  run: ok,
});

const explain: Command = defineCommand({ name: 'explain', summary: 'Explain', args: { query: arg(text({ placeholder: 'question' }), { description: 'Q', required: true }) }, examples: ['kafka acks'], run: ok });

const words = (c: Command, line: string) => parseWords(c, line, textConventions);
const values = (c: Command, line: string) => {
  const p = words(c, line);
  if (!p.ok) throw new Error(p.error);
  return { sub: p.sub.name, ...p.values };
};
const error = (c: Command, line: string) => {
  const p = words(c, line);
  if (p.ok) throw new Error(`"${line}" parsed`);
  return p.error;
};

describe('one parser for every command', () => {
  it('reads typed arguments in any order, with defaults, filler and multi-word names', () => {
    expect(values(quiz, '')).toEqual({ sub: 'start', topics: [], count: 5, seconds: 20 });
    expect(values(quiz, '3 kafka 60s')).toEqual({ sub: 'start', topics: ['kafka'], count: 3, seconds: 60 });
    expect(values(quiz, 'me on kafka streams spark 2m')).toEqual({ sub: 'start', topics: ['kafka-streams', 'spark'], count: 5, seconds: 120 });
    expect(values(quiz, 'kafka,spark')).toMatchObject({ topics: ['kafka', 'spark'] });
    // A comma ends a multi-word name, and only that name: "kafka streams, spark" is not all of Kafka.
    expect(values(quiz, 'kafka streams, spark 2')).toMatchObject({ topics: ['kafka-streams', 'spark'], count: 2 });
    expect(values(quiz, 'kafka streams, 2')).toMatchObject({ topics: ['kafka-streams'], count: 2 });
    expect(values(quiz, 'kafka, hive')).toMatchObject({ topics: ['kafka', 'hive'] });
    expect(values(quiz, 'start hive 1')).toMatchObject({ sub: 'start', topics: ['hive'], count: 1 });
    expect(values(quiz, 'review spark')).toEqual({ sub: 'review', topics: ['spark'] });
    expect(values(quiz, 'STOP')).toEqual({ sub: 'stop' });
  });

  it('refuses every word it cannot read, by name, with a did-you-mean', () => {
    expect(error(quiz, 'kafak')).toBe('Unknown topic “kafak”. Did you mean “kafka”? Usage: `/quiz [topics] [1-20] [5s-10m]`, e.g. `/quiz kafka 3`.');
    expect(error(quiz, 'sotp')).toContain('Did you mean “/quiz stop”?');
    expect(error(quiz, 'skip')).toContain('Unknown topic “skip”');
    expect(error(quiz, 'review flink')).toContain('Unknown topic “flink”');
    // A comma ends a name: "kafka, streams" is not Kafka Streams.
    expect(error(quiz, 'kafka, streams')).toContain('Unknown topic “streams”');
    // A flag as a command line would take it: the values go by themselves.
    expect(error(quiz, '--count 3 kafka')).toBe('Commands here take no flags (got “--count”): give the values by themselves. Usage: `/quiz [topics] [1-20] [5s-10m]`, e.g. `/quiz kafka 3`.');
    expect(error(quiz, 'stop now')).toBe('`/quiz stop` takes nothing more (got “now”). Usage: `/quiz stop`.');
  });

  it('says what is wrong with a value of the right kind, and refuses it given twice', () => {
    expect(error(quiz, 'kafka 0')).toContain('The number of questions must be a whole number from 1 to 20 (got “0”).');
    expect(error(quiz, '2.5')).toContain('must be a whole number');
    expect(error(quiz, '3s')).toContain('The time to answer must be from 5s to 10m, such as 30s (got “3s”).');
    expect(error(quiz, '3 5')).toContain('“5”: you already gave the count (“3”).');
    // Out of range the second time too: the slip is a second count, not a count out of range.
    expect(error(quiz, '3 60')).toContain('“60”: you already gave the count (“3”). 60 seconds are written “60s”.');
  });

  it('reads a duration whose unit is a word of its own, and gives it the words it reads', () => {
    expect(values(quiz, 'kafka 2 90 seconds')).toMatchObject({ count: 2, seconds: 90 });
    expect(values(quiz, 'kafka 1 1 minute')).toMatchObject({ count: 1, seconds: 60 });
    // More of the words read as an answer time than as a count: one minute, not one question.
    expect(values(quiz, 'kafka 1 minute')).toMatchObject({ count: 5, seconds: 60 });
  });

  it('does not read "mongo" as Monday, nor a bare number as a time', () => {
    expect(error(subscribe, 'concept mongodb')).toMatch(/^I don't know “mongodb”: it is not a kind \(concept, quiz, both\), a time \(HH:MM\), a time zone/);
    expect(error(subscribe, '9')).toContain('did you mean “09:00”?');
    expect(values(subscribe, 'concept mon')).toMatchObject({ kind: 'concept', days: [1] });
  });

  it('reads times of day, zones the runtime knows, and days with ranges that wrap', () => {
    expect(values(subscribe, '9am')).toMatchObject({ time: '09:00' });
    expect(values(subscribe, '5:30pm')).toMatchObject({ time: '17:30' });
    expect(values(subscribe, '17.45')).toMatchObject({ time: '17:45' });
    expect(error(subscribe, '25:00')).toContain('“25:00” is not a time of day');
    expect(values(subscribe, 'europe/berlin')).toMatchObject({ zone: { zone: 'Europe/Berlin' } });
    expect(values(subscribe, 'UTC+2')).toMatchObject({ zone: { zone: 'Etc/GMT-2', given: 'UTC+2' } });
    for (const abbreviation of ['CET', 'PST', 'GMT']) expect(values(subscribe, abbreviation)).toMatchObject({ zone: { given: abbreviation } });
    expect(error(subscribe, 'berlin')).toContain('did you mean “Europe/Berlin”?');
    expect(error(subscribe, 'Europe/Berln')).toContain('is not a time zone I know: did you mean Europe/Berlin?');
    expect(values(subscribe, 'fri-mon')).toMatchObject({ days: [0, 1, 5, 6] });
    expect(values(subscribe, 'weekdays')).toMatchObject({ days: [1, 2, 3, 4, 5] });
    expect(values(subscribe, 'mon,wed,fri')).toMatchObject({ days: [1, 3, 5] });
    expect(values(subscribe, 'sun-sat')).toMatchObject({ days: [] });
    expect(error(subscribe, 'mon-fro')).toContain('“mon-fro” is not days of the week I can read');
    expect(describeDays([0, 1, 5, 6])).toBe('Friday to Monday');
    expect(describeDays([1, 3, 5])).toBe('Mon, Wed, Fri');
    expect(describeDays([6])).toBe('Saturday');
    expect(describeDays([4, 1])).toBe('Monday and Thursday');
  });

  it('leaves arguments not given undefined, so a handler can keep what was', () => {
    expect(values(subscribe, 'kafka')).toEqual({ sub: '', topics: ['kafka'] });
    expect(values(subscribe, 'all')).toEqual({ sub: '', topics: ['*'] });
  });

  it('gives the usage and examples for a missing required argument, and says nothing was given', () => {
    const p = words(explain, '');
    expect(p).toEqual({ ok: false, bare: true, error: 'Usage: `/explain <question>`, for example `/explain kafka acks`.' });
    expect(values(explain, 'what is an xcom?')).toEqual({ sub: '', query: 'what is an xcom?' });
  });

  it('reads typed options (Discord) through the same types', () => {
    const native = (sub: string | undefined, v: Record<string, string | number>) => parseNative(quiz, { subcommand: sub, values: v }, textConventions);
    expect(native('start', { topics: 'kafka streams spark', count: 3, seconds: 60 })).toMatchObject({ ok: true, values: { topics: ['kafka-streams', 'spark'], count: 3, seconds: 60 } });
    expect(native('start', { count: 30 })).toMatchObject({ ok: false, error: expect.stringContaining('from 1 to 20 (got “30”)') });
    expect(native('start', { topics: 'flink' })).toMatchObject({ ok: false, error: expect.stringContaining('“flink” is not a topic') });
    expect(native(undefined, { args: 'kafka 3' })).toMatchObject({ ok: false, error: expect.stringContaining('backfill discord deploy') });
    expect(parseNative(subscribe, { values: { zone: 'berlin' } }, textConventions)).toMatchObject({ ok: false, error: expect.stringContaining('Did you mean “Europe/Berlin”?') });
  });

  it('knows the zones and cities the runtime knows', () => {
    expect(readZone('America/New_York')).toEqual({ zone: 'America/New_York', given: 'America/New_York' });
    expect(readZone('new_york')).toEqual({ hint: 'America/New_York' });
    // What people mean, not the runtime's reading (Panama without daylight saving, Bangladesh).
    expect(readZone('EST')).toEqual({ zone: 'America/New_York', given: 'EST' });
    expect(readZone('bst')).toEqual({ zone: 'Europe/London', given: 'bst' });
    expect(readZone('CEST')).toEqual({ zone: 'Europe/Paris', given: 'CEST' });
    expect(readZone('kafka')).toBeUndefined();
    // The name typed, not an older one the runtime's data still uses for it.
    expect(readZone('Asia/Kolkata')).toEqual({ zone: 'Asia/Kolkata', given: 'Asia/Kolkata' });
    expect(readZone('europe/kyiv')).toEqual({ zone: 'Europe/Kyiv', given: 'europe/kyiv' });
    expect(readZone('europe/berlin')).toEqual({ zone: 'Europe/Berlin', given: 'europe/berlin' });
    expect(readZone('US/Pacific')).toEqual({ zone: 'America/Los_Angeles', given: 'US/Pacific' });
  });
});
