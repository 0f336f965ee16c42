import type { Writable } from 'node:stream';
import { formatProblem, readKnowledge } from '../knowledge/load.js';
import { loadKnowledge } from '../knowledge/load.js';
import { formatStats, knowledgeStats } from '../knowledge/stats.js';
import { UsageError } from './errors.js';

export function kbCli(sub: string, dir: string, json: boolean, out: Writable): number {
  switch (sub) {
    case 'validate': {
      const { kb, problems } = readKnowledge(dir);
      if (problems.length) {
        out.write(`${problems.map(formatProblem).join('\n')}\n\n${problems.length} problem(s) in ${dir}\n`);
        return 1;
      }
      out.write(`OK: ${kb.concepts.length} concepts in ${kb.topics.length} topics, ${kb.concepts.reduce((n, c) => n + c.quiz.length, 0)} quiz questions (${dir})\n`);
      return 0;
    }
    case 'list': {
      const kb = loadKnowledge(dir);
      if (json) out.write(`${JSON.stringify(kb.concepts.map((c) => ({ id: c.id, topic: c.topic, title: c.title, aliases: c.aliases, summary: c.summary })), null, 2)}\n`);
      else out.write(`${kb.concepts.map((c) => `${c.id.padEnd(44)} ${c.title}`).join('\n')}\n`);
      return 0;
    }
    case 'stats': {
      const stats = knowledgeStats(loadKnowledge(dir));
      out.write(json ? `${JSON.stringify(stats, null, 2)}\n` : `${formatStats(stats)}\n`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown kb command "${sub}". Use: backfill kb validate | list [--json] | stats [--json]`);
  }
}
