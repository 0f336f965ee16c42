import { closest, quoteUserText } from '../core/text.js';
import { catalogOf } from '../knowledge/catalog.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { UsageError } from './usage-error.js';

/** A command of `backfill`: how it is written (one line or more), what each line does, its flags. */
interface CliCommand {
  /** `explain`, `kb list`: the words that name it. */
  name: string;
  /** Usage lines and what each does (lines of the description, as `backfill help` wraps them). */
  lines: ReadonlyArray<readonly [usage: string, ...about: string[]]>;
  /** The flags it takes (besides --help). */
  flags: readonly string[];
  /** What a flag means for this command, where FLAG_HELP's general meaning is not precise enough. */
  flagHelp?: Readonly<Record<string, string>>;
  /** Command lines to try, for `backfill <command> --help`. */
  examples: readonly string[];
}

/** Each flag as written with its value, and what it does (`backfill <command> --help`). */
const FLAG_HELP: Readonly<Record<string, readonly [written: string, about: string]>> = {
  json: ['--json', 'print JSON instead of text'],
  batch: ['--batch', 'read one query per stdin line, write one JSON line per query (with --json)'],
  topic: ['--topic T', 'only this topic or subtopic (repeat it, or use commas: hive,kafka)'],
  topics: ['--topics T,...', 'the same as --topic'],
  count: ['--count N', 'how many questions (default 10, at most 1000)'],
  seed: ['--seed N', 'another draw, the same for the same N (1 to 2147483647)'],
  days: ['--days N', 'the last N days'],
  today: ['--today YYYY-MM-DD', 'measure ages from this day (default: today, local time)'],
  http: ['--http URL', "HTTP mode, Slack calling the bot's public https URL (default: Socket Mode)"],
  guild: ['--guild ID', 'only in the server with this id (17–20 digits), at once\n(default: globally, which Discord may take a while to show)'],
  output: ['--output FILE, -o FILE', 'write the output to FILE instead of stdout'],
  help: ['--help, -h', 'this text'],
};

