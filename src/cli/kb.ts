import type { Writable } from 'node:stream';
import { formatProblem, readKnowledge } from '../knowledge/load.js';
import { loadKnowledge } from '../knowledge/load.js';
import { formatStale, isIsoDay, localDay, staleCards } from '../knowledge/stale.js';
import { formatStats, knowledgeStats } from '../knowledge/stats.js';
import { UsageError } from './errors.js';

export interface KbOptions {
  /** `--today YYYY-MM-DD`: the day `kb stale` measures ages from (default: today, local time). */
  today?: string;
  /** The clock used when `today` is not given. */
  now?: () => Date;
}

export function kbCli(sub: string, dir: string, json: boolean, out: Writable, options: KbOptions = {}): number {
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
    case 'stale': {
      if (options.today !== undefined && !isIsoDay(options.today)) throw new UsageError(`--today takes a date like 2026-11-30 (got "${options.today}").`);
      const today = options.today ?? localDay((options.now ?? (() => new Date()))());
      const report = staleCards(loadKnowledge(dir), today);
      out.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStale(report)}\n`);
      return report.stale.length > 0 ? 1 : 0;
    }
    default:
      throw new UsageError(`Unknown kb command "${sub}". Use: backfill kb validate | list [--json] | stats [--json] | stale [--today YYYY-MM-DD] [--json] | gaps [--days N] [--json]`);
  }
}
