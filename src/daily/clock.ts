/** Calendar facts of an instant in a time zone, computed with Intl (which knows daylight saving). */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
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

/** The node-cron expression that fires at the schedule's local time on its weekdays. */
export function cronExpression(s: Schedule): string {
  const [h, m] = s.time.split(':').map(Number);
  return `${m} ${h} * * ${s.weekdays.length ? [...s.weekdays].sort().join(',') : '*'}`;
}

export const WEEKDAY_NAMES = WEEKDAYS;

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

/** "within a minute", "today at 09:30 (Europe/Berlin)", "tomorrow, Tue 3 Mar, at 09:30 (Europe/Berlin)" */
export function describeNextPost(next: NextPost, s: Schedule): string {
  if (next.dueNow) return 'today, within a minute';
  const at = `${s.time} (${s.timezone})`;
  if (next.inDays === 0) return `today at ${at}`;
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${next.date}T12:00:00Z`)).replace(',', '');
  return `${next.inDays === 1 ? 'tomorrow, ' : ''}${day}, at ${at}`;
}
