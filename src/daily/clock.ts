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
