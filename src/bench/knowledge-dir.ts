import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { nameKey } from '../knowledge/names.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';

/**
 * A knowledge folder on disk with the real cards and `extra` more (the synthetic ones of the search
 * benchmark), written as card files the loader reads: what a start at that size reads and hashes.
 * Returns the cards in the order the loader gives them (folders, then files, sorted), each as the
 * loader would parse it from its file, so that a snapshot taken of them is the snapshot of the folder.
 */
export function writeKnowledgeDir(dir: string, realDir: string, real: KnowledgeBase, extra: Concept[]): Concept[] {
  cpSync(realDir, dir, { recursive: true });
  const hosts = new Map(real.topics.map((t) => [t.id, t.hosts[0] ?? 'example.org']));
  const written: Concept[] = [];
  const folders = new Set<string>();
  // Names are unique across the knowledge base (the validator says so): a synthetic name that
  // repeats another gets the card's number.
  const names = new Set(real.concepts.flatMap((c) => [c.title, ...c.aliases].map(nameKey)));
  const unique = (name: string, n: number) => {
    const named = names.has(nameKey(name)) ? `${name} ${n}` : name;
    names.add(nameKey(named));
    return named;
  };
  for (const [n, c] of extra.entries()) {
    const title = unique(c.title, n);
    const aliases = [...new Set(c.aliases.map((a) => unique(a, n)))];
    const concept: Concept = {
      ...c,
      title,
      aliases,
      example: undefined,
      sources: c.sources.length ? c.sources : [{ title: `${c.title} documentation`, url: `https://${hosts.get(c.topic)}/docs/${c.slug}` }],
      reviewed: undefined,
    };
    const front: Record<string, unknown> = {
      id: concept.id,
      title: concept.title,
      aliases: concept.aliases,
      summary: concept.summary,
      related: concept.related,
      prerequisites: concept.prerequisites,
      sources: concept.sources,
      quiz: concept.quiz,
      questions: concept.questions,
      errors: concept.errors,
    };
    const folder = join(dir, concept.topic);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    // No search for repeated objects to write as YAML anchors (a card has none): a sixth of the time of 30,000 cards.
    writeFileSync(join(folder, `${concept.slug}.md`), `---\n${stringify(front, { lineWidth: 0, aliasDuplicateObjects: false })}---\n${concept.body}\n`);
    written.push(concept);
  }
  const order = (c: Concept) => [c.topic, `${c.slug}.md`] as const;
  return [...real.concepts, ...written].sort((a, b) => {
    const [ta, fa] = order(a);
    const [tb, fb] = order(b);
    return ta < tb ? -1 : ta > tb ? 1 : fa < fb ? -1 : fa > fb ? 1 : 0;
  });
}
