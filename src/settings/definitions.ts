import { duration } from '../core/args.js';
import { formatDuration } from '../core/calendar.js';
import { closest, listing, quoteUserText } from '../core/text.js';
import { readZone } from '../core/zones.js';
import { ALL_TOPICS, type TopicCatalog } from '../knowledge/catalog.js';
import { ANSWER_SECONDS } from '../quiz/commands/quiz.js';
import { storedTopics } from './topics.js';

/** The defaults, from the environment: what applies where nothing was set. */
export interface SettingsDefaults {
  /** QUIZ_ANSWER_SECONDS */
  answerSeconds: number;
  /** DEFAULT_TIMEZONE */
  timezone: string;
}

/** What reading a value needs to know: where it is set, and the topics there are. */
export interface ReadContext {
  /** The platform of the address (`slack`, `discord`, `console`). */
  platform: string;
  catalog: TopicCatalog;
}

export type ReadValue = { value: string; note?: string } | { error: string };

/** One setting: its name as typed, how a value is read (and stored, as text) and how it is shown. */
export interface SettingDefinition {
  name: string;
  /** Other words for it: `zone` for timezone. */
  aliases: string[];
  label: string;
  /** The label names several ("Allowed topics are now ..."). */
  plural?: boolean;
  /** For help and `/settings`: what it changes. */
  description: string;
  example: string;
  read(words: string, ctx: ReadContext): ReadValue;
  show(stored: string, ctx: ReadContext): string;
  /** How the default is said: "20 s (QUIZ_ANSWER_SECONDS)". */
  showDefault(defaults: SettingsDefaults): string;
}

const answerTime = duration({ ...ANSWER_SECONDS, label: 'The answer time' });

/** A Slack user group id (S0604QSJC), also as Slack writes a group mention: <!subteam^S0604QSJC|@devs>. */
const SLACK_GROUP = /^(?:<!subteam\^)?(S[A-Z0-9]{2,20})(?:\|[^>]*)?>?$/;
/** A Discord role id (a snowflake), also as a role mention: <@&123456789012345678>. */
const DISCORD_ROLE = /^(?:<@&)?(\d{17,20})>?$/;
/** Test and future platforms: an id without spaces or markup. */
const ANY_GROUP = /^([A-Za-z0-9_-]{1,64})$/;

function readManagers(words: string, platform: string): ReadValue {
  const word = words.trim();
  if (platform === 'console') return { error: 'At the console everyone at the terminal is a manager: there is no group to choose.' };
  if (platform === 'slack') {
    const id = SLACK_GROUP.exec(word)?.[1];
    return id
      ? { value: id }
      : { error: `“${quoteUserText(word, 40)}” is not a Slack user group id. It looks like S0604QSJC: open the group (People → User groups), then ⋮ → Copy group ID.` };
  }
  if (platform === 'discord') {
    const id = DISCORD_ROLE.exec(word)?.[1];
    return id
      ? { value: id }
      : { error: `“${quoteUserText(word, 40)}” is not a Discord role. Mention the role (@Role), or give its id, a number like 123456789012345678 (Server Settings → Roles → ⋯ → Copy Role ID, with Developer Mode on).` };
  }
  const id = ANY_GROUP.exec(word)?.[1];
  return id ? { value: id } : { error: `“${quoteUserText(word, 40)}” is not a group id.` };
}

/** Topic and subtopic ids from words (`kafka spark`, `kafka streams`, `kafka,hive`); `all` is every topic. */
function readTopics(words: string, catalog: TopicCatalog): ReadValue {
  const list = words.split(/[\s,]+/).filter(Boolean);
  const ids: string[] = [];
  let i = 0;
  while (i < list.length) {
    const r = catalog.read(list, i);
    if (!r) {
      const vocabulary = catalog.vocabulary();
      const near = closest(list[i]!, vocabulary.words());
      return { error: `${vocabulary.unknown(list[i]!)} ${near ? `Did you mean “${near}”?` : (vocabulary.listing?.() ?? '')}`.trim() };
    }
    for (const id of r.ids) if (!ids.includes(id)) ids.push(id);
    i += r.used;
  }
  const selection = catalog.normalize(ids);
  return { value: selection.join(','), note: ids.includes(ALL_TOPICS) ? 'every topic' : undefined };
}

/** Allowed topics, and those chosen that the knowledge base no longer has (see SettingsService.of). */
function showTopics(stored: string, catalog: TopicCatalog): string {
  const { topics, missing } = storedTopics(catalog, stored);
  if (!missing.length) return catalog.label(topics);
  const gone = `${listing(missing.map((id) => `\`${quoteUserText(id, 40)}\``), 'and')} ${missing.length === 1 ? 'is' : 'are'} no longer in the knowledge base`;
  return topics.length ? `${catalog.label(topics)} (${gone})` : `all topics, since ${gone}: \`/settings set topics\` chooses again`;
}

