import { isUtf8 } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { closest, listing } from '../core/text.js';
import { BodySchema, FrontMatterSchema, slugPattern, TopicsFileSchema, type Concept, type KnowledgeBase, type Topic } from './schema.js';
import { checkKnowledgeBase } from './check.js';

export interface Problem {
  /** File path relative to the knowledge directory. */
  file: string;
  /** Dotted path of the field, or '' for the file as a whole. */
  field: string;
  message: string;
  /** The line it is on, when the reader knows it before any field is read (a YAML syntax error). */
  line?: number;
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

/** A field's dotted path, as problems name it: `quiz[0].why`. */
function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  return [prefix, ...path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 || prefix ? '.' : ''}${String(p)}`))].join('');
}

/** The field names of the mapping at `path` in a schema (`[]` when it is not a mapping of fields). */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const unwrap = (s: unknown): unknown => (s instanceof z.ZodOptional || s instanceof z.ZodDefault ? unwrap(s.unwrap()) : s);
  let at = unwrap(schema);
  for (const p of path) {
    if (at instanceof z.ZodArray && typeof p === 'number') at = unwrap(at.element);
    else if (at instanceof z.ZodObject && typeof p === 'string') at = unwrap(at.shape[p]);
    else return [];
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

/** Field names authors reach for that are too far from the right one to be a typo of it. */
const FIELD_SYNONYMS: Record<string, string[]> = {
  alias: ['aliases'],
  name: ['title'],
  description: ['summary'],
  links: ['related'],
  see_also: ['related'],
  requires: ['prerequisites'],
  prereqs: ['prerequisites'],
  explanation: ['why'],
  reason: ['why'],
  options: ['wrong'],
  correct: ['answer'],
  source: ['sources'],
  link: ['url'],
  href: ['url'],
};

/**
 * zod's issues as problems. A field name it does not know is said with the one it most likely was
 * (`titel`, `Reviewed`), and that one is then not also reported missing.
 */
function zodProblems(file: string, error: z.ZodError, schema: z.ZodType, prefix = ''): Problem[] {
  const problems: Problem[] = [];
  const meant = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const fields = fieldsAt(schema, issue.path);
    for (const key of issue.keys) {
      const near = fields.find((f) => f.toLowerCase() === key.toLowerCase()) ?? closest(key, fields) ?? FIELD_SYNONYMS[key.toLowerCase()]?.find((f) => fields.includes(f));
      if (near) meant.add(fieldPath([...issue.path, near], prefix));
      const hint = near ? ` (did you mean "${near}"?)` : fields.length ? ` (the fields are ${listing(fields.map((f) => `"${f}"`))})` : '';
      problems.push({ file, field: fieldPath(issue.path, prefix), message: `unknown field "${key}"${hint}` });
    }
  }
  // A field of the wrong type ("must be a list, not text") is its one problem: its size or shape checks say nothing more.
  const mistyped = new Set(error.issues.filter((issue) => issue.code === 'invalid_type').map((issue) => fieldPath(issue.path, prefix)));
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const field = fieldPath(issue.path, prefix);
    if (mistyped.has(field) && issue.code !== 'invalid_type') continue;
    const message = readable(issue.message);
    if (meant.has(field) && message.startsWith('is missing')) continue;
    problems.push({ file, field, message });
  }
  return problems;
}

/** zod's own wording for a missing or mistyped field, said the way an author reads it. */
function readable(message: string): string {
  const typed = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (!typed) return message;
  const expected = { string: 'text', array: 'a list', object: 'a mapping of fields', number: 'a number', boolean: 'true or false' }[typed[1]!] ?? typed[1]!;
  const got = { null: 'empty', array: 'a list', object: 'a mapping of fields', string: 'text', number: 'a number', boolean: 'true or false' }[typed[2]!] ?? `a ${typed[2]}`;
  return typed[2] === 'undefined' ? `is missing (expected ${expected})` : `must be ${expected}, not ${got}`;
}

/** Where a file that is not UTF-8 first has bytes that are not (read as UTF-8, they become U+FFFD). */
function notUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const line = text.slice(0, Math.max(0, text.indexOf('\uFFFD'))).split('\n').length;
  return `is not UTF-8 text (line ${line} has bytes that are not): save it as UTF-8`;
}

function readYaml(path: string, file: string, problems: Problem[]): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(yamlProblem(file, err));
    return undefined;
  }
}

/** One line: where (in the file's own line numbers), what, and for the usual slip, what to do. */
function yamlProblem(file: string, err: unknown, firstLine = 1): Problem {
  if (err instanceof YAMLParseError) {
    const pos = err.linePos?.[0];
    const line = pos ? pos.line + firstLine - 1 : undefined;
    const what = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace(/[:.]$/, '');
    const hint = /compact mapping|implicit (map )?key|block (scalar|sequence|mapping)/i.test(what) ? ' (a value that contains ": " or starts with [ or { must be in double quotes)' : '';
    return { file, field: '', message: `invalid YAML${pos ? ` at line ${line}, column ${pos.col}` : ''}: ${what}${hint}`, ...(line ? { line } : {}) };
  }
  return { file, field: '', message: `cannot be read: ${(err as Error).message}` };
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/;

/** Parses one concept file; returns undefined (and records why) when it is not valid. */
export function parseConcept(text: string, file: string, problems: Problem[], expectedId?: string, idTaken: (id: string) => boolean = () => false): Concept | undefined {
  // As an editor on Windows may save it: a byte-order mark, CRLF line ends.
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = FRONT_MATTER.exec(source);
  if (!match) {
    const unclosed = /^---\n/.test(source);
    problems.push({ file, field: '', message: unclosed ? 'front matter opens with "---" but no "---" line closes it before the body' : 'must start with YAML front matter between two "---" lines' });
    return undefined;
  }
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (err) {
    // Front matter starts on the file's second line.
    problems.push(yamlProblem(file, err, 2));
    return undefined;
  }
  const front = FrontMatterSchema.safeParse(data ?? {});
  const body = BodySchema.safeParse(match[2] ?? '');
  if (!front.success) {
    const found = zodProblems(file, front.error, FrontMatterSchema);
    // A card's id is its folder and file name: say which.
    if (expectedId) for (const problem of found) if (problem.field === 'id') problem.message += `; this file's id is ${expectedId}`;
    problems.push(...found);
    // Said now too, not only once the rest is fixed.
    const id = (data as { id?: unknown } | null)?.id;
    if (expectedId && typeof id === 'string' && id !== expectedId && !front.error.issues.some((i) => i.path[0] === 'id')) problems.push({ file, field: 'id', message: idMismatch(expectedId, id, idTaken(id)) });
  }
  if (!body.success) problems.push(...zodProblems(file, body.error, BodySchema, 'body'));
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

