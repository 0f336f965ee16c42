import { choice, timeOfDay, timeZone, weekdays } from '../../core/args.js';
import { zoneLabel } from '../../core/zones.js';
import { describeDays } from '../../core/calendar.js';
import { arg, defineCommand, subcommand, type Command } from '../../core/command.js';
import { context, fields, notice, type Reply } from '../../core/reply.js';
import type { Clock } from '../../core/services.js';
import { catalogOf, type TopicCatalog } from '../../knowledge/catalog.js';
import { topicsArg } from '../../knowledge/commands/random.js';
import type { Knowledge } from '../../knowledge/knowledge.js';
import type { SettingsService } from '../../settings/service.js';
import { beyondLimit, effectiveTopics, limitTopics } from '../../settings/topics.js';
import type { Store } from '../../store/store.js';
import type { DailyKind, Subscription } from '../../store/types.js';
import { seconds } from '../../quiz/messages.js';
import { openQuestion } from '../../quiz/open-question.js';
import { describeNextPost, localTime, nextPost } from '../clock.js';
import type { DailyService } from '../service.js';

export interface DailyCommandDeps {
  knowledge: Knowledge;
  store: Store;
  daily: DailyService;
  clock: Clock;
  /** The default zone (per workspace, else DEFAULT_TIMEZONE) and the topics allowed here. */
  settings: SettingsService;
}

const SUBSCRIBE_EXAMPLE = '`/daily subscribe both 09:30 Europe/Berlin kafka spark mon-fri`';
const KINDS: Record<'concept' | 'quiz' | 'both', DailyKind[]> = { concept: ['concept'], quiz: ['quiz'], both: ['concept', 'quiz'] };

/** "a concept and a quiz question at 09:30 (Europe/Berlin), Monday to Friday, from Apache Kafka" */
export function describeSubscription(knowledge: Knowledge, sub: Pick<Subscription, 'kinds' | 'time' | 'timezone' | 'weekdays' | 'topics'>): string {
  const kinds = sub.kinds.length === 2 ? 'a concept and a quiz question' : sub.kinds[0] === 'concept' ? 'a concept' : 'a quiz question';
  return `${kinds} at ${sub.time} (${zoneLabel(sub.timezone)}), ${describeDays(sub.weekdays)}, from ${catalogOf(knowledge.kb).label(sub.topics)}`;
}

/** When the channel's next post comes, in its own zone and calendar. */
async function nextPostOf(d: DailyCommandDeps, sub: Subscription): Promise<string> {
  const today = localTime(d.clock.now(), sub.timezone).date;
  const postedToday = (await d.store.postsOf(sub.address)).some((p) => p.localDate === today);
  return describeNextPost(nextPost(sub, d.clock.now(), postedToday), sub);
}

/**
 * The quiz of the day already posted here and still taking answers, said after posts stop: it runs
 * on to its reveal, and the console shows it again at each start until then.
 */
async function openQuizNote(d: DailyCommandDeps, address: string): Promise<string> {
  const quiz = await d.store.runningQuiz(address, 'daily');
  const open = quiz && (await openQuestion(d.store, quiz, d.clock.now()));
  return open ? ` Today's quiz, already posted, still takes answers: its answer is revealed in ${seconds(open.secondsLeft)}.` : '';
}

async function status(d: DailyCommandDeps, address: string): Promise<Reply> {
  const stored = await d.store.getSubscription(address);
  if (!stored) return notice(`This channel has no daily posts.${await openQuizNote(d, address)} A channel manager can start them with ${SUBSCRIBE_EXAMPLE}.`);
  // What it posts from within the topics the workspace allows now (a limit set after subscribing narrows it).
  const sub = { ...stored, topics: effectiveTopics(catalogOf(d.knowledge.kb), stored.topics, await d.settings.allowedTopics(address)) };
  const recent = await d.daily.lastPosts(address);
  return {
    title: 'Daily posts in this channel',
    ephemeral: true,
    blocks: [
      fields([
        { label: 'What', value: describeSubscription(d.knowledge, sub) },
        { label: 'State', value: sub.state === 'active' ? 'Active' : pausedState(sub.pausedReason) },
        ...(sub.state === 'active' ? [{ label: 'Next post', value: await nextPostOf(d, sub) }] : []),
        ...(recent.length ? [{ label: 'Recent', value: recent.map((p) => `${p.localDate} ${p.kind}: ${p.status}${p.conceptId ? ` (${p.conceptId})` : ''}${p.status !== 'posted' && p.error ? `, ${p.error}` : ''}`).join('\n') }] : []),
      ]),
      context('`/daily pause`, `/daily resume`, `/daily unsubscribe`; `/daily subscribe` with only what should change, e.g. `/daily subscribe 08:00` or `/daily subscribe kafka`.'),
    ],
  };
}

