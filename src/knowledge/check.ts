import { closest } from '../core/text.js';
import { checkSubtopics } from './catalog.js';
import { containsPhrase, nameKey } from './names.js';
import type { Concept, KnowledgeBase, QuizItem } from './schema.js';
import type { Problem } from './load.js';
import { checkReview } from './stale.js';
import { checkVoice } from './voice.js';

const BODY_RULES: Array<[RegExp, string]> = [
  [/^#{1,6}\s/m, 'must not contain headings (the card has its own title)'],
  [/^[^\s-].*\n[ \t]*(?:=+|-{2,})[ \t]*$/m, 'must not contain headings (a line of = or - under a line of text makes one; the card has its own title)'],
  [/\[[^\]]*\]\([^)]*\)|\[[^\]]+\]\[[^\]]*\]|\bhttps?:\/\/|\bwww\.[a-z0-9-]+\.[a-z]/i, 'must not contain links (put them in sources)'],
  [/^\s*\|.*\|\s*$/m, 'must not contain tables'],
  [/<\/?[a-z][a-z0-9-]*(\s[^>]*)?>/i, 'must not contain HTML tags'],
];

/** The body without fenced blocks and inline code, where `<x>` and `|` are just code. */
function withoutCode(body: string): string {
  return body.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

function hostAllowed(url: string, hosts: string[]): boolean {
  const host = new URL(url).hostname;
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

function checkQuiz(item: QuizItem, field: string, file: string): Problem[] {
  const problems: Problem[] = [];
  const answer = nameKey(item.answer);
  const wrong = item.wrong.map(nameKey);
  const repeated = item.wrong.find((w, i) => wrong.indexOf(wrong[i]!) !== i);
  if (repeated !== undefined) problems.push({ file, field: `${field}.wrong`, message: `wrong options must be distinct: "${repeated}" is given twice (case and punctuation aside)` });
  wrong.forEach((w, i) => {
    if (w === answer) problems.push({ file, field: `${field}.wrong[${i}]`, message: 'must differ from the answer' });
  });
  if (containsPhrase(item.question, item.answer)) {
    problems.push({ file, field: `${field}.question`, message: 'must not contain the answer' });
  }
  return problems;
}

function findCycle(kb: KnowledgeBase): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const pre of kb.byId.get(id)?.prerequisites ?? []) {
      const cycle = kb.byId.has(pre) ? visit(pre) : undefined;
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const c of kb.concepts) {
    const cycle = visit(c.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Checks what no single file can: unique ids and names, links that resolve, sources on official
 * hosts. Fills kb.byId. `broken`: ids of cards whose files failed their own checks (reported
 * already): a link to one is not reported too, or one bad card would bury its own error under
 * every link to it.
 */
export function checkKnowledgeBase(kb: KnowledgeBase, broken: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, { concept: Concept; name: string; field: string }>();
  const topics = new Map(kb.topics.map((t) => [t.id, t]));
  for (const c of kb.concepts) {
    const first = kb.byId.get(c.id);
    if (first) {
      problems.push({ file: c.file, field: 'id', message: `"${c.id}" is already used by ${first.file}` });
      continue;
    }
    kb.byId.set(c.id, c);
    const seen = new Set<string>();
    [c.title, ...c.aliases].forEach((name, i) => {
      const key = nameKey(name);
      const field = i === 0 ? 'title' : `aliases[${i - 1}]`;
      if (!key) return problems.push({ file: c.file, field, message: 'must contain letters or digits' });
      if (seen.has(key)) return problems.push({ file: c.file, field, message: `"${name}" repeats another name of this concept` });
      seen.add(key);
      const owner = names.get(key);
      if (!owner) return void names.set(key, { concept: c, name, field });
      // An alias that is another card's title is the alias's mistake: said on its card alone. Two
      // aliases (or two titles) are said on both cards: which one brought the clash, a new card or
      // an edit of an old one, the validator cannot know.
      const keep = 'a name leads to one card, so keep it on one of the two';
      const aliasOfTitle = (alias: string, title: string) => alias !== 'title' && title === 'title';
      if (!aliasOfTitle(owner.field, field)) problems.push({ file: c.file, field, message: aliasOfTitle(field, owner.field) ? `"${name}" is the title of ${owner.concept.id} (${owner.concept.file}): drop it here` : `"${name}" is already a name of ${owner.concept.id} (${owner.concept.file}): ${keep}` });
      if (!aliasOfTitle(field, owner.field)) problems.push({ file: owner.concept.file, field: owner.field, message: aliasOfTitle(owner.field, field) ? `"${owner.name}" is the title of ${c.id} (${c.file}): drop it here` : `"${owner.name}" is also a name of ${c.id} (${c.file}): ${keep}` });
    });
    const topic = topics.get(c.topic);
    c.sources.forEach((s, i) => {
      if (topic && !hostAllowed(s.url, topic.hosts)) {
        problems.push({ file: c.file, field: `sources[${i}].url`, message: `must be on an official ${topic.name} site (${topic.hosts.join(', ')})` });
      }
    });
    const prose = withoutCode(c.body);
    BODY_RULES.forEach(([pattern, message]) => {
      if (pattern.test(prose)) problems.push({ file: c.file, field: 'body', message });
    });
    c.quiz.forEach((q, i) => problems.push(...checkQuiz(q, `quiz[${i}]`, c.file)));
    problems.push(...checkVoice(c));
    problems.push(...checkReview(c, topic));
  }
  for (const c of kb.byId.values()) {
    for (const key of ['related', 'prerequisites'] as const) {
      c[key].forEach((id, i) => {
        if (id === c.id) problems.push({ file: c.file, field: `${key}[${i}]`, message: 'must not name the concept itself' });
        else if (!kb.byId.has(id) && !broken.has(id)) {
          // A slug without its topic (as topics.yaml writes them): the card of that slug, in this topic first.
          const slugOf = (other: string) => other.slice(other.indexOf('/') + 1);
          const bare = id.includes('/') ? undefined : (kb.byId.has(`${c.topic}/${id}`) ? `${c.topic}/${id}` : [...kb.byId.keys()].find((other) => slugOf(other) === id));
          const near = bare ?? [...kb.byId.keys()].find((other) => other.toLowerCase() === id.toLowerCase()) ?? closest(id, kb.byId.keys());
          problems.push({ file: c.file, field: `${key}[${i}]`, message: `unknown concept id "${id}"${near ? ` (did you mean "${near}"?)` : ''}` });
        }
      });
    }
  }
  problems.push(...aliasesNamingOthers(kb), ...keysListedTwice(kb));
  const cycle = findCycle(kb);
  if (cycle) {
    const file = kb.byId.get(cycle[0] ?? '')?.file ?? '';
    problems.push({ file, field: 'prerequisites', message: `prerequisites form a cycle: ${cycle.join(' -> ')}` });
  }
  problems.push(...checkSubtopics(kb, broken));
  return problems;
}

/** A key of `keys` leads to one card: it is listed on one card only, and is no card's name (a name is found already). */
function keysListedTwice(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  const named = new Map<string, Concept>();
  for (const c of kb.byId.values()) for (const name of [c.title, ...c.aliases]) if (!named.has(name.toLowerCase())) named.set(name.toLowerCase(), c);
  const owners = new Map<string, { card: Concept; key: string; field: string }>();
  for (const c of kb.byId.values()) {
    c.keys.forEach(({ key }, i) => {
      const field = `keys[${i}].key`;
      const owner = owners.get(key.toLowerCase());
      const namer = named.get(key.toLowerCase());
      if (namer === c) problems.push({ file: c.file, field, message: `"${key}" is already a name of this card: drop it here` });
      else if (namer) problems.push({ file: c.file, field, message: `"${key}" is a name of ${namer.id} (${namer.file}): it leads there, so drop it here or move it` });
      else if (owner) {
        // Said on both cards: which one brought the clash, a new card or an edit of an old one, the validator cannot know.
        const keep = 'a key leads to one card, so keep it on one of the two';
        problems.push({ file: c.file, field, message: `"${key}" is already a key of ${owner.card.id} (${owner.card.file}): ${keep}` });
        problems.push({ file: owner.card.file, field: owner.field, message: `"${owner.key}" is also a key of ${c.id} (${c.file}): ${keep}` });
      } else owners.set(key.toLowerCase(), { card: c, key, field });
    });
  }
  return problems;
}

/**
 * An alias that reads as another card's title without its topic word ("provider::" beside
 * "Terraform provider"): "what is a provider in terraform" would find the alias's card.
 */
function aliasesNamingOthers(kb: KnowledgeBase): Problem[] {
  const implied = new Map<string, Concept>();
  for (const c of kb.byId.values()) {
    const [first, ...rest] = c.title.split(/\s+/);
    if (rest.length && nameKey(first!) === nameKey(c.topic)) implied.set(`${c.topic} ${nameKey(rest.join(' '))}`, c);
  }
  const problems: Problem[] = [];
  for (const c of kb.byId.values()) {
    c.aliases.forEach((alias, i) => {
      const other = implied.get(`${c.topic} ${nameKey(alias)}`);
      if (other && other.id !== c.id) problems.push({ file: c.file, field: `aliases[${i}]`, message: `"${alias}" reads as the name of ${other.id} ("${other.title}" without its topic word): say more ("${alias} ...") or drop it` });
    });
  }
  return problems;
}
