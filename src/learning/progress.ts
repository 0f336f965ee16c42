import type { LearningCard, LearningReview } from '../store/types.js';
import { localTime } from '../daily/clock.js';
import { masteryOf } from './schedule.js';

/** YYYY-MM-DD one day earlier (calendar arithmetic, no zone involved). */
export function previousDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! - 1)).toISOString().slice(0, 10);
}

export interface DayStreak {
  /** Days in a row with at least one answer, up to today (or up to yesterday, while today is still open). */
  current: number;
  /** The longest such run ever. */
  best: number;
  /** Whether today already has an answer (so the current streak is safe for today). */
  today: boolean;
}

/** Day streaks over answer times, counted in a time zone's local dates. */
export function dayStreak(answeredAt: readonly string[], timezone: string, now: Date): DayStreak {
  const days = new Set(answeredAt.map((at) => localTime(new Date(at), timezone).date));
  const today = localTime(now, timezone).date;
  let best = 0;
  for (const day of days) {
    if (days.has(previousDate(day))) continue;
    let run = 0;
    for (let d = day; days.has(d); d = nextDate(d)) run++;
    best = Math.max(best, run);
  }
  let current = 0;
  let d = days.has(today) ? today : previousDate(today);
  while (days.has(d)) {
    current++;
    d = previousDate(d);
  }
  return { current, best, today: days.has(today) };
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

export interface Counts {
  /** Concepts with a card: met in an answer or on a card button. */
  seen: number;
  /** Seen, stability under the mastered threshold. */
  learning: number;
  /** Stability at or past the mastered threshold. */
  mastered: number;
  /** Due now. */
  due: number;
  /** Answers (quiz, quiz of the day, practice), and how many were right. */
  answers: number;
  correct: number;
  /** correct / answers, or null without answers. */
  accuracy: number | null;
}

/** Counts over some cards and the reviews of the same concepts. */
export function countsOf(cards: readonly LearningCard[], reviews: readonly LearningReview[], now: Date): Counts {
  const mastered = cards.filter((c) => masteryOf(c) === 'mastered').length;
  const answers = reviews.filter((r) => r.correct !== null);
  const correct = answers.filter((r) => r.correct).length;
  return {
    seen: cards.length,
    learning: cards.length - mastered,
    mastered,
    due: cards.filter((c) => Date.parse(c.due) <= now.getTime()).length,
    answers: answers.length,
    correct,
    accuracy: answers.length ? correct / answers.length : null,
  };
}

/** A compact bar for a share, e.g. `▰▰▰▱▱▱▱▱▱▱` for 0.3. */
export function bar(share: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(share * width)));
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

/** A bar of a topic's concepts: mastered, learning, not seen, e.g. `██▒▒▒░░░░░`; `BAR_LEGEND` says so. */
export function topicBar(mastered: number, learning: number, total: number, width = 10): string {
  if (total <= 0) return '░'.repeat(width);
  const m = Math.round((Math.min(mastered, total) / total) * width);
  // A concept being learned shows, however small its share.
  const l = Math.min(width - m, Math.max(learning > 0 ? 1 : 0, Math.round((Math.min(learning, total) / total) * width)));
  return '█'.repeat(m) + '▒'.repeat(l) + '░'.repeat(width - m - l);
}

export const BAR_LEGEND = '█ mastered ▒ learning ░ not seen yet';
