import type { Writable } from 'node:stream';
import type { Config } from '../config/env.js';
import type { SearchGap } from '../store/types.js';
import { noDatabaseYet, readExistingStore } from './existing-store.js';
import { quotedLine } from './output.js';

const MAX_ROWS = 50;

export interface GapsReport {
  days: number;
  since: string;
  gaps: Array<
    Pick<SearchGap, 'query' | 'normalized' | 'count' | 'noCard' | 'notMeant' | 'concepts' | 'topic' | 'platforms' | 'lastAt'> & {
      /** The card search shows for the question today (a card added or changed since), or null. */
      answeredNow: string | null;
    }
  >;
}

/**
 * `backfill kb gaps`: the questions search answered with no card, and the cards people said were
 * not what they meant, most frequent first, so authors know which cards or phrasings to add.
 * `answerer` gives today's search (the knowledge base as it is now), asked only when there are
 * gaps, so a gap a new card has closed says so.
 */
export async function gapsCli(
  config: Pick<Config, 'DATABASE_URL' | 'SQLITE_PATH'>,
  days: number,
  json: boolean,
  output: Writable,
  now = new Date(),
  answerer: () => Promise<(query: string) => string | null> = async () => () => null,
): Promise<number> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const found = await readExistingStore(config, (store) => store.searchGaps(since, MAX_ROWS));
  const answerNow = found?.length ? await answerer() : () => null;
  const gaps = (found ?? []).map((g) => ({ ...g, answeredNow: answerNow(g.query) }));
  if (json) {
    const report: GapsReport = { days, since, gaps: gaps.map(({ query, normalized, count, noCard, notMeant, concepts, topic, platforms, lastAt, answeredNow }) => ({ query, normalized, count, noCard, notMeant, concepts, topic, platforms, lastAt, answeredNow })) };
    output.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (!found) {
    output.write(noDatabaseYet(config, 'nobody has asked the bot anything'));
    return 0;
  }
  if (gaps.length === 0) {
    output.write(`No unanswered questions in the last ${days} day${days === 1 ? '' : 's'}.\n`);
    return 0;
  }
  output.write(`Questions without a fitting card, last ${days} day${days === 1 ? '' : 's'} (most asked first):\n\n`);
  output.write(`${'asked'.padStart(5)}  ${'no card'.padStart(7)}  ${'not meant'.padStart(9)}  question\n`);
  for (const g of gaps) {
    const closed = g.answeredNow && !g.concepts.includes(g.answeredNow) ? `now answered by ${g.answeredNow}` : '';
    const detail = [g.topic ? `topic ${g.topic}` : '', g.concepts.length ? `shown: ${g.concepts.join(', ')}` : '', closed].filter(Boolean).join('; ');
    output.write(`${String(g.count).padStart(5)}  ${String(g.noCard).padStart(7)}  ${String(g.notMeant).padStart(9)}  ${quotedLine(g.query, 100)}${detail ? `  (${detail})` : ''}\n`);
  }
  output.write('\nAdd a card, or the wording to a card\'s questions: or errors: field (knowledge/README.md).\n');
  return 0;
}
