import { shortDate } from '../core/calendar.js';
import { localTime } from '../daily/clock.js';

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * When something is due, in a person's calendar: "now", "today at 14:05 (UTC)", "tomorrow at 09:00
 * (Tue 3 Mar, Europe/Berlin)", "in 5 days (Sun 8 Mar)". A time of day names its zone: the person's
 * reminder zone or the channel's, which can differ from one message to the next.
 */
export function describeWhen(at: string, now: Date, timezone: string): string {
  const instant = new Date(at);
  if (instant.getTime() <= now.getTime()) return 'now';
  const then = localTime(instant, timezone);
  const days = Math.round((dayOf(then.date) - dayOf(localTime(now, timezone).date)) / DAY_MS);
  const clock = `${String(Math.floor(then.minutes / 60)).padStart(2, '0')}:${String(then.minutes % 60).padStart(2, '0')}`;
  if (days === 0) return `today at ${clock} (${timezone})`;
  // Tomorrow at its time: due 24 hours on, it is not due yet tomorrow morning.
  if (days === 1) return `tomorrow at ${clock} (${shortDate(then.date)}, ${timezone})`;
  return `in ${days} days (${shortDate(then.date)})`;
}

/** "80%" */
export const percent = (share: number): string => `${Math.round(share * 100)}%`;
