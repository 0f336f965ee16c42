import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../config/env.js';

/** The labelled queries that measure search: `expect` is the concept id, or null for "no card". */
export const QUERY_SET_DIR = join(packageRoot, 'test', 'search', 'queries');

const QueryFileSchema = z.array(z.strictObject({ q: z.string().min(1), expect: z.string().nullable() }));

export interface LabelledQuery {
  q: string;
  expect: string | null;
  file: string;
}

export function loadQuerySet(dir: string): LabelledQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const parsed = QueryFileSchema.safeParse(parse(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data.map((q) => ({ ...q, file }));
    });
}

/** Top-1 accuracy on answerable queries and the unanswerable ones that wrongly got a card. */
export function scoreQuerySet(queries: LabelledQuery[], find: (q: string) => string | null) {
  const answerable = queries.filter((q) => q.expect !== null);
  const misses = answerable.map((q) => ({ ...q, got: find(q.q) })).filter((r) => r.got !== r.expect);
  const falseMatches = queries.filter((q) => q.expect === null).map((q) => ({ ...q, got: find(q.q) })).filter((r) => r.got !== null);
  return { answerable: answerable.length, accuracy: answerable.length ? 1 - misses.length / answerable.length : 0, misses, falseMatches, unanswerable: queries.length - answerable.length };
}
