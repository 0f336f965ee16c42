import { integer, timeOfDay, timeZone, type ArgType } from '../../core/args.js';
import { arg, defineCommand, subcommand, type Command } from '../../core/command.js';
import { DeliveryError } from '../../core/delivery.js';
import { notice } from '../../core/reply.js';
import type { Messenger } from '../../core/services.js';
import { learnerOf } from '../learner.js';
import { DEFAULT_SESSION, MAX_SESSION, reminderSet } from '../messages.js';
import type { PracticeSession } from '../practice.js';
import type { LearningService } from '../service.js';

export interface ReviewCommandDeps {
  learning: LearningService;
  practice: PracticeSession;
  /** Opens the person's direct conversation, where reminders go. */
  messenger: Pick<Messenger, 'directAddress'>;
  /** The environment's zone (DEFAULT_TIMEZONE), for help. */
  defaults: { timezone: string };
}

/** A time of day, or `off`. */
function reminderTime(): ArgType<string> {
  const time = timeOfDay();
  const OFF = new Set(['off', 'stop', 'none', 'never']);
  return {
    ...time,
    placeholder: 'HH:MM|off',
    what: 'a time (HH:MM) or off',
    read: (words, at) => (OFF.has(words[at]!.toLowerCase()) ? { value: 'off', used: 1 } : time.read(words, at)),
    vocabulary: () => OFF,
    complete: (partial) => [...(time.complete?.(partial) ?? []), ...('off'.startsWith(partial.trim().toLowerCase()) ? [{ label: 'off: no more reminders', value: 'off' }] : [])],
  };
}

export function reviewCommand(d: ReviewCommandDeps): Command {
  const { learning, practice } = d;
  return defineCommand({
    name: 'review',
    summary: 'Practise what is due for you, privately; or get a daily reminder when something is',
    default: 'start',
    subcommands: [
      subcommand({
        name: 'start',
        summary: 'A private review: a question on each concept due for you',
        details: `A private review of the concepts due for you (spaced repetition: what you miss comes back sooner, what you know later), a question on each, answered with buttons only you see, and the card after a miss. With nothing due, when the next review is and new concepts from the topics you play`,
        args: {
          count: arg(integer({ min: 1, max: MAX_SESSION, label: 'The number of questions', placeholder: 'count' }), { description: 'At most how many questions this time', default: DEFAULT_SESSION }),
        },
        examples: ['', '5'],
        run: ({ args, address, user }) => practice.next(learnerOf(address, user.id), address, { answered: 0, size: args.count }),
      }),
      subcommand({
        name: 'remind',
        summary: 'A direct message at a time of day when something is due (at most daily); off stops it',
        args: {
          time: arg(reminderTime(), { description: 'When, in your time zone (24-hour HH:MM; 8am works), or off', required: true }),
          zone: arg(timeZone(), { description: 'Your time zone: Europe/Berlin, CET, America/New_York, UTC', defaultText: `yours as before, else the workspace's or server's (\`/settings\`), else ${d.defaults.timezone}` }),
        },
        examples: ['08:30 Europe/Berlin', 'off'],
        async run({ args, address, user }) {
          const learner = learnerOf(address, user.id);
          if (args.time === 'off') {
            const was = await learning.stopReminder(learner);
            return notice(was ? 'Reminders off. `/review` still works whenever you like.' : 'You had no reminders. `/review remind 08:30` turns them on.');
          }
          let dm: string;
          try {
            if (!d.messenger.directAddress) throw new Error('no direct messages here');
            dm = await d.messenger.directAddress(address, user.id);
          } catch (err) {
            const why = err instanceof DeliveryError ? ` (${err.code})` : '';
            return notice(`I could not open a direct message with you here${why}, so reminders would not reach you. Try \`/review remind\` in a direct message with me.`);
          }
          const timezone = args.zone?.zone ?? (await learning.timezoneOf(learner, address));
          const saved = await learning.setReminder(learner, { time: args.time, timezone, address: dm });
          return reminderSet(saved, args.zone?.given);
        },
      }),
    ],
  });
}
