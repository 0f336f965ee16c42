import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { renderForTerminal } from '../adapters/console/render.js';
import { explain } from '../knowledge/commands/explain.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { noMissLog } from '../knowledge/misses.js';
import type { SearchResult } from '../search/engine.js';
import { UsageError } from './errors.js';

export function resultJson(query: string, result: SearchResult) {
  const m = result.match;
  return {
    query,
    match: m
      ? { id: m.concept.id, topic: m.concept.topic, title: m.concept.title, aliases: m.concept.aliases, summary: m.concept.summary, body: m.concept.body, score: m.score }
      : null,
    suggestions: result.suggestions.map((s) => ({ id: s.concept.id, topic: s.concept.topic, title: s.concept.title })),
  };
}

export interface ExplainArgs {
  query: string;
  json: boolean;
  batch: boolean;
}

export async function explainCli(args: ExplainArgs, knowledge: Knowledge, io: { input: Readable; output: Writable }): Promise<number> {
  if (args.batch) {
    if (!args.json) throw new UsageError('--batch writes JSON lines: use "backfill explain --batch --json"');
    const rl = createInterface({ input: io.input, terminal: false });
    for await (const line of rl) {
      io.output.write(`${JSON.stringify(resultJson(line, knowledge.search.search(line)))}\n`);
    }
    return 0;
  }
  if (!args.query.trim()) throw new UsageError('Usage: backfill explain <query...> [--json]');
  if (args.json) {
    const result = knowledge.search.search(args.query);
    io.output.write(`${JSON.stringify(resultJson(args.query, result), null, 2)}\n`);
    return result.match ? 0 : 3;
  }
  const reply = await explain(knowledge, noMissLog, args.query.trim(), 'console:cli');
  io.output.write(`${renderForTerminal(reply, { color: false }).text}\n`);
  return knowledge.search.search(args.query).match ? 0 : 3;
}
