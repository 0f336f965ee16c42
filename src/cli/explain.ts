import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { renderForTerminal } from '../adapters/console/render.js';
import { explain, explainSearch } from '../knowledge/commands/explain.js';
import { text, type Reply } from '../core/reply.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { noMissLog } from '../knowledge/misses.js';
import type { SearchResult } from '../search/engine.js';
import { UsageError } from './errors.js';
import { quotedLine } from './output.js';

export function resultJson(query: string, result: SearchResult) {
  const m = result.match;
  return {
    query,
    match: m
      ? {
          id: m.concept.id,
          topic: m.concept.topic,
          title: m.concept.title,
          aliases: m.concept.aliases,
          summary: m.concept.summary,
          body: m.concept.body,
          score: m.score,
          // The key of the card's `keys` the question writes, and what it means.
          ...(result.key ? { key: result.key } : {}),
        }
      : null,
    suggestions: result.suggestions.map((s) => ({ id: s.concept.id, topic: s.concept.topic, title: s.concept.title })),
    // Tools the question names that no card covers ("flink"): why there is no card, where there is none.
    notCovered: result.match ? [] : (result.notCovered ?? []),
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
    // The queries come one per line on stdin; a query given as well would be silently ignored.
    if (args.query.trim()) throw new UsageError(`--batch reads its queries from stdin, one per line: drop ${quotedLine(args.query, 40)}, or drop --batch to ask it alone`);
    const rl = createInterface({ input: io.input, terminal: false });
    for await (const line of rl) {
      io.output.write(`${JSON.stringify(resultJson(line, explainSearch(knowledge, line)))}\n`);
    }
    return 0;
  }
  if (!args.query.trim()) throw new UsageError('explain: no question given. Usage: backfill explain <query...> [--json], e.g. backfill explain kafka acks; or backfill explain --batch --json to read one per line from stdin');
  if (args.json) {
    const result = explainSearch(knowledge, args.query);
    io.output.write(`${JSON.stringify(resultJson(args.query, result), null, 2)}\n`);
    return result.match ? 0 : 3;
  }
  const result = explainSearch(knowledge, args.query);
  const reply = await explain(knowledge, noMissLog, args.query.trim(), 'console:cli');
  io.output.write(`${renderForTerminal(forTheCommandLine(reply, result, knowledge), { color: false }).text}\n`);
  return result.match ? 0 : 3;
}

/**
 * The chat's answer without what only a chat has (buttons to press, `/topics`): the cards to look at
 * next as commands to type instead.
 */
function forTheCommandLine(reply: Reply, result: SearchResult, knowledge: Knowledge): Reply {
  const commands = (ids: readonly string[]) => ids.map((id) => `  backfill explain ${id.padEnd(40)} ${knowledge.kb.byId.get(id)?.title ?? ''}`.trimEnd()).join('\n');
  if (result.match) {
    const { prerequisites, related } = result.match.concept;
    const next = [...new Set([...prerequisites, ...related])].filter((id) => knowledge.kb.byId.has(id));
    return { ...reply, blocks: [...reply.blocks.filter((b) => b.type !== 'buttons'), ...(next.length ? [text(`Read next:\n${commands(next)}`)] : [])] };
  }
  // The first line says why nothing matched (no card, not covered, or nothing asked).
  const said = reply.blocks.find((b) => b.type === 'text');
  const suggested = result.suggestions.map((s) => s.concept.id);
  return {
    ...reply,
    blocks: [...(said ? [said] : []), ...(suggested.length ? [text(`Closest cards:\n${commands(suggested)}`)] : []), text('Every card: backfill kb list')],
  };
}
