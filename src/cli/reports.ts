import type { Writable } from 'node:stream';
import type { Config } from '../config/env.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import { groupReports } from '../learning/service.js';
import { noDatabaseYet, readExistingStore } from './existing-store.js';
import { quotedLine } from './output.js';
import type { Report, ReportKind } from '../store/types.js';

const MAX_REPORTS = 5000;
const NOTE_WIDTH = 100;

export interface ReportsReport {
  /** The period looked at; null for all time. */
  days: number | null;
  since: string | null;
  /** Concepts with reports, most reported first. */
  concepts: Array<{
    conceptId: string;
    /** Null when the concept is no longer in the knowledge base. */
    title: string | null;
    count: number;
    kinds: Record<ReportKind, number>;
    lastAt: string;
    /** Newest first. `questionKey`: the question reported (`kafka/acks#1`), null for the card. */
    reports: Array<Pick<Report, 'kind' | 'questionKey' | 'note' | 'at' | 'platform'>>;
  }>;
}

/**
 * `backfill kb reports`: what readers reported with "Report a problem" or `/report` (wrong, unclear,
 * outdated, with their notes), per concept, most reported first, so authors know what to fix.
 * Reads the configured database and creates none.
 */
export async function reportsCli(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>, kb: KnowledgeBase, days: number | undefined, json: boolean, output: Writable, now = new Date()): Promise<number> {
  const since = days === undefined ? undefined : new Date(now.getTime() - days * 86_400_000).toISOString();
  const found = await readExistingStore(config, (store) => store.reports(since, MAX_REPORTS));
  const reports = found ?? [];
  const report: ReportsReport = {
    days: days ?? null,
    since: since ?? null,
    concepts: groupReports(reports).map((g) => ({
      conceptId: g.conceptId,
      title: kb.byId.get(g.conceptId)?.title ?? null,
      count: g.count,
      kinds: g.kinds,
      lastAt: g.lastAt,
      reports: reports.filter((r) => r.conceptId === g.conceptId).map(({ kind, questionKey, note, at, platform }) => ({ kind, questionKey, note, at, platform })),
    })),
  };
  if (json) {
    output.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (!found) {
    output.write(noDatabaseYet(config, 'nobody has reported a problem'));
    return 0;
  }
  const period = days === undefined ? 'so far' : `in the last ${days} day${days === 1 ? '' : 's'}`;
  if (report.concepts.length === 0) {
    output.write(`No problems reported ${period}.\n`);
    return 0;
  }
  output.write(`Problems readers reported ${period}, most reported first:\n`);
  for (const c of report.concepts) {
    const kinds = (Object.entries(c.kinds) as Array<[ReportKind, number]>).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    const where = kb.byId.get(c.conceptId) ? `knowledge/${c.conceptId}.md` : 'no longer in the knowledge base';
    output.write(`\n${String(c.count).padStart(4)}  ${c.conceptId}  ${c.title ?? ''}  (${kinds}; last ${c.lastAt.slice(0, 10)}; ${where})\n`);
    for (const r of c.reports) {
      const what = r.questionKey ? `question ${r.questionKey}` : 'card';
      output.write(`      ${r.at.slice(0, 10)}  ${r.kind.padEnd(8)}  ${what}${r.note ? `: ${quotedLine(r.note, NOTE_WIDTH)}` : ''}\n`);
    }
  }
  output.write('\nFix the card or question (knowledge/README.md); `--json` has every report in full.\n');
  return 0;
}
