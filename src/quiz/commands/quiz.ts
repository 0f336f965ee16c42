import { duration, integer } from '../../core/args.js';
import { arg, defineCommand, subcommand, type Command } from '../../core/command.js';
import { formatDuration } from '../../core/calendar.js';
import { seconds } from '../messages.js';
import { notice } from '../../core/reply.js';
import { catalogOf } from '../../knowledge/catalog.js';
import { topicsArg } from '../../knowledge/commands/random.js';
import type { Knowledge } from '../../knowledge/knowledge.js';
import { beyondLimit, limitTopics } from '../../settings/topics.js';
import { MAX_QUESTIONS, type QuizService } from '../engine.js';

export const DEFAULT_QUESTIONS = 5;
/** How long a channel question may stay open: QUIZ_ANSWER_SECONDS's range. */
export const ANSWER_SECONDS = { min: 5, max: 600 } as const;

/** Words of a request in plain English that say nothing about the quiz: "quiz me on kafka". */
const FILLER = ['me', 'us', 'on', 'about', 'in', 'of', 'a', 'an', 'the', 'some', 'please', 'pls', 'questions', 'question', 'with', 'and'];

/** What a quiz reads of the settings of a channel's workspace or server (see src/settings). */
export interface QuizSettings {
  of(address: string): Promise<{ answerSeconds: number; topics: string[] }>;
  readonly defaults: { answerSeconds: number };
}

export function quizCommand(knowledge: Knowledge, quizzes: QuizService, settings: QuizSettings): Command {
  const catalog = catalogOf(knowledge.kb);
  return defineCommand({
    name: 'quiz',
    summary: 'Start a quiz in this channel, stop it, skip a question, or review what you missed',
    default: 'start',
    subcommands: [
      subcommand({
        name: 'start',
        postsInChannel: true,
        summary: 'An in-channel quiz: questions one at a time, four answer buttons each',
        details: `An in-channel quiz: \`count\` questions (default ${DEFAULT_QUESTIONS}, at most ${MAX_QUESTIONS}) about the topics or subtopics named, four answer buttons each, each open for the answer time`,
        args: {
          topics: arg(topicsArg(knowledge), { description: 'Topics or subtopics to ask about, e.g. kafka, hive, spark sql', default: [], defaultText: 'all topics' }),
          count: arg(integer({ min: 1, max: MAX_QUESTIONS, label: 'The number of questions', placeholder: 'count' }), { description: 'How many questions', default: DEFAULT_QUESTIONS }),
          seconds: arg(duration({ ...ANSWER_SECONDS, label: 'The time to answer', placeholder: 'answer time' }), {
            description: 'How long each question stays open',
            defaultText: `the workspace's answer time (\`/settings\`), else ${formatDuration(settings.defaults.answerSeconds)}`,
          }),
        },
        filler: FILLER,
        examples: ['kafka 3', 'hive 5 60s', 'kafka streams'],
        async run({ args, address, user, conventions }) {
          const here = await settings.of(address);
          const limited = limitTopics(catalog, args.topics, here.topics);
          if ('outside' in limited) return notice(beyondLimit('Quizzes', catalog, here.topics, limited.outside, conventions));
          const { topics } = limited;
          const windowSeconds = args.seconds ?? here.answerSeconds;
          const { quiz, error } = await quizzes.start({ address, user, topics, count: args.count, kind: 'quiz', windowSeconds });
          if (!quiz) return notice(error ?? 'The quiz could not start.');
          const fewer = quiz.total < args.count ? ` (${catalog.label(topics)} has ${quiz.total} so far)` : '';
          return notice(`Started a ${quiz.total}-question quiz${fewer}. Each question closes after ${seconds(windowSeconds)}; \`/quiz skip\` reveals it now, \`/quiz stop\` ends the quiz early.`);
        },
      }),
      subcommand({
        name: 'stop',
        who: 'who started it, or a channel manager',
        summary: 'End the quiz early: the open question is revealed, answers so far count',
        args: {},
        run: ({ address, user }) => quizzes.stop(address, user),
      }),
      subcommand({
        name: 'skip',
        who: 'who started it, or a channel manager',
        summary: 'Reveal the open question now and go on to the next',
        args: {},
        run: ({ address, user }) => quizzes.skip(address, user),
      }),
      subcommand({
        name: 'review',
        summary: 'The questions you missed in your latest quiz here, with the cards to read',
        args: { topics: arg(topicsArg(knowledge), { description: 'Only questions about these topics or subtopics', default: [], defaultText: 'all' }) },
        examples: ['', 'spark'],
        run: ({ address, user, args }) => quizzes.review(address, user, catalog.normalize(args.topics)),
      }),
    ],
  });
}
