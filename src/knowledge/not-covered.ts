import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { KnowledgeError } from './load.js';

const NotCoveredSchema = z.array(z.string().regex(/^[a-z0-9]+( [a-z0-9]+)*$/, 'must be lowercase words separated by single spaces')).default([]);

/** The tools a knowledge directory says it has no cards about (knowledge/not-covered.yaml). */
export function readNotCovered(dir: string): string[] {
  const path = join(dir, 'not-covered.yaml');
  if (!existsSync(path)) return [];
  const parsed = NotCoveredSchema.safeParse(parse(readFileSync(path, 'utf8')) ?? []);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ file: 'not-covered.yaml', field: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.'), message: i.message }));
  throw new KnowledgeError(problems);
}

