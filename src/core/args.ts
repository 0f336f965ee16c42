import type { Conventions } from './conventions.js';
import { describeDays, DAY_VOCABULARY, formatDuration, readDays, readDuration, readTime } from './calendar.js';
import { quoteUserText } from './text.js';
import { describeZone, readZone, zoneNames } from './zones.js';

/**
 * What an argument type makes of the words at a position: a value and how many words it took; an
 * error (the words are this kind of thing, but wrong: "25:00", "Mars/Olympus"); a hint (not this
 * kind, but close to a value of it: "berlin" is close to Europe/Berlin); or undefined, not its own.
 */
export type ReadResult<T> = { value: T; used: number } | { error: string } | { hint: string };

/** An autocomplete suggestion: what people see and the value it fills in. */
export interface Choice {
  label: string;
  value: string;
}

/** How a platform with typed options (Discord) takes an argument. */
export type NativeOption =
  | { type: 'string'; choices?: Choice[]; autocomplete?: boolean }
  | { type: 'integer'; min?: number; max?: number; choices?: Choice[] };

/** A kind of argument: how it is read from words, said in help, completed and typed natively. */
export interface ArgType<T> {
  /** How it is written in usage: `HH:MM`, `concept|quiz|both`, `topics`. */
  placeholder: string;
  /** What a word could have been, in an error: "a time (HH:MM)". */
  what: string;
  /** Limits for help: "1 to 20". */
  limits?: string;
  /** Several values collect into one (topics): the argument may appear more than once. */
  list?: boolean;
  /** Takes the rest of the line, whatever it says (a question). Read last. */
  rest?: boolean;
  /** `conv`: the platform's, for a type whose words differ by platform (the console's own commands for `/help`). */
  read(words: readonly string[], at: number, conv?: Conventions): ReadResult<T> | undefined;
  /** Joins two readings of a list argument. */
  merge?(a: T, b: T): T;
  /** Words it knows, for "did you mean". */
  vocabulary?(): Iterable<string>;
  /** The message for a word nothing could read, when this type is the likely meaning ("Unknown topic “x”"). */
  unknown?(word: string): string;
  /** What there is to choose from, said after `unknown` when no "did you mean" is close ("Topics: ..."). */
  listing?(): string;
  /** Suggestions while the value is typed. */
  complete?(partial: string): Choice[];
  native: NativeOption;
  /** A value of a typed option; by default its text is read like typed words. */
  fromNative?(value: string | number | boolean): ReadResult<T> | undefined;
  /** How a value is said in help and confirmations. */
  show?(value: T): string;
}

const lower = (s: string) => s.toLowerCase();

/** A whole number in a range: "The number of questions must be a whole number from 1 to 20 (got “0”)." */
export function integer(o: { min: number; max: number; label: string; placeholder?: string }): ArgType<number> {
  const problem = (word: string) => ({ error: `${o.label} must be a whole number from ${o.min} to ${o.max} (got “${quoteUserText(word, 20)}”).` });
  const check = (n: number, word: string): ReadResult<number> => (Number.isInteger(n) && n >= o.min && n <= o.max ? { value: n, used: 1 } : problem(word));
  return {
    placeholder: o.placeholder ?? `${o.min}-${o.max}`,
    what: `a number from ${o.min} to ${o.max}`,
    limits: `${o.min} to ${o.max}`,
    read(words, at) {
      const word = words[at]!;
      if (!/^[+-]?\d+(\.\d+)?$/.test(word)) return undefined;
      return check(Number(word), word);
    },
    native: { type: 'integer', min: o.min, max: o.max },
    fromNative: (value) => check(Number(value), String(value)),
  };
}

/** A number with a unit of time, whether or not `readDuration` reads it: `1h`, `2hours`, `1.5m`, `500ms`, `1h30m`. */
const LOOKS_LIKE_DURATION = /^(?:\d+(?:[.,]\d+)?\s*(?:ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?))+$/i;

