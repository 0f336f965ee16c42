import { createHash } from 'node:crypto';
import { arg, defineCommand, subcommand, type Command } from '../../core/command.js';
import { platformOf } from '../../core/incoming.js';
import type { Reply } from '../../core/reply.js';
import { catalogOf } from '../../knowledge/catalog.js';
import { topicsArg } from '../../knowledge/commands/random.js';
import type { Knowledge } from '../../knowledge/knowledge.js';
import { forgetButton } from '../buttons.js';
import { learnerOf, type Learner } from '../learner.js';
import { channelProgressMessage, forgetPrompt, MASTERED_RULE, progressMessage } from '../messages.js';
import { CHANNEL_DAYS, type LearningService } from '../service.js';

/** Whose data a forget button was made for: a digest, so the button carries no id. */
export function forgetDigest(learner: Learner): string {
  return createHash('sha256').update(`${learner.scope}\n${learner.userId}`).digest('hex').slice(0, 12);
}

/** The platform as people name it. */
export function platformName(address: string): string {
  const p = platformOf(address);
  return p === 'slack' ? 'Slack' : p === 'discord' ? 'Discord' : 'this console';
}

/** A person's progress as `/progress` and the Slack Home tab show it, asked at `address`. */
export async function personalProgress(learning: LearningService, learner: Learner, address: string, options: { topics?: string[]; forHome?: boolean } = {}): Promise<Reply> {
  const timezone = await learning.timezoneOf(learner, address);
  const progress = await learning.progress(learner, { timezone, topics: options.topics, weakest: 3, upcoming: 5 });
  return progressMessage(progress, { now: learning.now(), timezone }, { forHome: options.forHome, heading: options.forHome ? 'Your Backfill' : undefined, narrowed: Boolean(options.topics?.length) });
}

export function progressCommand(knowledge: Knowledge, learning: LearningService): Command {
  const catalog = catalogOf(knowledge.kb);
  return defineCommand({
    name: 'progress',
    summary: 'Your progress, privately; a channel’s for its managers; or what Backfill keeps about you',
    default: 'mine',
    subcommands: [
      subcommand({
        name: 'mine',
        summary: 'Your progress per topic: seen, learning, mastered, accuracy, day streak, next reviews',
        details: `Your progress, privately: per topic the concepts seen, learning and mastered (as bars), accuracy, your day streak (days in a row with an answer), your weakest concepts and next reviews. ${MASTERED_RULE}`,
        args: { topics: arg(topicsArg(knowledge), { description: 'Only these topics or subtopics, e.g. kafka, hive', default: [], defaultText: 'every topic you met' }) },
        examples: ['', 'kafka'],
        run: ({ args, address, user }) => personalProgress(learning, learnerOf(address, user.id), address, { topics: catalog.normalize(args.topics) }),
      }),
      subcommand({
        name: 'channel',
        permission: 'managers',
        refusal: 'Only channel managers can see a channel’s progress. `/progress` shows yours.',
        summary: `Who answered here and the concepts this channel knows least, over ${CHANNEL_DAYS} days`,
        details: `Participation in this channel's quizzes over the last ${CHANNEL_DAYS} days and the concepts it missed most, so a lead knows what to explain next (privately)`,
        args: {},
        run: async ({ address }) => channelProgressMessage(await learning.channelProgress(address)),
      }),
      subcommand({
        name: 'forget',
        summary: 'What Backfill keeps about you, and a button to delete all of it',
        details: 'What Backfill keeps under your user id on this platform (answers, review schedules and history, practice, settings, reminders), and a button that deletes every row of it',
        args: {},
        async run({ address, user }) {
          const learner = learnerOf(address, user.id);
          return forgetPrompt(await learning.personalData(learner), platformName(address), forgetButton.action(forgetDigest(learner)));
        },
      }),
    ],
  });
}
