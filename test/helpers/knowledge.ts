import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export interface ConceptFixture {
  id: string;
  title: string;
  aliases?: string[];
  summary?: string;
  body?: string;
  related?: string[];
  prerequisites?: string[];
  sources?: Array<{ title: string; url: string }>;
  quiz?: Array<{ question: string; answer: string; wrong: string[]; why: string }>;
  example?: string;
  questions?: string[];
  errors?: string[];
  keys?: Array<{ key: string; means: string }>;
  reviewed?: { date: string; versions: Record<string, string> };
}

export const TOPICS = [
  { id: 'kafka', name: 'Apache Kafka', description: 'Event streaming.', keywords: ['kafka'], hosts: ['kafka.apache.org'] },
  { id: 'spark', name: 'Apache Spark', description: 'Distributed computing.', keywords: ['spark', 'pyspark'], hosts: ['spark.apache.org'] },
];

const BODY = 'A body long enough to pass the validator, written for a test fixture. It explains nothing in particular but has the length a real explanation needs to be accepted by the schema.';

/** The file text of a concept: front matter and body. */
export function conceptFile(c: ConceptFixture): string {
  const { body = BODY, ...front } = c;
  const [topic = ''] = c.id.split('/');
  const data = {
    summary: `Summary of ${c.title}.`,
    sources: [{ title: 'Docs', url: `https://${topic}.apache.org/docs/` }],
    ...front,
  };
  return `---\n${stringify(data)}---\n${body}\n`;
}

/** Writes a knowledge directory to a fresh temporary folder; `raw` files are written as given. */
export function writeKnowledge(concepts: ConceptFixture[], raw: Record<string, string> = {}, topics: unknown = TOPICS): string {
  const dir = mkdtempSync(join(tmpdir(), 'backfill-kb-'));
  writeFileSync(join(dir, 'topics.yaml'), stringify(topics));
  for (const c of concepts) {
    const path = join(dir, `${c.id}.md`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, conceptFile(c));
  }
  for (const [file, content] of Object.entries(raw)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

export const REAL_KNOWLEDGE_DIR = new URL('../../knowledge/', import.meta.url).pathname;

/** Kafka cards c1..cN, one hand-written question each: enough for a quiz of N questions. */
export function kafkaIdeas(count: number): ConceptFixture[] {
  return Array.from({ length: count }, (_, i) => i + 1).map((n) => ({
    id: `kafka/c${n}`,
    title: `Kafka idea ${n}`,
    quiz: [{ question: `Which statement about Kafka idea ${n} holds?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
  }));
}
