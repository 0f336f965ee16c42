import { checkKnowledgeBase } from './check.js';
import { KnowledgeError, readKnowledge, type Problem } from './load.js';
import type { Concept, KnowledgeBase } from './schema.js';

/**
 * The knowledge base a running bot can start on when some cards are invalid: every valid card, the
 * invalid ones left out. `backfill kb validate` and the tests still fail on any problem (readKnowledge
 * and loadKnowledge); only the bot's start takes this, so that one bad card in a knowledge-base
 * change does not take a bot that was running down.
 */
export interface UsableKnowledge {
  kb: KnowledgeBase;
  /** Card files read, loaded or not. */
  cards: number;
  /** The cards left out, each with every one of its problems. */
  skipped: Array<{ file: string; problems: Problem[] }>;
  /** The loaded cards whose links to skipped ones were dropped, by the skipped card's id. */
  dropped: Map<string, string[]>;
  /** Problems of files that are not loaded as cards anyway (a stray file, a folder not in topics.yaml). */
  ignored: Problem[];
  /** Links of loaded cards (and subtopics of topics.yaml) to ids no card has (a card deleted or renamed, a typo): left out, the cards kept. */
  unlinked: Problem[];
  /**
   * A name two cards have (an alias a new card repeats): both cards kept, each said. Search offers
   * both for it; leaving one out would drop whichever sorts second, often the card that was there first.
   * Also an alias that reads as another card's name ("shuffle" beside "Spark shuffle"): that alias is
   * left out, its card kept.
   */
  shared: Problem[];
}

/** `aliases[1]: "acks" is already a name of kafka/acks (kafka/acks.md)`, or "is also a name of". */
const sharedName = (p: Problem) => /^(?:title|aliases\[\d+\])$/.test(p.field) && /^"[^"]*" is (?:already|also) a name of /.test(p.message);

/** `aliases[1]: "shuffle" reads as the name of spark/shuffle ...`, or is its title: the alias is left out, the card kept. */
const impliedName = (p: Problem) => /^aliases\[\d+\]$/.test(p.field) && /^"[^"]*" (?:reads as the name|is the title) of /.test(p.message);

/** `related[2]: unknown concept id "kafka/mirrormaker"`: the id it names. */
function missingLink(p: Problem): string | undefined {
  return /^(?:related|prerequisites)\[\d+\]$/.test(p.field) ? /^unknown concept id "([^"]+)"/.exec(p.message)?.[1] : undefined;
}

/** A subtopic of topics.yaml naming a slug no card has (`"ref" matches no concept of dbt`): it names nothing, harmlessly. */
function missingSubtopicCard(p: Problem): boolean {
  return p.file === 'topics.yaml' && /\.concepts\[\d+\]$/.test(p.field) && /^"[^"]+" matches no concept of /.test(p.message);
}

/** A card's expected id, from its file (`kafka/acks.md`). */
const idOf = (file: string) => file.replace(/\.md$/, '');

/**
 * Reads a knowledge directory and leaves out each card with a problem. Throws a KnowledgeError
 * (every problem) when the knowledge base itself is not usable: no folder, or topics.yaml invalid.
 */
export function readUsableKnowledge(dir: string): UsableKnowledge {
  const { kb, problems, cards } = readKnowledge(dir);
  const cardFiles = new Set(cards);
  const skipped = new Map<string, Problem[]>();
  const ignored: Problem[] = [];
  const unlinked: Problem[] = [];
  const shared: Problem[] = [];
  const missing = new Set<string>();
  /** Aliases that read as another card's name, by card file: left out of their card. */
  const implied = new Map<string, Set<number>>();
  for (const p of problems) {
    if (cardFiles.has(p.file) && impliedName(p)) implied.set(p.file, new Set([...(implied.get(p.file) ?? []), Number(/\d+/.exec(p.field)![0])]));
    const id = cardFiles.has(p.file) ? missingLink(p) : undefined;
    if (cardFiles.has(p.file) && (sharedName(p) || impliedName(p))) shared.push(p);
    else if (id) {
      unlinked.push(p);
      missing.add(id);
    } else if (cardFiles.has(p.file)) skipped.set(p.file, [...(skipped.get(p.file) ?? []), p]);
    else if (missingSubtopicCard(p)) unlinked.push(p);
    else if (p.file === 'topics.yaml' || p.file === dir) throw new KnowledgeError(problems);
    else ignored.push(p);
  }
  let usable = kb.concepts.filter((c) => !skipped.has(c.file));
  // Leaving a card out can show another problem (the next prerequisite cycle): checked again until none is left.
  for (;;) {
    // A skipped card's id is the one its file names, and the one it says (spark/Bucketing.md says spark/bucketing).
    const broken = new Set([...skipped.keys()].flatMap((file) => [idOf(file), ...kb.concepts.filter((c) => c.file === file).map((c) => c.id)]));
    const dropped: UsableKnowledge['dropped'] = new Map();
    const concepts = usable.map((c) => withoutAliases(withoutLinksTo(c, new Set([...broken, ...missing]), dropped), implied.get(c.file)));
    const next: KnowledgeBase = { topics: kb.topics, concepts, byId: new Map() };
    const changed = skipped.size > 0 || missing.size > 0 || implied.size > 0;
    const more = (changed ? checkKnowledgeBase(next, broken) : []).filter((m) => !sharedName(m));
    if (more.every(missingSubtopicCard)) {
      for (const id of missing) dropped.delete(id);
      const kept = changed ? next : kb;
      const loaded = (p: Problem) => !skipped.has(p.file);
      // Links to the id a skipped card's file names are said with that card ("the links to it from ...").
      const skippedIds = new Set([...skipped.keys()].map((file) => idOf(file).toLowerCase()));
      const toSkipped = (p: Problem) => skippedIds.has(missingLink(p)?.toLowerCase() ?? '');
      for (const p of unlinked.filter((u) => loaded(u) && toSkipped(u))) {
        const id = missingLink(p)!;
        if (!dropped.get(id)?.includes(p.file)) dropped.set(id, [...(dropped.get(id) ?? []), p.file]);
      }
      return { kb: kept, cards: cards.length, skipped: [...skipped].map(([file, list]) => ({ file, problems: list })), dropped, ignored, unlinked: unlinked.filter((u) => loaded(u) && !toSkipped(u)), shared: shared.filter(loaded) };
    }
    for (const p of more.filter((m) => !missingSubtopicCard(m))) {
      if (!cardFiles.has(p.file)) throw new KnowledgeError([...problems, p]);
      // A link to a card left out loses the link, never the card that holds it.
      const id = missingLink(p);
      if (id) {
        unlinked.push(p);
        missing.add(id);
      } else skipped.set(p.file, [...(skipped.get(p.file) ?? []), p]);
    }
    usable = usable.filter((c) => !skipped.has(c.file));
  }
}

