import type { Choice, Vocabulary } from '../core/args.js';
import { closest, quoteUserText } from '../core/text.js';
import type { Problem } from './load.js';
import type { Concept, KnowledgeBase, Subtopic, Topic } from './schema.js';

/** Every topic: what `all` (or no topic at all) selects. */
export const ALL_TOPICS = '*';

/** A topic or a subtopic: what a command can name. */
export interface CatalogEntry {
  /** A topic id (`hadoop`), or a subtopic id (`hive`, `kafka-streams`). */
  id: string;
  name: string;
  kind: 'topic' | 'subtopic';
  /** The topic it is (or is part of). */
  topic: string;
  concepts: Concept[];
}

/** Whether a subtopic's concept pattern (a slug, or a prefix with a trailing *) holds this slug. */
export const slugMatches = (pattern: string, slug: string) => (pattern.endsWith('*') ? slug.startsWith(pattern.slice(0, -1)) : slug === pattern);

/** Whether a slug matches any of `patterns` (as slugMatches does), the patterns read once: for testing many slugs. */
export function slugMatcher(patterns: readonly string[]): (slug: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (slug) => exact.has(slug) || prefixes.some((prefix) => slug.startsWith(prefix));
}

/**
 * The topics and subtopics of a knowledge base, and which concepts each holds. A selection is a
 * list of their ids; empty (or `*`) is every topic. Stored selections (subscriptions, quizzes) keep
 * ids, so a subscription made before subtopics existed still reads the same.
 */
export class TopicCatalog {
  readonly entries: CatalogEntry[] = [];
  private readonly byId = new Map<string, CatalogEntry>();
  /** A phrase people type ("kafka streams", "hive", "pyspark") → the entry it names. */
  private readonly phrases = new Map<string, CatalogEntry>();
  private readonly longest: number;

  constructor(readonly kb: KnowledgeBase) {
    const ofTopic = new Map<string, Concept[]>(kb.topics.map((t) => [t.id, []]));
    for (const c of kb.concepts) ofTopic.get(c.topic)?.push(c);
    for (const topic of kb.topics) {
      const entry: CatalogEntry = { id: topic.id, name: topic.name, kind: 'topic', topic: topic.id, concepts: ofTopic.get(topic.id)! };
      this.add(entry);
      for (const phrase of [topic.id, topic.name.toLowerCase(), ...topic.keywords]) if (!this.phrases.has(phrase)) this.phrases.set(phrase, entry);
    }
    for (const topic of kb.topics) {
      for (const sub of topic.subtopics ?? []) {
        const holds = slugMatcher(sub.concepts);
        const entry: CatalogEntry = { id: sub.id, name: sub.name, kind: 'subtopic', topic: topic.id, concepts: ofTopic.get(topic.id)!.filter((c) => holds(c.slug)) };
        this.add(entry);
        // A subtopic's names win over the topic keywords that steer search ("hive" is Hive, not all of Hadoop).
        for (const phrase of [sub.id, sub.id.replace(/-/g, ' '), sub.name.toLowerCase(), ...sub.names]) this.phrases.set(phrase, entry);
      }
    }
    this.longest = Math.max(1, ...[...this.phrases.keys()].map((p) => p.split(' ').length));
  }

