import { DAY_SHORT, shortDate } from '../core/calendar.js';
import { zoneLabel } from '../core/zones.js';

/** Calendar facts of an instant in a time zone, computed with Intl (which knows daylight saving). */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: (DAY_SHORT as readonly string[]).indexOf(parts.weekday ?? ''),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

export function parseHHMM(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export interface Schedule {
  time: string;
  timezone: string;
  weekdays: number[];
}

/**
 * The local date whose post is due at this instant, or undefined: due from the set time until
 * local midnight, on the chosen weekdays. A time that a daylight-saving jump skips is due as soon
 * as the clock passes it, and a repeated hour cannot make it due twice (posts are claimed per date).
 */
export function dueDate(s: Schedule, now: Date): string | undefined {
  const local = localTime(now, s.timezone);
  if (s.weekdays.length && !s.weekdays.includes(local.weekday)) return undefined;
  return local.minutes >= parseHHMM(s.time) ? local.date : undefined;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A local date and minutes as if the zone were UTC, in ms: what a wall clock there reads. */
function wallMs(date: string, minutes: number): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) + minutes * MINUTE_MS;
}

/** What the zone's wall clock reads at an instant (to the minute), in ms as if it were UTC. */
function wallAt(instantMs: number, timeZone: string): number {
  const local = localTime(new Date(instantMs), timeZone);
  return wallMs(local.date, local.minutes);
}

/**
 * The first instant at which a zone's clock reads `minutes` on `date`, or has passed it: the
 * earlier of the two when daylight saving repeats that time, and the moment of the jump when it
 * skips it (02:30 on a spring-forward night is due at 03:00). The same instant `dueDate` starts
 * answering that date.
 */
export function instantAt(date: string, minutes: number, timeZone: string): Date {
  const wall = wallMs(date, minutes);
  // A zone changes its offset at most a few times a year: the offsets a day either side cover it.
  const offsets = new Set([wallAt(wall - DAY_MS, timeZone) - (wall - DAY_MS), wallAt(wall + DAY_MS, timeZone) - (wall + DAY_MS)]);
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((t) => wallAt(t, timeZone) === wall);
  if (exact !== undefined) return new Date(exact);
  // Skipped by a jump: the first minute between the candidates whose clock reads later than `wall`.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallAt(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * When a schedule is next due from `now`: the moment its next local date (after `handled`, the
 * date just dealt with, when given) on a chosen weekday reaches the set time. It may be `now` or
 * earlier when today's time has passed and today was not handled: due at once, as `dueDate` says.
 */
export function nextDueAt(s: Schedule, now: Date, handled?: string): Date {
  const local = localTime(now, s.timezone);
  const minutes = parseHHMM(s.time);
  for (let d = 0; d <= 8; d++) {
    const date = addDays(local.date, d);
    if (handled !== undefined && date <= handled) continue;
    if (s.weekdays.length && !s.weekdays.includes((local.weekday + d) % 7)) continue;
    return instantAt(date, minutes, s.timezone);
  }
  // Unreachable with a valid schedule (a chosen weekday comes within a week); look again tomorrow.
  return new Date(now.getTime() + DAY_MS);
}

/** YYYY-MM-DD `days` later (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** When a schedule's next post comes, in the channel's own calendar. */
export interface NextPost {
  /** The local date, YYYY-MM-DD. */
  date: string;
  weekday: number;
  /** Today's time has passed and today's post has not gone out: it comes within a minute. */
  dueNow: boolean;
  /** 0 today, 1 tomorrow, ... */
  inDays: number;
}

/**
 * The next post of a schedule from `now`: today if today is one of its days and its post is still
 * to come (or due and not yet sent), else the next chosen day.
 */
export function nextPost(s: Schedule, now: Date, postedToday: boolean): NextPost {
  const local = localTime(now, s.timezone);
  const chosen = (weekday: number) => s.weekdays.length === 0 || s.weekdays.includes(weekday);
  if (chosen(local.weekday) && !postedToday) return { date: local.date, weekday: local.weekday, dueNow: local.minutes >= parseHHMM(s.time), inDays: 0 };
  for (let d = 1; d <= 7; d++) {
    const weekday = (local.weekday + d) % 7;
    if (chosen(weekday)) return { date: addDays(local.date, d), weekday, dueNow: false, inDays: d };
  }
  return { date: addDays(local.date, 1), weekday: (local.weekday + 1) % 7, dueNow: false, inDays: 1 };
}

/** "today's, within a minute: 09:30 (UTC) has passed", "today at 09:30 (Europe/Berlin)", "tomorrow, Tue 3 Mar, at 09:30 (Europe/Berlin)" */
export function describeNextPost(next: NextPost, s: Schedule): string {
  const at = `${s.time} (${zoneLabel(s.timezone)})`;
  // Said why, or a morning post set up in the evening looks like a mistake when it arrives at once.
  if (next.dueNow) return `today's, within a minute: ${at} has passed and today's has not been posted`;
  if (next.inDays === 0) return `today at ${at}`;
  return `${next.inDays === 1 ? 'tomorrow, ' : ''}${shortDate(next.date)}, at ${at}`;
}