/** The card without the aliases at these places (a copy, when there are any). */
function withoutAliases(c: Concept, dropped: ReadonlySet<number> | undefined): Concept {
  return dropped?.size ? { ...c, aliases: c.aliases.filter((_, i) => !dropped.has(i)) } : c;
}

/** The card without its links to left-out cards (a copy, when it has any). */
function withoutLinksTo(c: Concept, broken: ReadonlySet<string>, dropped: UsableKnowledge['dropped']): Concept {
  if (!c.related.some((id) => broken.has(id)) && !c.prerequisites.some((id) => broken.has(id))) return c;
  for (const id of new Set([...c.related, ...c.prerequisites])) {
    if (broken.has(id) && !dropped.get(id)?.includes(c.file)) dropped.set(id, [...(dropped.get(id) ?? []), c.file]);
  }
  return { ...c, related: c.related.filter((id) => !broken.has(id)), prerequisites: c.prerequisites.filter((id) => !broken.has(id)) };
}

/** `a.md, b.md and 4 more`. */
function someOf(files: string[], shown = 3): string {
  return files.length <= shown ? files.join(', ') : `${files.slice(0, shown).join(', ')} and ${files.length - shown} more`;
}

/** The warning lines of a start on part of the knowledge base: one per skipped card (with the links to it that were dropped), per ignored file, then the summary. */
export function skippedLines(usable: UsableKnowledge): string[] {
  if (usable.skipped.length === 0 && usable.ignored.length === 0 && usable.unlinked.length === 0 && usable.shared.length === 0) return [];
  const lines = [
    ...linksToNoCard(usable.unlinked),
    ...usable.shared.map((p) => `knowledge card ${p.file} ${p.field}: ${p.message} (${impliedName(p) ? 'the alias is left out, the card kept' : 'both cards kept'})`),
    ...usable.skipped.map(({ file, problems }) => {
      const linked = [...usable.dropped].find(([id]) => id.toLowerCase() === idOf(file).toLowerCase())?.[1];
      const links = linked ? ` (the links to it from ${someOf(linked)} are left out)` : '';
      return `knowledge card ${file} skipped: ${problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ')}${links}`;
    }),
    ...usable.ignored.map((p) => `knowledge file ${p.file} ignored: ${p.field ? `${p.field}: ` : ''}${p.message}`),
  ];
  const fix = 'fix them and run `npm run backfill -- kb validate`';
  if (usable.skipped.length) lines.push(`${usable.skipped.length} of ${usable.cards} cards skipped: ${fix}`);
  else if (usable.ignored.length) lines.push(`${usable.ignored.length} knowledge file${usable.ignored.length === 1 ? '' : 's'} ignored: ${fix}`);
  else if (usable.unlinked.length) lines.push(`links to cards that no file holds left out: ${fix}`);
  else lines.push(`names that two cards have kept on both: ${fix}`);
  return lines;
}

/** One line per id that cards link to and no card has, naming the cards (as many as hold a link). */
function linksToNoCard(unlinked: readonly Problem[]): string[] {
  const from = new Map<string, string[]>();
  const entries: string[] = [];
  for (const p of unlinked) {
    const id = missingLink(p);
    if (!id) {
      entries.push(`topics.yaml ${p.field}: ${p.message} (deleted, renamed or misspelt?): the entry is left out`);
      continue;
    }
    const files = from.get(id) ?? [];
    if (!files.includes(p.file)) files.push(p.file);
    from.set(id, files);
  }
  return [...[...from].map(([id, files]) => `knowledge cards link to ${id}, which no card has (deleted, renamed or misspelt?): the links from ${someOf(files)} are left out`), ...entries];
}
