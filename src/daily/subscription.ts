import { quoteUserText } from '../core/cards.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { resolveTopic } from '../knowledge/topics.js';
import type { DailyKind } from '../store/types.js';
import { isTimeZone, WEEKDAY_NAMES } from './clock.js';

export interface SubscribeArgs {
  kinds: DailyKind[];
  time: string;
  timezone: string;
  topics: string[];
  weekdays: number[];
}

const DAY = new Map(WEEKDAY_NAMES.map((d, i) => [d.toLowerCase(), i]));
const GROUPS: Record<string, number[]> = {
  daily: [],
  everyday: [],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};

/** "mon-fri", "mon,wed,fri", "weekdays" → day numbers; undefined when the word is not days. */
function parseDays(word: string): number[] | undefined {
  if (word in GROUPS) return GROUPS[word];
  const days = new Set<number>();
  for (const part of word.split(',')) {
    const range = /^([a-z]{3})[a-z]*(?:-([a-z]{3})[a-z]*)?$/.exec(part);
    if (!range) return undefined;
    const from = DAY.get(range[1]!);
    const to = range[2] ? DAY.get(range[2]) : from;
    if (from === undefined) return undefined;
    if (to === undefined) return undefined;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return days.size === 7 ? [] : [...days].sort();
}

function normaliseTime(word: string): string | undefined {
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(word);
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

export const SUBSCRIBE_USAGE = '`/daily subscribe [concept|quiz|both] [HH:MM] [timezone] [topics...] [weekdays]`, e.g. `/daily subscribe both 09:30 Europe/Berlin kafka spark mon-fri`';

/** Reads the subscribe arguments in any order; a string is the problem, for the user. */
export function parseSubscribe(kb: KnowledgeBase, args: string, defaultZone: string): SubscribeArgs | string {
  const result: SubscribeArgs = { kinds: ['concept', 'quiz'], time: '09:00', timezone: defaultZone, topics: [], weekdays: [] };
  for (const raw of args.split(/\s+/).filter(Boolean)) {
    const word = raw.toLowerCase();
    if (word === 'concept' || word === 'concepts') result.kinds = ['concept'];
    else if (word === 'quiz' || word === 'quizzes') result.kinds = ['quiz'];
    else if (word === 'both') result.kinds = ['concept', 'quiz'];
    else if (/^\d/.test(word)) {
      const time = normaliseTime(word);
      if (!time) return `“${quoteUserText(raw, 20)}” is not a time of day: use 24-hour HH:MM, such as 09:00 or 17:30.`;
      result.time = time;
    } else if (raw.includes('/') || word === 'utc') {
      const zone = word === 'utc' ? 'UTC' : raw;
      if (!isTimeZone(zone)) return `“${quoteUserText(raw, 40)}” is not a time zone I know: use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
      result.timezone = zone;
    } else {
      const days = parseDays(word);
      if (days) {
        result.weekdays = days;
        continue;
      }
      const topic = resolveTopic(kb, word);
      if (!topic) return `I don't know “${quoteUserText(raw, 30)}”: not a kind, time, time zone, topic (${kb.topics.map((t) => t.id).join(', ')}) or days (mon-fri, weekends, mon,wed,fri). Usage: ${SUBSCRIBE_USAGE}`;
      if (!result.topics.includes(topic)) result.topics.push(topic);
    }
  }
  return result;
}

export function describeDays(days: number[]): string {
  if (days.length === 0) return 'every day';
  if (days.join() === '1,2,3,4,5') return 'Monday to Friday';
  if (days.join() === '0,6') return 'weekends';
  return days.map((d) => WEEKDAY_NAMES[d]).join(', ');
}
