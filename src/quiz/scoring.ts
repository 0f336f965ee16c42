import type { Answer } from '../store/types.js';

export const BASE_POINTS = 100;
export const SPEED_BONUS = 50;

/** Points for an answer: a right one earns the base and a bonus that shrinks as the window runs out. */
export function pointsFor(correct: boolean, answeredAt: Date, deadline: Date, windowSeconds: number): number {
  if (!correct) return 0;
  const left = Math.max(0, deadline.getTime() - answeredAt.getTime()) / (windowSeconds * 1000);
  return BASE_POINTS + Math.round(SPEED_BONUS * Math.min(1, left));
}

/** The longest run of right answers per person, from answers in time order. */
export function bestStreaks(history: Array<Pick<Answer, 'userId' | 'correct'>>): Map<string, number> {
  const current = new Map<string, number>();
  const best = new Map<string, number>();
  for (const a of history) {
    const run = a.correct ? (current.get(a.userId) ?? 0) + 1 : 0;
    current.set(a.userId, run);
    best.set(a.userId, Math.max(best.get(a.userId) ?? 0, run));
  }
  return best;
}

export interface Standing {
  userId: string;
  userName: string;
  points: number;
  correct: number;
  answers: number;
}

/**
 * Places in a table sorted best first, as "1, 1, 3": people with the same points and right answers
 * share a place (the order between them is only alphabetical).
 */
export function places(rows: ReadonlyArray<{ points: number; correct: number }>): number[] {
  return rows.map((r, i) => {
    let place = i;
    while (place > 0 && rows[place - 1]!.points === r.points && rows[place - 1]!.correct === r.correct) place--;
    return place + 1;
  });
}

/** Totals per person for one quiz, best first. */
export function standings(answers: Answer[]): Standing[] {
  const byUser = new Map<string, Standing>();
  for (const a of answers) {
    const s = byUser.get(a.userId) ?? { userId: a.userId, userName: a.userName, points: 0, correct: 0, answers: 0 };
    s.points += a.points;
    s.correct += a.correct ? 1 : 0;
    s.answers += 1;
    byUser.set(a.userId, s);
  }
  return [...byUser.values()].sort((a, b) => b.points - a.points || b.correct - a.correct || a.userName.localeCompare(b.userName));
}
