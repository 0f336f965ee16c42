import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { BodySchema, FrontMatterSchema, TopicsFileSchema, type Concept, type KnowledgeBase, type Topic } from './schema.js';
import { checkKnowledgeBase } from './check.js';

export interface Problem {
  /** File path relative to the knowledge directory. */
  file: string;
  /** Dotted path of the field, or '' for the file as a whole. */
  field: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}${p.field ? `: ${p.field}` : ''}: ${p.message}`;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the knowledge base:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

function zodProblems(file: string, error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({
    file,
    field: [prefix, ...issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 || prefix ? '.' : ''}${String(p)}`))].join(''),
    message: issue.message,
  }));
}

function readYaml(path: string, file: string, problems: Problem[]): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push({ file, field: '', message: yamlMessage(err) });
    return undefined;
  }
}

function yamlMessage(err: unknown): string {
  if (err instanceof YAMLParseError) {
    const line = err.linePos?.[0]?.line;
    return `invalid YAML${line ? ` at line ${line}` : ''}: ${err.message.split('\n')[0]}`;
  }
  return `cannot be read: ${(err as Error).message}`;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one concept file; returns undefined (and records why) when it is not valid. */
export function parseConcept(source: string, file: string, problems: Problem[]): Concept | undefined {
  const match = FRONT_MATTER.exec(source);
  if (!match) {
    problems.push({ file, field: '', message: 'must start with YAML front matter between two "---" lines' });
    return undefined;
  }
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (err) {
    // Front matter starts on the file's second line.
    const msg = yamlMessage(err).replace(/at line (\d+)/, (_, n: string) => `at line ${Number(n) + 1}`);
    problems.push({ file, field: '', message: msg });
    return undefined;
  }
  const front = FrontMatterSchema.safeParse(data ?? {});
  const body = BodySchema.safeParse(match[2] ?? '');
  if (!front.success) problems.push(...zodProblems(file, front.error));
  if (!body.success) problems.push(...zodProblems(file, body.error, 'body'));
  if (!front.success || !body.success) return undefined;
  const [topic = '', slug = ''] = front.data.id.split('/');
  return {
    ...front.data,
    example: front.data.example,
    body: body.data,
    topic,
    slug,
    file,
  };
}

/** Loads and checks a knowledge directory, collecting every problem rather than stopping at the first. */
export function readKnowledge(dir: string): { kb: KnowledgeBase; problems: Problem[] } {
  const problems: Problem[] = [];
  let topics: Topic[] = [];
  const topicsPath = join(dir, 'topics.yaml');
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    problems.push({ file: dir, field: '', message: 'knowledge directory not found' });
    return { kb: { topics, concepts: [], byId: new Map() }, problems };
  }
  const rawTopics = readYaml(topicsPath, 'topics.yaml', problems);
  if (rawTopics !== undefined) {
    const parsed = TopicsFileSchema.safeParse(rawTopics);
    if (parsed.success) topics = parsed.data;
    else problems.push(...zodProblems('topics.yaml', parsed.error));
  }
  const topicIds = new Set(topics.map((t) => t.id));
  const concepts: Concept[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (topics.length > 0 && !topicIds.has(entry)) {
      problems.push({ file: entry, field: '', message: `folder is not a topic listed in topics.yaml (${[...topicIds].join(', ')})` });
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      if (!name.endsWith('.md')) continue;
      const file = relative(dir, join(path, name)).split('\\').join('/');
      const concept = parseConcept(readFileSync(join(path, name), 'utf8'), file, problems);
      if (!concept) continue;
      const expected = `${entry}/${name.slice(0, -3)}`;
      if (concept.id !== expected) {
        problems.push({ file, field: 'id', message: `must be "${expected}" to match the file's path` });
        continue;
      }
      concepts.push(concept);
    }
  }
  const kb: KnowledgeBase = { topics, concepts, byId: new Map() };
  problems.push(...checkKnowledgeBase(kb));
  return { kb, problems };
}

/** Loads a knowledge directory or throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string): KnowledgeBase {
  const { kb, problems } = readKnowledge(dir);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return kb;
}
