import type { Feature } from '../core/feature.js';
import { dailyCommand, type DailyCommandDeps } from './commands/daily.js';

/** The concept and quiz of the day: `/daily`, and the schedule (with its catch-up) from start to stop. */
export function dailyFeature(d: DailyCommandDeps): Feature {
  return {
    name: 'daily',
    commands: [dailyCommand(d)],
    start: () => d.daily.start(),
    stop: () => d.daily.stop(),
  };
}
