import { thisPlace, type Conventions } from '../core/conventions.js';
import { quoteUserText } from '../core/text.js';
import { scopeOf } from '../core/incoming.js';
import { context, notice, text, type Reply } from '../core/reply.js';
import type { Clock } from '../core/services.js';
import type { Store } from '../store/store.js';
import type { LeaderboardScope } from '../store/types.js';
import { bestStreaks, places } from './scoring.js';

export const PERIODS = { week: 7, month: 30, all: undefined } as const;
export type Period = keyof typeof PERIODS;

export interface LeaderboardArgs {
  period: Period;
  wide: boolean;
}

export async function leaderboard(store: Store, clock: Clock, address: string, args: LeaderboardArgs, conv: Conventions): Promise<Reply> {
  const where: LeaderboardScope = args.wide ? { scope: scopeOf(address) } : { address };
  const days = PERIODS[args.period];
  const since = days === undefined ? undefined : new Date(clock.now().getTime() - days * 86_400_000).toISOString();
  const rows = (await store.scores(where, since)).slice(0, 10);
  const span = args.period === 'all' ? 'all time' : `the last ${days} days`;
  const place = args.wide ? thisPlace(conv) : 'this channel';
  if (rows.length === 0) return notice(`No counted quiz answers in ${place} ${args.period === 'all' ? 'yet' : `in ${span}`}. An answer counts once its question is revealed, in a \`/quiz\` two or more people play: alone, a quiz is practice.`);
  const streaks = bestStreaks(await store.answerHistory(where, rows.map((r) => r.userId), since));
  const ranks = places(rows);
  const lines = rows.map((r, i) => {
    const accuracy = Math.round((100 * r.correct) / r.answers);
    return `${ranks[i]}. **${quoteUserText(r.userName, 40)}**: ${r.points} pts · ${accuracy}% right (${r.correct}/${r.answers}) · best streak ${streaks.get(r.userId) ?? 0}`;
  });
  return {
    title: `Leaderboard · ${place} · ${span}`,
    blocks: [
      text(lines.join('\n')),
      context('Points: 100 for a right answer plus up to 50 for speed. Quizzes played alone are practice and do not count. `/leaderboard week server` narrows or widens it.'),
    ],
  };
}
