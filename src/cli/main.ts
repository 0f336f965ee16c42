#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { Config } from '../config/env.js';
import { checkFlags } from './flags.js';
import { NPM_BANNER_HINT, npmBannerOnStdout, quietOnClosedPipe, withOutput } from './output.js';
import { UsageError } from './usage-error.js';

// Each command loads only the modules it needs, when it runs (`--help` none of them): see run().

const HELP = `backfill: data-engineering concept cards, quizzes and daily posts for Slack, Discord and the terminal

Usage:
  backfill explain <query...> [--json]     show the card a question finds (exit 3: no card matched)
  backfill explain --batch --json          one query per stdin line, one JSON line out per query
  backfill kb validate                     check every knowledge file (exit 1 with the problems)
  backfill kb list [--topic T] [--json]    list the concepts (of topics or subtopics: --topic hive)
  backfill kb stats [--json]               counts per topic, and concepts missing quiz or links
  backfill kb stale [--today YYYY-MM-DD] [--json]
                                           cards to review again: never reviewed, reviewed over a
                                           year ago, or before a new major release of their tool
                                           (exit 1 when any are listed, 0 when none)
  backfill kb gaps [--days N] [--json]     questions that found no card, or not the one meant (default 30 days)
  backfill kb reports [--days N] [--json]  problems readers reported on cards and questions (default: all)
  backfill quiz sample [--topic T] [--count N] [--seed N] [--json]
                                           quiz questions as a quiz draws them, answers marked
                                           (--seed: the same draw again)
  backfill daily preview [--days N] [--topics T,...] [--seed N] [--json]
                                           what a subscribed channel would get, day by day (the
                                           same every run; --seed picks another draw)
  backfill chat                            chat with the bot in this terminal
  backfill slack manifest [--http URL]     the Slack app manifest (Socket Mode, or HTTP at URL)
  backfill discord deploy [--guild ID]     register the Discord slash commands (one server: at once)
  backfill help                            this text

Every command takes only its own flags. --output FILE (-o) writes the output to FILE instead of
stdout. For clean JSON on stdout through npm, use \`npm run -s backfill -- ...\`: without -s, npm
prints its "> backfill ..." banner on stdout first.

Configuration comes from environment variables or a .env file: see .env.example.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      batch: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
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
  const [command = 'help', ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  checkFlags(command, rest[0], values);
  if (values.json && values.output === undefined && !process.stdout.isTTY && npmBannerOnStdout()) process.stderr.write(NPM_BANNER_HINT);
  loadDotEnv();
  const seed = values.seed === undefined ? undefined : (await import('./authoring.js')).wholeNumber('seed', values.seed, 1, 2 ** 31);
  return withOutput(values.output, (out) => run(command, rest, values, out, seed));
}

/** A .env file in the working directory, as config/env.ts loadDotEnv reads it (without loading that module). */
function loadDotEnv(): void {
  const path = resolve(process.cwd(), '.env');
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The whole configuration, checked: for the commands that use more of it than KNOWLEDGE_DIR. */
async function loadConfig(): Promise<Config> {
  return (await import('../config/env.js')).loadConfig();
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
  return loadKnowledgeBaseCached(configuredKnowledgeDir());
}

async function run(command: string, rest: string[], values: Values, out: Writable, seed: number | undefined): Promise<number> {
  switch (command) {
    case 'explain': {
      const [{ explainCli }, { configuredKnowledgeDir, openKnowledgeCached }] = await Promise.all([import('./explain.js'), import('../knowledge/snapshot.js')]);
      const { kb, search } = await openKnowledgeCached(configuredKnowledgeDir());
      return explainCli({ query: rest.join(' '), json: values.json, batch: values.batch }, { kb, search }, { input: process.stdin, output: out });
    }
    case 'kb': {
      if (rest[0] === 'reports') {
        const [{ reportsCli }, { wholeNumber }] = await Promise.all([import('./reports.js'), import('./authoring.js')]);
        const days = values.days === undefined ? undefined : wholeNumber('days', values.days, 30, 3650);
        return reportsCli(await loadConfig(), await knowledgeBase(), days, values.json, out);
      }
      if (rest[0] === 'gaps') {
        const [{ gapsCli }, { wholeNumber }] = await Promise.all([import('./gaps.js'), import('./authoring.js')]);
        return gapsCli(await loadConfig(), wholeNumber('days', values.days, 30, 3650), values.json, out);
      }
      const { kbCommand, kbReport } = await import('./kb-report.js');
      const options = { today: values.today, topics: [...(values.topic ?? []), ...(values.topics ?? [])] };
      const sub = kbCommand(rest[0] ?? '', options);
      // validate reads every file itself: it is the check.
      if (sub === 'validate') return (await import('./kb.js')).kbCli(sub, await knowledgeDir(), values.json, out, options);
      return kbReport(sub, await knowledgeBase(), values.json, out, options);
    }
    case 'slack':
      return (await import('./slack.js')).slackCli(rest, values.http, await loadConfig(), out);
    case 'discord':
      return (await import('./discord.js')).discordCli(rest, values.guild, await loadConfig(), out);
    case 'quiz': {
      if (rest[0] !== 'sample') throw new UsageError('Usage: backfill quiz sample [--topic T] [--count N] [--json]');
      const { quizSample, wholeNumber } = await import('./authoring.js');
      const kb = await knowledgeBase();
      return quizSample(kb, [...(values.topic ?? []), ...(values.topics ?? [])], wholeNumber('count', values.count, 10, 1000), values.json, out, seed);
    }
    case 'daily': {
      if (rest[0] !== 'preview') throw new UsageError('Usage: backfill daily preview [--days N] [--topics T,...] [--json]');
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
      throw new UsageError(`Unknown command "${command}".`);
  }
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
    process.exitCode = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS') ? reportError(new UsageError(err.message), (s) => process.stderr.write(s)) : reportError(err, (s) => process.stderr.write(s));
  },
);