export const SETTINGS: readonly SettingDefinition[] = [
  {
    name: 'answer-time',
    aliases: ['answer', 'answer_time', 'answertime', 'seconds'],
    label: 'Answer time',
    description: `How long each question of a \`/quiz\` stays open when no time is given (${formatDuration(ANSWER_SECONDS.min)} to ${formatDuration(ANSWER_SECONDS.max)}); a running quiz keeps its own`,
    example: '30s',
    read(words) {
      const word = words.trim();
      const r = word.includes(' ') ? undefined : answerTime.read([/^\d+$/.test(word) ? `${word}s` : word], 0);
      if (r && 'value' in r) return { value: String(r.value) };
      if (r && 'error' in r) return { error: r.error };
      return { error: `“${quoteUserText(word, 30)}” is not a duration: give seconds or minutes, e.g. 30s, 90s or 2m (${formatDuration(ANSWER_SECONDS.min)} to ${formatDuration(ANSWER_SECONDS.max)}).` };
    },
    show: (stored) => formatDuration(Number(stored)),
    showDefault: (d) => `${formatDuration(d.answerSeconds)} (QUIZ_ANSWER_SECONDS)`,
  },
  {
    name: 'timezone',
    aliases: ['zone', 'tz', 'time-zone', 'time_zone'],
    label: 'Default time zone',
    description: 'The zone `/daily subscribe` uses when none is given, and of personal reminders; subscriptions made before keep their zone',
    example: 'Europe/Berlin',
    read(words) {
      const word = words.trim();
      const r = word && !word.includes(' ') ? readZone(word) : undefined;
      if (r && 'zone' in r) return { value: r.zone, note: r.given.toLowerCase() !== r.zone.toLowerCase() ? `“${quoteUserText(r.given, 20)}” is ${r.zone} here` : undefined };
      if (r && 'error' in r) return { error: r.error };
      if (r && 'hint' in r) return { error: `“${quoteUserText(word, 40)}” is not a time zone: did you mean ${r.hint}?` };
      return { error: `“${quoteUserText(word, 40)}” is not a time zone: use an IANA name such as Europe/Berlin or America/New_York, an abbreviation such as CET, or UTC+2.` };
    },
    show: (stored) => stored,
    showDefault: (d) => `${d.timezone} (DEFAULT_TIMEZONE)`,
  },
  {
    name: 'managers',
    aliases: ['manager', 'admins', 'role', 'group'],
    label: 'Managers',
    plural: true,
    description:
      'A Slack user group or Discord role whose members count as channel managers (for `/daily`, `/settings` and stopping others’ quizzes), besides those the platform makes managers',
    example: 'S0604QSJC',
    read: (words, ctx) => readManagers(words, ctx.platform),
    show: (stored, ctx) => `members of ${ctx.platform === 'discord' ? 'the role' : ctx.platform === 'slack' ? 'the user group' : 'the group'} \`${stored}\`, and the platform’s managers`,
    showDefault: () => 'the platform’s managers only',
  },
  {
    name: 'topics',
    aliases: ['topic', 'allowed-topics', 'allowed'],
    label: 'Allowed topics',
    plural: true,
    description: 'Topics (or subtopics) quizzes and daily posts are limited to; `/explain`, `/topics` and `/random` still answer about every topic',
    example: 'kafka spark',
    read: (words, ctx) => readTopics(words, ctx.catalog),
    show: (stored, ctx) => showTopics(stored, ctx.catalog),
    showDefault: () => 'all topics',
  },
];

/** The setting a word names, by name or alias, in any case. */
export function findSetting(word: string): SettingDefinition | undefined {
  const w = word.toLowerCase();
  return SETTINGS.find((s) => s.name === w || s.aliases.includes(w));
}

/** "Unknown setting “x”. Did you mean “timezone”? Settings: answer-time, timezone, managers and topics." */
export function unknownSetting(word: string, extra: readonly string[] = []): string {
  const names = [...SETTINGS.map((s) => s.name), ...extra];
  const near = closest(word, [...names, ...SETTINGS.flatMap((s) => s.aliases)]);
  const meant = near ? (findSetting(near)?.name ?? near) : undefined;
  return `Unknown setting “${quoteUserText(word, 30)}”.${meant ? ` Did you mean “${meant}”?` : ''} Settings: ${listing(names, 'and')}.`;
}