/** Every command: one source for `backfill help`, each command's usage line in errors, and the flags it takes. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  {
    name: 'explain',
    lines: [
      ['backfill explain <query...> [--json]', 'show the card a question finds (exit 3: no card matched)'],
      ['backfill explain --batch --json', 'one query per stdin line, one JSON line out per query'],
    ],
    flags: ['json', 'batch', 'output'],
    examples: ['backfill explain kafka consumer lag', "printf 'kafka acks\\nspark shuffle\\n' | backfill explain --batch --json"],
  },
  {
    name: 'kb validate',
    lines: [['backfill kb validate [FILE...] [--json]', 'check every knowledge file (exit 1 with the problems); with files, say those files\' problems']],
    flags: ['json', 'output'],
    examples: ['backfill kb validate', 'backfill kb validate knowledge/kafka/acks.md', 'KNOWLEDGE_DIR=./my-cards backfill kb validate', 'backfill kb validate --json'],
  },
  {
    name: 'kb list',
    lines: [['backfill kb list [--topic T] [--json]', 'list the concepts (of topics or subtopics: --topic hive)']],
    flags: ['json', 'topic', 'topics', 'output'],
    examples: ['backfill kb list --topic kafka', "backfill kb list --topic 'kafka streams' --json"],
  },
  { name: 'kb stats', lines: [['backfill kb stats [--json]', 'counts per topic and subtopic, and concepts missing quiz or links']], flags: ['json', 'output'], examples: ['backfill kb stats', 'backfill kb stats --json -o stats.json'] },
  {
    name: 'kb stale',
    lines: [['backfill kb stale [--today YYYY-MM-DD] [--json]', 'cards to review again: never reviewed, reviewed over a', 'year ago, or before a new major release of their tool', '(exit 1 when any are listed, 0 when none)']],
    flags: ['today', 'json', 'output'],
    examples: ['backfill kb stale', 'backfill kb stale --today 2026-01-31 --json'],
  },
  {
    name: 'kb gaps',
    lines: [['backfill kb gaps [--days N] [--json]', 'questions that found no card, or not the one meant (default 30 days)']],
    flags: ['days', 'json', 'output'],
    flagHelp: { days: 'questions asked in the last N days (default 30, at most 3650)' },
    examples: ['backfill kb gaps', 'backfill kb gaps --days 7 --json'],
  },
  {
    name: 'kb reports',
    lines: [['backfill kb reports [--days N] [--json]', 'problems readers reported on cards and questions (default: all)']],
    flags: ['days', 'json', 'output'],
    flagHelp: { days: 'reports made in the last N days (default: all, at most 3650)' },
    examples: ['backfill kb reports', 'backfill kb reports --days 90 --json'],
  },
  {
    name: 'quiz sample',
    lines: [['backfill quiz sample [--topic T] [--count N] [--seed N] [--json]', 'quiz questions as a quiz draws them, answers marked', '(--seed: the same draw again; a card id as T: that card\'s questions)']],
    flags: ['topic', 'topics', 'count', 'seed', 'json', 'output'],
    examples: ['backfill quiz sample --topic kafka --count 5', 'backfill quiz sample --topic spark --seed 7 --json', 'backfill quiz sample --topic kafka/acks'],
  },
  {
    name: 'daily preview',
    lines: [['backfill daily preview [--days N] [--topics T,...] [--seed N] [--json]', 'what a subscribed channel would get, day by day (the', 'same every run; --seed picks another draw)']],
    flags: ['days', 'topic', 'topics', 'seed', 'json', 'output'],
    flagHelp: { days: 'how many days to show (default 14, at most 366)' },
    examples: ['backfill daily preview', 'backfill daily preview --days 7 --topics kafka,spark'],
  },
  { name: 'chat', lines: [['backfill chat', 'chat with the bot in this terminal']], flags: [], examples: ['backfill chat'] },
  {
    name: 'slack manifest',
    lines: [['backfill slack manifest [--http URL]', 'the Slack app manifest (Socket Mode, or HTTP at URL)']],
    flags: ['http', 'output'],
    examples: ['backfill slack manifest -o manifest.json', 'backfill slack manifest --http https://backfill.example.com'],
  },
  {
    name: 'discord deploy',
    lines: [['backfill discord deploy [--guild ID]', 'register the Discord slash commands (one server: at once)']],
    flags: ['guild'],
    examples: ['backfill discord deploy --guild 123456789012345678', 'backfill discord deploy'],
  },
  { name: 'help', lines: [['backfill help [<command>]', 'this text, or one command\'s usage, flags and examples']], flags: [], examples: ['backfill help', 'backfill help kb gaps'] },
];

/** The flags each command takes (besides --help); any other is refused by name rather than ignored. */
export const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(CLI_COMMANDS.filter((c) => c.name !== 'help').map((c) => [c.name, c.flags]));

const ABOUT_COLUMN = 43;

/** The command `argv` runs, as the help names it ("discord deploy"), or its first word. */
export function commandName(argv: readonly string[]): string {
  const words = argv.filter((a) => !a.startsWith('-'));
  return CLI_COMMANDS.find((c) => c.name.split(' ').every((w, i) => words[i] === w))?.name ?? words[0] ?? 'help';
}

/** The command list of `backfill help` (or some of it): usage lines, what each does in a column beside them. */
export function commandList(commands: readonly CliCommand[] = CLI_COMMANDS): string {
  const out: string[] = [];
  for (const { lines } of commands) {
    for (const [usage, ...about] of lines) out.push(...besides(`  ${usage}`, about, ABOUT_COLUMN));
  }
  return out.join('\n');
}

/** `head` with the lines of `about` in a column beside it, or below it when it reaches that column. */
function besides(head: string, about: readonly string[], column: number): string[] {
  const indent = (a: string) => `${' '.repeat(column)}${a}`;
  if (head.length < column - 1) return [`${head.padEnd(column)}${about[0] ?? ''}`.trimEnd(), ...about.slice(1).map(indent)];
  return [head, ...about.map(indent)];
}

const FLAG_COLUMN = 26;

/** The commands `words` name: one (`kb gaps`, `explain`), a group's (`kb`), or none. */
function commandsNamed(words: readonly string[]): CliCommand[] {
  const [group = '', sub] = words;
  const one = CLI_COMMANDS.find((c) => c.name === group || (sub !== undefined && c.name === `${group} ${sub}`));
  if (one) return [one];
  if (sub !== undefined && subcommandsOf(group).length) throw subcommandError(group, sub);
  return CLI_COMMANDS.filter((c) => c.name.startsWith(`${group} `));
}