  private add(entry: CatalogEntry): void {
    if (!this.byId.has(entry.id)) {
      this.byId.set(entry.id, entry);
      this.entries.push(entry);
    }
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  topics(): readonly Topic[] {
    return this.kb.topics;
  }

  subtopicsOf(topicId: string): CatalogEntry[] {
    return this.entries.filter((e) => e.kind === 'subtopic' && e.topic === topicId);
  }

  /** A selection without `*`: `[]` is every topic. */
  normalize(ids: readonly string[]): string[] {
    return ids.includes(ALL_TOPICS) ? [] : [...new Set(ids)];
  }

  /** Whether a concept is in a selection (`[]`: every concept). */
  includes(ids: readonly string[], concept: Concept): boolean {
    const sel = this.normalize(ids);
    if (sel.length === 0) return true;
    return sel.some((id) => {
      const e = this.byId.get(id);
      return e ? (e.kind === 'topic' ? concept.topic === e.id : e.concepts.includes(concept)) : concept.topic === id;
    });
  }

  concepts(ids: readonly string[]): Concept[] {
    return this.kb.concepts.filter((c) => this.includes(ids, c));
  }

  /** A selection as people read it: "Apache Kafka, Hive", or "all topics". */
  label(ids: readonly string[], all = 'all topics'): string {
    const sel = this.normalize(ids);
    return sel.length ? sel.map((id) => this.byId.get(id)?.name ?? id).join(', ') : all;
  }

  /** The phrase of up to three words at `at` that names a topic or subtopic, longest first. */
  read(words: readonly string[], at: number): { ids: string[]; used: number } | undefined {
    for (let n = Math.min(this.longest, words.length - at); n >= 1; n--) {
      const phrase = words.slice(at, at + n).join(' ').toLowerCase();
      if (phrase === 'all' || phrase === 'everything') return { ids: [ALL_TOPICS], used: 1 };
      const entry = this.phrases.get(phrase) ?? this.phrases.get(phrase.replace(/-/g, ' '));
      if (entry) return { ids: [entry.id], used: n };
    }
    return undefined;
  }

  /** Topics and subtopics as a command argument reads them. */
  vocabulary(): Vocabulary {
    const topicIds = this.kb.topics.map((t) => t.id);
    const examples = this.entries.filter((e) => e.kind === 'subtopic').slice(0, 3).map((e) => e.id.replace(/-/g, ' '));
    return {
      read: (words, at) => this.read(words, at),
      words: () => [...this.phrases.keys()].filter((p) => !p.includes(' ')),
      unknown: (word) => `Unknown topic “${quoteUserText(word, 30)}”.`,
      listing: () => `Topics: ${topicIds.join(', ')}${examples.length ? `; subtopics such as ${examples.join(', ')} (\`/topics\` lists them)` : ''}.`,
      complete: (partial) => this.complete(partial),
      show: (ids) => this.label(ids),
    };
  }

  /** Completes the last word of a list of topics: "kafka sp" → "kafka spark", "kafka spark sql". */
  complete(partial: string): Choice[] {
    const words = partial.toLowerCase().split(/\s+/);
    const last = words.pop() ?? '';
    const head = words.filter(Boolean).join(' ');
    const seen = new Set<string>();
    const out: Choice[] = [];
    const candidates = [...this.phrases.entries()].filter(([p]) => !/[A-Z]/.test(p) && p.startsWith(last));
    candidates.sort((a, b) => Number(b[1].kind === 'topic') - Number(a[1].kind === 'topic') || a[0].length - b[0].length);
    for (const [phrase, entry] of candidates) {
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      const value = head ? `${head} ${phrase}` : phrase;
      const label = entry.kind === 'topic' ? `${entry.name} (${entry.concepts.length} concepts)` : `${entry.name} · part of ${this.byId.get(entry.topic)?.name ?? entry.topic} (${entry.concepts.length})`;
      out.push({ label: head ? `${head} + ${label}` : label, value });
      if (out.length === 25) break;
    }
    return out;
  }
}

const catalogs = new WeakMap<KnowledgeBase, TopicCatalog>();

/** The catalog of a knowledge base, made once. */
export function catalogOf(kb: KnowledgeBase): TopicCatalog {
  let c = catalogs.get(kb);
  if (!c) {
    c = new TopicCatalog(kb);
    catalogs.set(kb, c);
  }
  return c;
}

/**
 * topics.yaml's subtopics must hold concepts of their topic, and their ids and names must name one
 * thing each: no subtopic id twice or equal to a topic id, no name shared by two subtopics.
 */
export function checkSubtopics(kb: KnowledgeBase, broken: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const topicIds = new Set(kb.topics.map((t) => t.id));
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  kb.topics.forEach((topic, t) => {
    (topic.subtopics ?? []).forEach((sub: Subtopic, s) => {
      const field = `[${t}].subtopics[${s}]`;
      if (topicIds.has(sub.id)) problems.push({ file: 'topics.yaml', field: `${field}.id`, message: `"${sub.id}" is already a topic id` });
      const other = ids.get(sub.id);
      if (other) problems.push({ file: 'topics.yaml', field: `${field}.id`, message: `"${sub.id}" is already a subtopic of ${other}` });
      ids.set(sub.id, topic.id);
      sub.names.forEach((name, n) => {
        const owner = names.get(name);
        if (owner && owner !== sub.id) problems.push({ file: 'topics.yaml', field: `${field}.names[${n}]`, message: `"${name}" already names the subtopic ${owner}` });
        else if (topicIds.has(name)) problems.push({ file: 'topics.yaml', field: `${field}.names[${n}]`, message: `"${name}" is a topic id` });
        names.set(name, sub.id);
      });
      sub.concepts.forEach((pattern, p) => {
        // A card that failed its own checks still counts: its problem is reported on it, not here too.
        const slugs = [...kb.concepts.filter((c) => c.topic === topic.id).map((c) => c.slug), ...[...broken].filter((id) => id.startsWith(`${topic.id}/`)).map((id) => id.slice(topic.id.length + 1))];
        if (slugs.length && !slugs.some((slug) => slugMatches(pattern, slug))) {
          const near = pattern.includes('*') ? undefined : closest(pattern, slugs);
          problems.push({ file: 'topics.yaml', field: `${field}.concepts[${p}]`, message: `"${pattern}" matches no concept of ${topic.id} (subtopic ${sub.id}${near ? `; did you mean "${near}"?` : ''})` });
        }
      });
    });
  });
  return problems;
}