/** Fewer concepts than this in a subscription's topics and they come round again within a week: the reply says so. */
const FEW_CONCEPTS = 7;

/** " Kafka Connect holds one concept: ..." when the concepts of the day would repeat within a week; '' otherwise. */
function fewConcepts(catalog: TopicCatalog, sub: Pick<Subscription, 'kinds' | 'topics'>): string {
  const count = catalog.concepts(sub.topics).length;
  if (!sub.kinds.includes('concept') || count === 0 || count >= FEW_CONCEPTS) return '';
  const repeats = count === 1 ? 'one concept: the same card comes every day it posts' : `${count} concepts: each comes back every ${count} days it posts`;
  return ` ${catalog.label(sub.topics)} holds ${repeats}. Add topics for more, e.g. \`/daily subscribe kafka spark\`.`;
}

const REFUSAL = 'Only channel managers can change daily posts. Anyone can see `/daily status`.';

export function dailyCommand(d: DailyCommandDeps): Command {
  const { knowledge, store, daily, clock } = d;
  const catalog = catalogOf(knowledge.kb);
  return defineCommand({
    name: 'daily',
    visibleTo: 'managers',
    summary: 'Daily concept and quiz posts for this channel: subscribe, pause, resume, status',
    default: 'status',
    subcommands: [
      subcommand({
        name: 'subscribe',
        permission: 'managers',
        postsInChannel: true,
        refusal: REFUSAL,
        summary: 'Start daily posts here, or change what is given and keep the rest',
        details:
          'A concept and/or a quiz question every day (or on the days given), at a time in the channel\'s zone. Subscribing again changes only what is given: `/daily subscribe kafka` changes the topics and keeps the time, zone, days and kinds',
        args: {
          kind: arg(choice<'concept' | 'quiz' | 'both'>([{ value: 'concept', words: ['concepts'] }, { value: 'quiz', words: ['quizzes'] }, { value: 'both' }], 'a kind'), { description: 'A concept card, a quiz question, or both', defaultText: 'both, or as before' }),
          time: arg(timeOfDay(), { description: 'When, in the channel\'s time zone (24-hour HH:MM; 9am works)', defaultText: '09:00, or as before' }),
          zone: arg(timeZone(), { description: 'The channel\'s time zone: Europe/Berlin, CET, America/New_York, UTC', defaultText: `the workspace's zone (\`/settings\`; else ${d.settings.defaults.timezone}), or as before` }),
          topics: arg(topicsArg(knowledge), { description: 'Topics or subtopics to post from (all: every topic)', defaultText: 'all topics, or as before' }),
          days: arg(weekdays(), { description: 'Days of the week: mon-fri, fri-mon, mon,wed,fri, weekends', defaultText: 'every day, or as before' }),
        },
        examples: ['both 09:30 Europe/Berlin kafka spark mon-fri', 'kafka', '08:00 CET weekdays'],
        async run({ args, address, user, conventions }): Promise<Reply> {
          const current = await store.getSubscription(address);
          const here = await d.settings.of(address);
          const before = current ?? { kinds: KINDS.both, time: '09:00', timezone: here.timezone, topics: [], weekdays: [] };
          let topics = before.topics;
          if (args.topics) {
            const limited = limitTopics(catalog, args.topics, here.topics);
            if ('outside' in limited) return notice(beyondLimit('Daily posts', catalog, here.topics, limited.outside, conventions));
            topics = catalog.normalize(args.topics);
          }
          const saved: Subscription = {
            address,
            kinds: args.kind ? KINDS[args.kind] : before.kinds,
            time: args.time ?? before.time,
            timezone: args.zone?.zone ?? before.timezone,
            topics,
            weekdays: args.days ?? before.weekdays,
            state: 'active',
            pausedReason: null,
            createdBy: current?.createdBy ?? user.id,
            createdAt: current?.createdAt ?? clock.now().toISOString(),
          };
          const nothing = Object.values(args).every((v) => v === undefined);
          if (current && nothing && current.state === 'active') {
            return notice(`Nothing to change: this channel gets ${describeSubscription(knowledge, current)}. Give only what should change, e.g. \`/daily subscribe 08:00\` or \`/daily subscribe kafka\`.`);
          }
          await store.saveSubscription(saved);
          await daily.scheduled(saved);
          const zone = args.zone && args.zone.given.toLowerCase() !== zoneLabel(args.zone.zone).toLowerCase() ? ` (“${args.zone.given}” is ${zoneLabel(args.zone.zone)} here.)` : '';
          const verb = !current ? 'Subscribed' : current.state !== 'active' ? 'Resumed and updated' : 'Updated';
          const effective = { ...saved, topics: effectiveTopics(catalog, saved.topics, here.topics) };
          return notice(`${verb}: this channel gets ${describeSubscription(knowledge, effective)}.${zone} Next post: ${await nextPostOf(d, saved)}.${fewConcepts(catalog, effective)}`);
        },
      }),
      subcommand({
        name: 'status',
        summary: 'What this channel gets, when the next post comes (in its own zone), and the recent posts',
        args: {},
        run: ({ address }) => status(d, address),
      }),
      subcommand({
        name: 'pause',
        permission: 'managers',
        refusal: REFUSAL,
        summary: 'Stop the posts for now; `/daily resume` starts them again',
        args: {},
        async run({ address, user }) {
          const current = await store.getSubscription(address);
          if (!current) return notice(`This channel has no daily posts. Start them with ${SUBSCRIBE_EXAMPLE}.`);
          if (current.state === 'paused') return notice(['Already paused.', current.pausedReason, '`/daily resume` starts the posts again.'].filter(Boolean).join(' '));
          await store.setSubscriptionState(address, 'paused', `Paused by ${user.name}.`);
          return notice('Paused. `/daily resume` starts the posts again.');
        },
      }),
      subcommand({
        name: 'resume',
        permission: 'managers',
        postsInChannel: true,
        refusal: REFUSAL,
        summary: 'Start paused posts again',
        args: {},
        async run({ address }) {
          const current = await store.getSubscription(address);
          if (!current) return notice(`This channel has no daily posts. Start them with ${SUBSCRIBE_EXAMPLE}.`);
          if (current.state === 'active') return notice(`Not paused: ${describeSubscription(knowledge, current)}. Next post: ${await nextPostOf(d, current)}.`);
          await store.setSubscriptionState(address, 'active', null);
          const resumed = { ...current, state: 'active' as const, pausedReason: null };
          await daily.scheduled(resumed);
          return notice(`Resumed: ${describeSubscription(knowledge, current)}. Next post: ${await nextPostOf(d, resumed)}.`);
        },
      }),
      subcommand({
        name: 'unsubscribe',
        permission: 'managers',
        refusal: REFUSAL,
        summary: 'No more daily posts here',
        args: {},
        async run({ address }) {
          const removed = await store.deleteSubscription(address);
          return notice(removed ? `Unsubscribed: no more daily posts here.${await openQuizNote(d, address)}` : 'This channel had no daily posts.');
        },
      }),
    ],
  });
}

/** "Paused by mia." as it was stored, not "Paused. Paused by mia."; any other reason after "Paused.". */
function pausedState(reason: string | null | undefined): string {
  if (!reason) return 'Paused.';
  return /^paused\b/i.test(reason) ? reason : `Paused. ${reason}`;
}