/**
 * `backfill kb gaps --help` (or `backfill help kb gaps`): what the command does, its flags and
 * examples; for a group (`backfill kb --help`), what each of its commands does. Undefined when the
 * words name no command.
 */
export function commandHelp(words: readonly string[]): string | undefined {
  const commands = commandsNamed(words);
  const [command] = commands;
  if (!command) return undefined;
  if (commands.length > 1) {
    const group = command.name.split(' ')[0]!;
    return `Usage:\n${commandList(commands)}\n\nRun "backfill ${group} <command> --help" for a command's flags and examples.`;
  }
  const flags = [...command.flags, 'help'].flatMap((flag) => {
    const [written, about] = FLAG_HELP[flag] ?? [`--${flag}`, ''];
    return besides(`  ${written}`, (command.flagHelp?.[flag] ?? about).split('\n'), FLAG_COLUMN);
  });
  return [`Usage:\n${commandList([command])}`, `Flags:\n${flags.join('\n')}`, `Example${command.examples.length > 1 ? 's' : ''}:\n${command.examples.map((e) => `  ${e}`).join('\n')}`].join('\n\n');
}

/**
 * "Usage: backfill quiz sample [--topic T] ...": the usage lines of a command, or of every
 * subcommand of a group (`kb`: validate, list, ...).
 */
export function usageOf(name: string): string {
  const commands = CLI_COMMANDS.filter((c) => c.name === name || c.name.startsWith(`${name} `));
  const lines = commands.flatMap((c) => c.lines.map(([usage]) => usage));
  return lines.map((l, i) => `${i === 0 ? 'Usage: ' : '       '}${l}`).join('\n');
}

/** The subcommands of a group (`kb` → validate, list, ...). */
export function subcommandsOf(group: string): string[] {
  return CLI_COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
}

/**
 * The error for a group's missing or unknown subcommand: "backfill kb needs a subcommand:
 * validate, list, ..." or "Unknown kb command "lst" (did you mean "list"?)", and their usage.
 */
export function subcommandError(group: string, given: string | undefined): UsageError {
  const subs = subcommandsOf(group);
  if (!given) return new UsageError(`backfill ${group} needs a subcommand: ${subs.join(', ')}.\n${usageOf(group)}`);
  const near = closest(given, subs);
  return new UsageError(`Unknown ${group} command "${given}"${near ? ` (did you mean "${near}"?)` : ''}. It takes: ${subs.join(', ')}.\n${usageOf(group)}`);
}

/**
 * What node's parseArgs refuses, said in one line with the command's usage: "unknown option --jsn
 * (did you mean --json?)", "--topic needs a value". `argv`: the arguments, to tell the command.
 */
export function argsError(err: Error & { code?: unknown }, argv: readonly string[]): UsageError {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = [words.slice(0, 2).join(' '), words[0] ?? ''].find((n) => n && CLI_COMMANDS.some((c) => c.name === n || c.name.startsWith(`${n} `)));
  const usage = name ? `\n${usageOf(name)}` : '';
  // --help and --version (-v) are read before any command.
  const known = [...new Set([...(name ? CLI_COMMANDS.filter((c) => c.name === name || c.name.startsWith(`${name} `)) : CLI_COMMANDS).flatMap((c) => c.flags), 'help', ...(name ? [] : ['version'])])];
  // "Option '-o, --output <value>' argument missing": the long name.
  const option = /'(?:-\w, )?(-{1,2}[^'\s=,]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    // parseArgs names the first letter of "-target" (-t): the flag as typed says more.
    const typed = (option.startsWith('--') ? undefined : argv.find((a) => a.startsWith(option) && !a.startsWith('--'))) ?? option;
    const bare = typed.replace(/^-+/, '');
    // "-topic" is --topic with one dash.
    const near = known.includes(bare) && !typed.startsWith('--') ? bare : closest(bare, known);
    // "backfill explain terraform -replace": a flag asked about, not one given to the command.
    const rest = argv.slice(argv.indexOf('explain') + 1);
    const own = rest.filter((a) => a.startsWith('--') && known.includes(a.slice(2).split('=')[0]!));
    const asked = name === 'explain' && !near ? `; to ask about a flag, put -- before the question: ${['backfill explain', ...own, '--', ...rest.filter((a) => !own.includes(a))].join(' ')}` : '';
    return new UsageError(`unknown option ${typed}${near ? ` (did you mean --${near}?)` : ''}${asked}${usage}`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/argument missing/.test(err.message)) return new UsageError(`${option} needs a value${usage}`);
    // "--count -3": a value that starts with a dash reads as another option.
    const next = argv[argv.indexOf(option) + 1];
    if (/ambiguous/.test(err.message) && next !== undefined) return new UsageError(`${option} needs a value; "${next}" reads as an option (write ${option}=${next} to give it as the value)${usage}`);
    return new UsageError(`${option} takes no value${usage}`);
  }
  return new UsageError(`${err.message.replace(/'/g, '"')}${usage}`);
}