/**
 * An id its file's path does not match: the file may be in the wrong topic folder, or misnamed, or
 * the id mistyped. `taken`: another card's file already gives that id (a card copied as a template,
 * its id kept), so the file must not be renamed over that card.
 */
function idMismatch(expected: string, id: string, taken: boolean): string {
  const path = `must be "${expected}" to match the file's path`;
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(id)) return path;
  if (taken) return `${path}: "${id}" is already the id of ${id}.md (copied from it?)`;
  return `${path} (or ${id.split('/')[0] === expected.split('/')[0] ? 'rename' : 'move'} the file to ${id}.md, as its id says)`;
}

/** "Tiered_Storage v2" → "tiered-storage-v2". */
function kebabCase(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'card';
}

/**
 * Loads and checks a knowledge directory, collecting every problem rather than stopping at the
 * first. `cards`: the path of every card file read, loaded or not (a problem on one of them is
 * that card's; any other is the knowledge base's).
 */
export function readKnowledge(dir: string): { kb: KnowledgeBase; problems: Problem[]; cards: string[] } {
  const problems: Problem[] = [];
  const cards: string[] = [];
  let topics: Topic[] = [];
  const topicsPath = join(dir, 'topics.yaml');
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    problems.push({ file: dir, field: '', message: 'knowledge directory not found (KNOWLEDGE_DIR sets where it is)' });
    return { kb: { topics, concepts: [], byId: new Map() }, problems, cards };
  }
  const rawTopics = readYaml(topicsPath, 'topics.yaml', problems);
  if (rawTopics !== undefined) {
    const parsed = TopicsFileSchema.safeParse(rawTopics);
    if (parsed.success) topics = parsed.data;
    else problems.push(...zodProblems('topics.yaml', parsed.error, TopicsFileSchema));
  }
  const topicIds = new Set(topics.map((t) => t.id));
  const concepts: Concept[] = [];
  /** Cards whose id does not match their file: not loaded, but checked like the others. */
  const misplaced: Concept[] = [];
  /** Ids of cards whose files are there but did not load: links to them are not reported as well. */
  const broken = new Set<string>();
  const idTaken = (id: string) => existsSync(join(dir, `${id}.md`));
  for (const entry of entries) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) {
      if (/\.(md|markdown)$/i.test(entry) && entry !== 'README.md') problems.push({ file: entry, field: '', message: 'a card must sit in its topic\'s folder, e.g. kafka/<name>.md (this file is not loaded)' });
      continue;
    }
    if (entry.startsWith('.')) continue;
    if (topics.length > 0 && !topicIds.has(entry)) {
      problems.push({ file: entry, field: '', message: `folder is not a topic listed in topics.yaml (${[...topicIds].join(', ')})` });
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue;
      if (!name.endsWith('.md')) {
        const nested = statSync(join(path, name)).isDirectory();
        problems.push({ file: `${entry}/${name}`, field: '', message: nested ? `cards sit directly in the topic folder, not in subfolders: move them to ${entry}/ (subtopics are listed in topics.yaml)` : `is not loaded: a card is a ".md" file${/\.markdown$/i.test(name) ? `, rename it to ${name.replace(/\.markdown$/i, '.md')}` : ''}` });
        continue;
      }
      const file = relative(dir, join(path, name)).split('\\').join('/');
      cards.push(file);
      const slug = name.slice(0, -3);
      const expected = `${entry}/${slug}`;
      // An id must be lowercase kebab-case, so a file name that is not cannot match one: rename the file.
      const renamed = slugPattern.test(slug) ? undefined : `${entry}/${kebabCase(slug)}`;
      if (renamed) problems.push({ file, field: '', message: `a card's file name must be lowercase kebab-case, like its id: rename it to ${renamed}.md (with id: ${renamed})` });
      const bytes = readFileSync(join(path, name));
      if (!isUtf8(bytes)) problems.push({ file, field: '', message: notUtf8(bytes) });
      const concept = parseConcept(bytes.toString('utf8'), file, problems, expected, idTaken);
      if (!concept || renamed || concept.id !== expected) {
        broken.add(expected);
        if (renamed) broken.add(renamed);
        if (concept && !renamed) {
          problems.push({ file, field: 'id', message: idMismatch(expected, concept.id, idTaken(concept.id)) });
          // Checked with the others all the same, so one run of the validator says everything; a card
          // put in another topic's folder is checked as a card of its own topic (its sources, its
          // versions), and the links to it are not said again: moving it back fixes them all.
          const own = concept.id.split('/')[0]!;
          const moved = own !== entry && topicIds.has(own);
          if (moved) broken.add(concept.id);
          misplaced.push({ ...concept, id: expected, topic: moved ? own : entry, slug: moved ? concept.slug : slug });
        }
        continue;
      }
      concepts.push(concept);
    }
  }
  const checked: KnowledgeBase = { topics, concepts: [...concepts, ...misplaced], byId: new Map() };
  problems.push(...checkKnowledgeBase(checked, broken));
  for (const c of misplaced) if (checked.byId.get(c.id) === c) checked.byId.delete(c.id);
  return { kb: { ...checked, concepts }, problems, cards };
}

/** Loads a knowledge directory or throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string): KnowledgeBase {
  const { kb, problems } = readKnowledge(dir);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return kb;
}
