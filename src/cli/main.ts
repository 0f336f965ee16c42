#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { Config } from '../config/env.js';
import { closest } from '../core/text.js';
import { silentLogger } from '../core/log.js';
import { quietOnClosedPipe } from '../core/exit.js';
import { loadDotEnv } from '../config/dotenv.js';
import { argsError, checkFlags, CLI_COMMANDS, commandHelp, commandList, commandName, subcommandError } from './flags.js';
import { NPM_BANNER_HINT, npmBannerOnStdout, withOutput } from './output.js';
import { UsageError } from './usage-error.js';

// Each command loads only the modules it needs, when it runs (`--help` none of them): see run().

const HELP = `backfill: data-engineering concept cards, quizzes and daily posts for Slack, Discord and the terminal

Usage:
${commandList()}

"backfill <command> --help" shows a command's flags and examples. Every command takes only its own
flags. --output FILE (-o) writes the output to FILE instead of stdout. For clean JSON on stdout
through npm, use \`npm run -s backfill -- ...\`: without -s, npm prints its "> backfill ..." banner
on stdout first. --version (-v) prints the version.

Configuration comes from environment variables or a .env file: see .env.example.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs(argv);
  const [command = 'help', ...rest] = positionals;
  if (values.version && positionals.length === 0) {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`backfill ${version}\n`);
    return 0;
  }
  // "backfill --json": a flag of some command, with none to go with it, is not silently dropped.
  const given = Object.entries(values).filter(([name, v]) => name !== 'help' && v !== undefined && v !== false);
  if (positionals.length === 0 && !values.help && given.length) {
    throw new UsageError(`--${given[0]![0]} goes with a command, e.g. "backfill kb list --json".`);
  }
  if (values.help || command === 'help') {
    // `backfill kb gaps --help`, `backfill help kb gaps`: that command's help; `backfill help`, `backfill --help`: all of them.
    const words = command === 'help' ? rest : positionals;
    const help = words.length ? commandHelp(words) : HELP;
    if (help === undefined) throw unknownCommand(words[0]!);
    process.stdout.write(`${help}\n`);
    return 0;
  }
  checkFlags(command, rest, values);
  if (values.json && values.output === undefined && !process.stdout.isTTY && npmBannerOnStdout()) process.stderr.write(NPM_BANNER_HINT);
  const dotEnv = loadDotEnv(process.cwd(), process.env.ENV_FILE);
  // The settings' schema loads only when a .env names something to check against it.
  const misspelt = dotEnv.names.length ? (await import('../config/env.js')).misspeltSettings(dotEnv.names, dotEnv.file) : [];
  for (const warning of [...dotEnv.warnings, ...misspelt]) process.stderr.write(`warning: ${warning}\n`);
  const seed = values.seed === undefined ? undefined : (await import('./authoring.js')).wholeNumber('seed', values.seed, 1, 2 ** 31 - 1);
  return withOutput(values.output, (out) => run(command, rest, values, out, seed));
}

/** Flags whose value is a number: "--days -1" gives -1 to --days (then refused as out of range, with the range), not an unknown option "-1". */
const NUMBER_FLAGS = new Set(['--count', '--days', '--seed']);

/** The flags and words of the command line; a flag node cannot read is a usage error naming it, with the command's usage. */
function readArgs(argv: string[]) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (NUMBER_FLAGS.has(argv[i]!) && next !== undefined && /^-\d/.test(next)) {
      args.push(`${argv[i]}=${next}`);
      i++;
    } else args.push(argv[i]!);
  }
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        batch: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        http: { type: 'string' },
        guild: { type: 'string' },
        topic: { type: 'string', multiple: true },
        topics: { type: 'string', multiple: true },
        count: { type: 'string' },
        days: { type: 'string' },
        today: { type: 'string' },
        seed: { type: 'string' },
        output: { type: 'string', short: 'o' },
      },
    });
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) throw argsError(err, argv);
    throw err;
  }
}

/** The whole configuration, checked: for the commands that use more of it than KNOWLEDGE_DIR. */
async function loadConfig(): Promise<Config> {
  return (await import('../config/env.js')).loadConfig();
}

/**
 * The settings `slack manifest` uses: the knowledge base's. It is step 1 of setting Slack up, before
 * any token exists, so a problem with another setting is a warning, not a refusal.
 */
async function manifestConfig(): Promise<Config> {
  const env = await import('../config/env.js');
  try {
    return env.loadConfig();
  } catch (err) {
    if (!(err instanceof env.ConfigError)) throw err;
    const config = env.loadConfig({ KNOWLEDGE_DIR: process.env['KNOWLEDGE_DIR'] });
    for (const line of err.lines) process.stderr.write(`warning: ${line} (the manifest does not use it; npm start will refuse it)\n`);
    return config;
  }
}

/**
 * Commands that only read the knowledge base (explain, kb validate|list|stats|stale, quiz sample,
 * daily preview) take KNOWLEDGE_DIR alone from the configuration, and read the knowledge base from
 * a current snapshot (KNOWLEDGE_CACHE_DIR): they load neither the configuration's schema nor the
 * YAML parser. The others check the whole configuration first, as `npm start` does.
 */
async function knowledgeDir(): Promise<string> {
  return (await import('../knowledge/snapshot.js')).configuredKnowledgeDir();
}

async function knowledgeBase() {
  const { configuredKnowledgeDir, loadKnowledgeBaseCached } = await import('../knowledge/snapshot.js');
  return loadKnowledgeBaseCached(configuredKnowledgeDir(), READ_ANYWAY);
}

/**
 * Commands that read the knowledge base go on without a broken card, as the bot does, and say so
 * on stderr: an author can still sample the card they work on. `kb validate` refuses instead.
 */
const READ_ANYWAY = { skipInvalidCards: true, log: { ...silentLogger, warn: (line: string) => void process.stderr.write(`warning: ${line}\n`) } };

async function run(command: string, rest: string[], values: Values, out: Writable, seed: number | undefined): Promise<number> {
  switch (command) {
    case 'explain': {
      const [{ explainCli }, { configuredKnowledgeDir, openKnowledgeCached }] = await Promise.all([import('./explain.js'), import('../knowledge/snapshot.js')]);
      const { kb, search } = await openKnowledgeCached(configuredKnowledgeDir(), READ_ANYWAY);
      return explainCli({ query: rest.join(' '), json: values.json, batch: values.batch }, { kb, search }, { input: process.stdin, output: out });
    }
    case 'kb': {
      if (!rest[0]) throw subcommandError('kb', undefined);
      if (rest[0] === 'reports') {
        const [{ reportsCli }, { wholeNumber }] = await Promise.all([import('./reports.js'), import('./authoring.js')]);
        const days = values.days === undefined ? undefined : wholeNumber('days', values.days, 30, 3650);
        return reportsCli(await loadConfig(), await knowledgeBase(), days, values.json, out);
      }
      if (rest[0] === 'gaps') {
        const [{ gapsCli }, { wholeNumber }, { configuredKnowledgeDir, openKnowledgeCached }] = await Promise.all([import('./gaps.js'), import('./authoring.js'), import('../knowledge/snapshot.js')]);
        const days = wholeNumber('days', values.days, 30, 3650);
        const answerer = async () => {
          const { search } = await openKnowledgeCached(configuredKnowledgeDir(), READ_ANYWAY);
          return (query: string) => search.search(query).match?.concept.id ?? null;
        };
        return gapsCli(await loadConfig(), days, values.json, out, new Date(), answerer);
      }
      const { kbCommand, kbReport } = await import('./kb-report.js');
      const options = { today: values.today, topics: [...(values.topic ?? []), ...(values.topics ?? [])] };
      const sub = kbCommand(rest[0] ?? '', options);
      // validate reads every file itself: it is the check.
      if (sub === 'validate') return (await import('./kb.js')).kbCli(sub, await knowledgeDir(), values.json, out, { ...options, files: rest.slice(1) });
      const kb = await knowledgeBase();
      // Quizzes also draw questions generated from the cards: stats counts them apart from the written ones.
      const generated = sub === 'stats' ? (await import('./question-counts.js')).generatedQuestions(kb) : undefined;
      return kbReport(sub, kb, values.json, out, { ...options, generated });
    }
    case 'slack':
      return (await import('./slack.js')).slackCli(rest, values.http, await manifestConfig(), out);
    case 'discord':
      return (await import('./discord.js')).discordCli(rest, values.guild, loadConfig, out);
    case 'quiz': {
      if (rest[0] !== 'sample') throw subcommandError('quiz', rest[0]);
      const { quizSample, wholeNumber } = await import('./authoring.js');
      const kb = await knowledgeBase();
      return quizSample(kb, [...(values.topic ?? []), ...(values.topics ?? [])], wholeNumber('count', values.count, 10, 1000), values.json, out, seed);
    }
    case 'daily': {
      if (rest[0] !== 'preview') throw subcommandError('daily', rest[0]);
      const { dailyPreview, wholeNumber } = await import('./authoring.js');
      const kb = await knowledgeBase();
      return dailyPreview(kb, [...(values.topic ?? []), ...(values.topics ?? [])], wholeNumber('days', values.days, 14, 366), values.json, out, new Date(), seed);
    }
    case 'chat': {
      const [{ runConsole }, config] = await Promise.all([import('../start.js'), loadConfig()]);
      await runConsole(config);
      return 0;
    }
    default:
      throw unknownCommand(command);
  }
}

function unknownCommand(command: string): UsageError {
  const near = closest(command, [...new Set(CLI_COMMANDS.map((c) => c.name.split(' ')[0]!))]);
  return new UsageError(`Unknown command "${command}".${near ? ` Did you mean "backfill ${near}"?` : ''}`);
}

interface Values {
  json: boolean;
  batch: boolean;
  http?: string;
  guild?: string;
  topic?: string[];
  topics?: string[];
  count?: string;
  days?: string;
  today?: string;
}

// `backfill kb list | head`: the reader going away ends the process quietly, not with an EPIPE stack.
quietOnClosedPipe();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    const { reportError } = await import('./errors.js');
    process.exitCode = reportError(err, (s) => process.stderr.write(s), `run "backfill ${commandName(process.argv.slice(2))}"`);
  },
);