/** A duration with a unit (`60s`, `2m`, `1m30s`), in seconds, within limits. */
export function duration(o: { min: number; max: number; label: string; placeholder?: string }): ArgType<number> {
  const range = `${formatDuration(o.min)} to ${formatDuration(o.max)}`;
  const example = formatDuration(Math.min(o.max, Math.max(o.min, 30)));
  const check = (seconds: number, word: string, used = 1): ReadResult<number> =>
    seconds >= o.min && seconds <= o.max ? { value: seconds, used } : { error: `${o.label} must be from ${range}, such as ${example} (got “${quoteUserText(word, 20)}”).` };
  return {
    placeholder: o.placeholder ?? `${formatDuration(o.min)}-${formatDuration(o.max)}`,
    what: `a duration such as ${formatDuration(Math.min(o.max, Math.max(o.min, 60)))}`,
    limits: range,
    read(words, at) {
      const word = words[at]!;
      const d = readDuration(word);
      if (d) return check(d.seconds, word);
      // Its unit as a word of its own: "1 minute", "90 seconds".
      const unit = words[at + 1];
      const spaced = /^\d+$/.test(word) && unit !== undefined && /^[a-z]/i.test(unit) ? readDuration(`${word}${unit}`) : undefined;
      if (spaced) return check(spaced.seconds, `${word} ${unit}`, 2);
      // "1h", "2hours", "1.5m": meant as a time, just not one this reads; said as such, not as an unknown topic.
      return LOOKS_LIKE_DURATION.test(word) ? { error: `${o.label} must be from ${range}, in seconds or minutes such as 90s or 1m30s (got “${quoteUserText(word, 20)}”).` } : undefined;
    },
    // Discord takes it as a number of seconds.
    native: { type: 'integer', min: o.min, max: o.max },
    fromNative(value) {
      if (typeof value === 'number' || /^\d+$/.test(String(value))) return check(Number(value), `${value}s`);
      const d = readDuration(String(value));
      return d ? check(d.seconds, String(value)) : undefined;
    },
    show: formatDuration,
  };
}

/** One of a few values, each with words that mean it: `concept|quiz|both`. */
export function choice<V extends string>(values: ReadonlyArray<{ value: V; words?: readonly string[]; label?: string }>, what: string): ArgType<V> {
  const byWord = new Map<string, V>();
  for (const v of values) for (const w of [v.value, ...(v.words ?? [])]) byWord.set(lower(w), v.value);
  return {
    placeholder: values.map((v) => v.value).join('|'),
    what: `${what} (${values.map((v) => v.value).join(', ')})`,
    read(words, at) {
      const value = byWord.get(lower(words[at]!));
      return value === undefined ? undefined : { value, used: 1 };
    },
    vocabulary: () => byWord.keys(),
    native: { type: 'string', choices: values.map((v) => ({ label: v.label ?? v.value, value: v.value })) },
  };
}

/** A time of day, "HH:MM" in 24 hours; `9am` and `5:30pm` are read too. */
export function timeOfDay(): ArgType<string> {
  return {
    placeholder: 'HH:MM',
    what: 'a time (HH:MM)',
    read(words, at) {
      const r = readTime(words[at]!);
      if (!r) return undefined;
      return 'time' in r ? { value: r.time, used: 1 } : r;
    },
    complete: (partial) =>
      ['07:00', '08:00', '08:30', '09:00', '09:30', '10:00', '12:00', '13:00', '16:00', '17:00']
        .filter((t) => t.startsWith(partial.trim()) || !partial.trim())
        .map((t) => ({ label: t, value: t })),
    native: { type: 'string', autocomplete: true },
  };
}

/** A time zone chosen by a person: the IANA zone and what they typed (to confirm `CET` as Europe/Brussels). */
export interface ZoneValue {
  zone: string;
  given: string;
}

/** A time zone: IANA names in any case, abbreviations the runtime knows (CET, PST, GMT), UTC±h. */
export function timeZone(): ArgType<ZoneValue> {
  return {
    placeholder: 'zone',
    what: 'a time zone (Europe/Berlin, CET, UTC)',
    read(words, at) {
      const r = readZone(words[at]!);
      if (!r) return undefined;
      return 'zone' in r ? { value: { zone: r.zone, given: r.given }, used: 1 } : r;
    },
    complete(partial) {
      const p = partial.trim().toLowerCase();
      const names = zoneNames();
      const starts = names.filter((z) => z.toLowerCase().startsWith(p) || (z.split('/').pop() ?? '').toLowerCase().replace(/_/g, ' ').startsWith(p.replace(/_/g, ' ')));
      const contains = p ? names.filter((z) => !starts.includes(z) && z.toLowerCase().includes(p)) : [];
      return [...starts, ...contains].slice(0, 25).map((z) => ({ label: z, value: z }));
    },
    native: { type: 'string', autocomplete: true },
    show: (v) => describeZone(v.zone, v.given),
  };
}

