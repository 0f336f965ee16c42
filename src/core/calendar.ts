import { closest, quoteUserText } from './text.js';

/** 0 = Sunday ... 6 = Saturday, as Date.getDay() and node-cron count them. */
export const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export const DAY_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const DAY_WORDS = new Map<string, number>();
DAY_LONG.forEach((name, i) => {
  const long = name.toLowerCase();
  for (const w of [long, `${long}s`, long.slice(0, 3)]) DAY_WORDS.set(w, i);
});
for (const [w, i] of [['tues', 2], ['weds', 3], ['thur', 4], ['thurs', 4]] as const) DAY_WORDS.set(w, i);

const GROUPS = new Map<string, number[]>([
  ['daily', []],
  ['everyday', []],
  ['every-day', []],
  ['weekdays', [1, 2, 3, 4, 5]],
  ['workdays', [1, 2, 3, 4, 5]],
  ['weekends', [0, 6]],
  ['weekend', [0, 6]],
]);

/** Words that name days or groups of days, for "did you mean". */
export const DAY_VOCABULARY: readonly string[] = [...DAY_WORDS.keys(), ...GROUPS.keys()];

export type DaysReading = { days: number[] } | { error: string } | { hint: string };

/**
 * Reads days of the week: `mon-fri`, `fri-mon` (ranges wrap around the week), `mon,wed,fri`,
 * `weekdays`, `weekends`, `daily`. Every day is `[]`. Only whole day names count: `mongo` is not
 * Monday. Undefined when the word is no days at all.
 */
export function readDays(word: string): DaysReading | undefined {
  const w = word.toLowerCase();
  const group = GROUPS.get(w);
  if (group) return { days: group };
  const days = new Set<number>();
  const parts = w.split(',').filter(Boolean);
  let understood = 0;
  for (const part of parts) {
    const range = /^([a-z]+)(?:-([a-z]+))?$/.exec(part);
    const from = range ? DAY_WORDS.get(range[1]!) : undefined;
    const to = range?.[2] !== undefined ? DAY_WORDS.get(range[2]) : from;
    if (from === undefined || to === undefined) {
      if (from !== undefined || understood > 0) {
        return { error: `“${quoteUserText(word, 30)}” is not days of the week I can read: write them like mon-fri, fri-mon, mon,wed,fri, weekdays or weekends.` };
      }
      continue;
    }
    understood++;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  if (understood === 0) {
    if (parts.length !== 1) return undefined;
    const near = w.length >= 4 ? closest(w, DAY_VOCABULARY) : undefined;
    return near ? { hint: near } : undefined;
  }
  if (understood < parts.length) return { error: `“${quoteUserText(word, 30)}” is not days of the week I can read: write them like mon-fri, fri-mon, mon,wed,fri, weekdays or weekends.` };
  return { days: days.size === 7 ? [] : [...days].sort((a, b) => a - b) };
}

/**
 * Days as people say them, in week order from the first day after a gap, so a range that wraps
 * reads as typed: [0,1,5,6] is "Friday to Monday", not "Sun, Mon, Fri, Sat".
 */
export function describeDays(days: readonly number[]): string {
  const set = new Set(days);
  if (set.size === 0 || set.size === 7) return 'every day';
  if (days.length === 2 && set.has(0) && set.has(6)) return 'weekends';
  // Start right after a day that is not chosen.
  const start = [0, 1, 2, 3, 4, 5, 6].find((d) => set.has(d) && !set.has((d + 6) % 7))!;
  const runs: number[][] = [];
  for (let i = 0; i < 7; i++) {
    const d = (start + i) % 7;
    if (!set.has(d)) continue;
    const last = runs[runs.length - 1];
    if (last && (last[last.length - 1]! + 1) % 7 === d) last.push(d);
    else runs.push([d]);
  }
  if (runs.length === 1 && runs[0]!.length >= 3) return `${DAY_LONG[runs[0]![0]!]} to ${DAY_LONG[runs[0]![runs[0]!.length - 1]!]}`;
  // One or two days alone read in full, as a run does ("Saturday", "Monday and Thursday").
  if (runs.flat().length <= 2) return runs.flat().map((d) => DAY_LONG[d]).join(' and ');
  return runs.map((r) => (r.length >= 3 ? `${DAY_SHORT[r[0]!]}–${DAY_SHORT[r[r.length - 1]!]}` : r.map((d) => DAY_SHORT[d]).join(', '))).join(', ');
}

export type TimeReading = { time: string } | { error: string } | { hint: string };

const NOT_A_TIME = (word: string) => `“${quoteUserText(word, 20)}” is not a time of day: use 24-hour HH:MM, such as 09:00 or 17:30 (9am and 5:30pm work too).`;

/** Reads a time of day: `09:30`, `9:30`, `9.30`, `9h30`, `9am`, `5:30pm`, `noon`, `midnight` → "HH:MM". */
export function readTime(word: string): TimeReading | undefined {
  const w = word.toLowerCase();
  if (w === 'noon') return { time: '12:00' };
  if (w === 'midnight') return { time: '00:00' };
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$/.exec(w);
  if (!m) {
    // Something with digits and a colon that is still no time ("25:61", "9:5").
    return /^\d{1,2}[:.h]\d*/.test(w) && !/^\d+\.\d+$/.test(w) ? { error: NOT_A_TIME(word) } : undefined;
  }
  const [, hh, mm, half] = m;
  // A bare number is a count, not a time: "/quiz 5". Say what was meant instead.
  if (mm === undefined && half === undefined) return Number(hh) <= 23 ? { hint: `${hh!.padStart(2, '0')}:00` } : undefined;
  let hour = Number(hh);
  const minute = Number(mm ?? '0');
  if (half) {
    if (hour < 1 || hour > 12) return { error: NOT_A_TIME(word) };
    hour = (hour % 12) + (half.startsWith('p') ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { error: NOT_A_TIME(word) };
  return { time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

/** Minutes since midnight of "HH:MM". */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export type DurationReading = { seconds: number } | undefined;

/** Reads a duration with a unit: `60s`, `90sec`, `2m`, `1m30s`, `2min`. A bare number is not one. */
export function readDuration(word: string): DurationReading {
  const w = word.toLowerCase();
  const m = /^(?:(\d+)\s*(?:m|min|mins|minute|minutes))?(?:(\d+)\s*(?:s|sec|secs|second|seconds))?$/.exec(w);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return { seconds: Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) };
}

/** Made on first use: the first date format costs a start ~15 ms. */
let shortDates: Intl.DateTimeFormat | undefined;

/** A calendar date (YYYY-MM-DD) as people read it: "Tue 3 Mar". */
export function shortDate(date: string): string {
  shortDates ??= new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  return shortDates.format(new Date(`${date}T12:00:00Z`)).replace(',', '');
}

/** "45s", "2m", "1m30s" */
export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m === 0) return `${s}s`;
  return s ? `${m}m${s}s` : `${m}m`;
}
