import type { Writable } from 'node:stream';
import { catalogOf } from '../knowledge/catalog.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';
import { formatStale, isIsoDay, localDay, staleCards } from '../knowledge/stale.js';
import { formatStats, knowledgeStats } from '../knowledge/stats.js';
import { subcommandError, topicsFlag } from './flags.js';
import { UsageError } from './usage-error.js';

/**
 * The `kb` commands that only read the knowledge base (list, stats, stale), given the knowledge
 * base however it was loaded: `backfill` reads it from a current snapshot (see
 * knowledge/snapshot.ts), kbCli from the files. Nothing here loads the YAML parser or the schema.
 */
export type KbReport = 'list' | 'stats' | 'stale';

export interface KbOptions {
  /** `--today YYYY-MM-DD`: the day `kb stale` measures ages from (default: today, local time). */
  today?: string;
  /** The clock used when `today` is not given. */
  now?: () => Date;
  /** `--topic`/`--topics` of `kb list`: only concepts of these topics or subtopics. */
  topics?: string[];
  /** Card files `kb validate` reports on (the whole knowledge base is still read: links and names cross cards). */
  files?: string[];
  /** For `kb stats`: how many questions quizzes generate from a card (question-counts.ts); not counted when not given. */
  generated?: (concept: Concept) => number;
}

/** Which kb command `sub` is, its arguments checked before anything is loaded. */
export function kbCommand(sub: string, options: KbOptions = {}): 'validate' | KbReport {
  switch (sub) {
    case 'validate':
    case 'list':
    case 'stats':
      return sub;
    case 'stale':
      if (options.today !== undefined && !isIsoDay(options.today)) throw new UsageError(`--today takes a date like 2026-11-30 (got "${options.today}").`);
      return sub;
    default:
      throw subcommandError('kb', sub);
  }
}

export function kbReport(sub: KbReport, kb: KnowledgeBase, json: boolean, out: Writable, options: KbOptions = {}): number {
  switch (sub) {
    case 'list': {
      const selection = topicsFlag(kb, options.topics ?? []);
      const concepts = catalogOf(kb).concepts(selection);
      if (json) out.write(`${JSON.stringify(concepts.map((c) => ({ id: c.id, topic: c.topic, title: c.title, aliases: c.aliases, summary: c.summary })), null, 2)}\n`);
      else out.write(`${concepts.map((c) => `${c.id.padEnd(44)} ${c.title}`).join('\n')}\n`);
      return 0;
    }
    case 'stats': {
      const stats = knowledgeStats(kb, options.generated);
      out.write(json ? `${JSON.stringify(stats, null, 2)}\n` : `${formatStats(stats)}\n`);
      return 0;
    }
    case 'stale': {
      const today = options.today ?? localDay((options.now ?? (() => new Date()))());
      const report = staleCards(kb, today);
      out.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStale(report)}\n`);
      return report.stale.length > 0 ? 1 : 0;
    }
  }
}
