import { choice } from '../../core/args.js';
import { arg, defineCommand, type Command } from '../../core/command.js';
import type { Clock } from '../../core/services.js';
import type { Store } from '../../store/store.js';
import { leaderboard, type Period } from '../leaderboard.js';

export function leaderboardCommand(store: Store, clock: Clock): Command {
  return defineCommand({
    name: 'leaderboard',
    aliases: ['scores', 'top'],
    summary: 'Quiz standings: points, accuracy and streaks, in this channel or the whole workspace or server',
    details: 'Points, accuracy and best streak, over a week, a month or all time, in this channel or the whole workspace or server',
    args: {
      period: arg(choice<Period>([{ value: 'week' }, { value: 'month' }, { value: 'all', words: ['alltime', 'ever'] }], 'a period'), { description: 'week, month or all time', default: 'all' }),
      where: arg(choice<'channel' | 'server'>([{ value: 'channel', words: ['here'] }, { value: 'server', words: ['workspace', 'everywhere', 'global'] }], 'a place'), { description: 'This channel, or the whole workspace or server', default: 'channel' }),
    },
    examples: ['', 'week server'],
    run: ({ args, address, conventions }) => leaderboard(store, clock, address, { period: args.period, wide: args.where === 'server' }, conventions),
  });
}