/** Days of the week: `mon-fri`, `fri-mon`, `mon,wed,fri`, `weekdays`, `weekends`, `daily`; `[]` is every day. */
export function weekdays(): ArgType<number[]> {
  return {
    placeholder: 'days',
    what: 'days (mon-fri, weekends, mon,wed,fri)',
    read(words, at) {
      const r = readDays(words[at]!);
      if (!r) return undefined;
      return 'days' in r ? { value: r.days, used: 1 } : r;
    },
    vocabulary: () => DAY_VOCABULARY,
    complete: (partial) =>
      ['daily', 'weekdays', 'weekends', 'mon-fri', 'mon,wed,fri', 'tue,thu', 'fri-mon']
        .filter((d) => d.startsWith(partial.trim().toLowerCase()))
        .map((d) => ({ label: d === 'daily' ? 'every day' : d === 'weekdays' ? 'Monday to Friday' : d, value: d })),
    native: { type: 'string', autocomplete: true },
    show: describeDays,
  };
}

/**
 * Free text to the end of the line (a question, a note); suggestions come from `complete`. Longer
 * than `max` characters it is refused, saying by how much, rather than cut.
 */
export function text(o: { placeholder: string; complete?: (partial: string) => Choice[]; max?: number }): ArgType<string> {
  return {
    placeholder: o.placeholder,
    what: o.placeholder,
    rest: true,
    read(words, at) {
      if (at >= words.length) return undefined;
      const value = words.slice(at).join(' ');
      if (o.max !== undefined && value.length > o.max) return { error: `The ${o.placeholder} has ${value.length} characters: keep it to ${o.max} (${value.length - o.max} fewer) and send it again.` };
      return { value, used: words.length - at };
    },
    complete: o.complete,
    native: { type: 'string', autocomplete: o.complete !== undefined },
  };
}

/**
 * Words of a vocabulary, as a list that collects (topics and subtopics: `kafka spark`, `hive`,
 * `kafka streams`). The vocabulary reads a phrase of one or more words at a position.
 */
export interface Vocabulary {
  /** The longest phrase starting at `at` that names an entry: its ids and how many words it took. */
  read(words: readonly string[], at: number): { ids: string[]; used: number } | undefined;
  words(): Iterable<string>;
  unknown(word: string): string;
  listing?(): string;
  complete(partial: string): Choice[];
  show(ids: readonly string[]): string;
}

export function vocabularyList(vocabulary: Vocabulary, o: { placeholder: string; what: string }): ArgType<string[]> {
  return {
    placeholder: o.placeholder,
    what: o.what,
    list: true,
    read(words, at) {
      // "kafka,spark" is two entries; a comma after a word ends the phrase ("dbt tests, kafka").
      const word = words[at]!;
      if (/,./.test(word) || word.startsWith(',')) {
        const parts = word.split(',').filter(Boolean);
        const ids: string[] = [];
        for (const part of parts) {
          const r = vocabulary.read([part], 0);
          if (!r) return parts.length > 1 && ids.length ? { error: vocabulary.unknown(part) } : undefined;
          ids.push(...r.ids);
        }
        return { value: ids, used: 1 };
      }
      const end = words.findIndex((w, i) => i >= at && w.endsWith(','));
      const phrase = end < 0 ? words : words.slice(0, end + 1).map((w, i) => (i === end ? w.replace(/,+$/, '') : w));
      const r = vocabulary.read(phrase, at);
      return r ? { value: r.ids, used: r.used } : undefined;
    },
    merge: (a, b) => [...a, ...b.filter((x) => !a.includes(x))],
    vocabulary: () => vocabulary.words(),
    unknown: (word) => vocabulary.unknown(word),
    listing: vocabulary.listing ? () => vocabulary.listing!() : undefined,
    complete: (partial) => vocabulary.complete(partial),
    native: { type: 'string', autocomplete: true },
    show: (ids) => vocabulary.show(ids),
  };
}
