#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config/env.js';
import { openKnowledge } from '../knowledge/index.js';
import { runConsole } from '../start.js';
import { reportError, UsageError } from './errors.js';
import { explainCli } from './explain.js';
import { dailyPreview, quizSample, wholeNumber } from './authoring.js';
import { gapsCli } from './gaps.js';
import { kbCli } from './kb.js';
import { slackCli } from './slack.js';
import { discordCli } from './discord.js';

const HELP = `backfill: data-engineering concept cards, quizzes and daily posts for Slack, Discord and the terminal

Usage:
  backfill explain <query...> [--json]     show the card a question finds (exit 3: no card matched)
  backfill explain --batch --json          one query per stdin line, one JSON line out per query
  backfill kb validate                     check every knowledge file (exit 1 with the problems)
  backfill kb list [--json]                list the concepts
  backfill kb stats [--json]               counts per topic, and concepts missing quiz or links
  backfill kb stale [--today YYYY-MM-DD] [--json]
                                           cards to review again: never reviewed, reviewed over a
                                           year ago, or before a new major release of their tool
                                           (exit 1 when any are listed, 0 when none)
  backfill kb gaps [--days N] [--json]     questions that found no card, or not the one meant (default 30 days)
  backfill quiz sample [--topic T] [--count N] [--json]
                                           quiz questions as a quiz draws them, answers marked
  backfill daily preview [--days N] [--topics T,...] [--json]
                                           what a subscribed channel would get, day by day
  backfill chat                            chat with the bot in this terminal
  backfill slack manifest [--http URL]     the Slack app manifest (Socket Mode, or HTTP at URL)
  backfill discord deploy [--guild ID]     register the Discord slash commands (one server: at once)
  backfill help                            this text

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
    },
  });
  const [command = 'help', ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  loadDotEnv();
  const config = loadConfig();
  switch (command) {
    case 'explain': {
      return explainCli({ query: rest.join(' '), json: values.json, batch: values.batch }, openKnowledge(config.KNOWLEDGE_DIR), { input: process.stdin, output: process.stdout });
    }
    case 'kb':
      if (rest[0] === 'gaps') return gapsCli(config, wholeNumber('days', values.days, 30, 3650), values.json, process.stdout);
      return kbCli(rest[0] ?? '', config.KNOWLEDGE_DIR, values.json, process.stdout, { today: values.today });
    case 'slack':
      return slackCli(rest, values.http, config, process.stdout);
    case 'discord':
      return discordCli(rest, values.guild, config, process.stdout);
    case 'quiz': {
      if (rest[0] !== 'sample') throw new UsageError('Usage: backfill quiz sample [--topic T] [--count N] [--json]');
      const kb = openKnowledge(config.KNOWLEDGE_DIR).kb;
      return quizSample(kb, [...(values.topic ?? []), ...(values.topics ?? [])], wholeNumber('count', values.count, 10, 1000), values.json, process.stdout);
    }
    case 'daily': {
      if (rest[0] !== 'preview') throw new UsageError('Usage: backfill daily preview [--days N] [--topics T,...] [--json]');
      const kb = openKnowledge(config.KNOWLEDGE_DIR).kb;
      return dailyPreview(kb, [...(values.topic ?? []), ...(values.topics ?? [])], wholeNumber('days', values.days, 14, 366), values.json, process.stdout);
    }
    case 'chat':
      await runConsole(config);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS') ? reportError(new UsageError(err.message), (s) => process.stderr.write(s)) : reportError(err, (s) => process.stderr.write(s));
  },
);