/** Refuses a flag the command does not take: `kb validate --json` is an error, not silently nothing. */
export function checkFlags(command: string, rest: readonly string[], given: Record<string, unknown>): void {
  const sub = rest[0];
  const key = sub !== undefined && `${command} ${sub}` in COMMAND_FLAGS ? `${command} ${sub}` : command;
  const allowed = COMMAND_FLAGS[key];
  if (!allowed) return; // an unknown command or subcommand is reported by its own handler
  // Only explain (a question) and kb validate (card files) read words after their name; elsewhere a
  // stray word is a mistake, not something to ignore.
  const words = key === 'explain' || key === 'kb validate' ? [] : rest.slice(key.split(' ').length - 1);
  if (words.length) {
    const first = words[0]!.trim();
    const number = /^\d+$/.test(first);
    const flag = number ? ['days', 'count'].find((f) => allowed.includes(f)) : /^[\w ,-]{1,40}$/.test(first) && allowed.includes('topic') ? 'topic' : undefined;
    const hint = flag ? ` Did you mean "backfill ${key} --${flag} ${first}"?` : '';
    const got = words.join(' ');
    throw new UsageError(`"backfill ${key}" takes no words after it (got "${got.length > 40 ? `${got.slice(0, 37)}...` : got}").${hint}\n${usageOf(key)}`);
  }
  for (const [flag, value] of Object.entries(given)) {
    if (flag === 'help' || value === undefined || value === false) continue;
    if (allowed.includes(flag)) continue;
    const takes = allowed.length ? ` (it takes ${allowed.map((f) => `--${f}`).join(', ')})` : ' (it takes none)';
    throw new UsageError(`--${flag} is not an option of "backfill ${key}"${takes}.`);
  }
}

/** The values of --topic/--topics, repeated or comma-separated. */
export function topicValues(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * Topics and subtopics from --topic/--topics values (repeated or comma-separated): `kafka`, `hive`,
 * `"kafka streams"`. An unknown one is refused with a "did you mean".
 */
export function topicsFlag(kb: KnowledgeBase, values: readonly string[]): string[] {
  const catalog = catalogOf(kb);
  const ids: string[] = [];
  const given = topicValues(values);
  if (values.length && !given.length) throw new UsageError(`--topic needs a topic or subtopic, such as ${kb.topics.slice(0, 2).map((t) => t.id).join(' or ')}. Topics: ${kb.topics.map((t) => t.id).join(', ')}.`);
  for (const value of given) {
    const words = value.split(/\s+/);
    const read = catalog.read(words, 0);
    if (!read || read.used !== words.length) {
      // Ids, and subtopic ids as typed with spaces ("kafka stream" → "kafka streams").
      const near = closest(value.replace(/-/g, ' '), catalog.entries.map((e) => e.id.replace(/-/g, ' ')));
      const subtopics = catalog.entries.filter((e) => e.kind === 'subtopic').slice(0, 3).map((e) => e.id);
      const also = subtopics.length ? `; subtopics such as ${subtopics.join(', ')} (backfill kb stats lists them under their topics)` : '';
      throw new UsageError(`Unknown topic "${quoteUserText(value)}".${near ? ` Did you mean "${near}"?` : ''} Topics: ${kb.topics.map((t) => t.id).join(', ')}${also}.`);
    }
    ids.push(...read.ids);
  }
  return catalog.normalize(ids);
}
