import { nameKey } from '../knowledge/names.js';
import { slugMatcher, slugMatches } from '../knowledge/catalog.js';
import { documentTokens, rawWords, splitWords, tokenizeDocument as tokensOf } from '../search/tokenize.js';
import { LIMITS } from '../knowledge/limits.js';
import { escapeRegExp } from '../core/text.js';
import { SearchIndex, type CardWords } from '../search/engine.js';
import type { Concept, KnowledgeBase } from '../knowledge/schema.js';

/** A question before its options are shuffled: one right answer, three wrong ones. */
export interface QuestionTemplate {
  /** Stable across restarts and releases, so a channel's history of seen questions stays valid. */
  key: string;
  concept: Concept;
  prompt: string;
  answer: string;
  /** Wrong options, or a function drawing them (generated questions draw fresh ones each time). */
  wrong: string[] | ((random: () => number) => string[]);
  why: string;
}

export interface MaterialQuestion {
  key: string;
  concept: Concept;
  prompt: string;
  options: string[];
  correct: number;
  why: string;
}

/**
 * Whether two stemmed words give each other away: the same stem, or one the start of the other
 * ("connect" and "connector", "schedul" and "scheduler"), for words of four letters or more.
 */
export function giveaway(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** Whether a word of a question gives any of these title words away. */
function showsAny(wordTokens: readonly string[], titleTokens: readonly string[]): boolean {
  return wordTokens.some((w) => titleTokens.some((t) => giveaway(w, t)));
}

/** A summary this much blanked out no longer describes anything: write a question by hand instead. */
const MAX_BLANKED = 0.25;
/** More blanks than this and the question is a cloze puzzle rather than a description. */
const MAX_BLANKS = 3;
/** Meaningful words a masked summary keeps at least, to be a fair question. */
const MIN_WORDS_LEFT = 5;
const BLANK = '___';
/** A why is one line on every platform, as long as a hand-written one may be. */
const WHY_MAX = LIMITS.why;

/**
 * The words of a title that name the concept: its topic's words left out (every option of its
 * question is a concept of that topic, so "Kafka" tells nothing), unless they are all it has.
 */
function nameTokens(title: string, topicWords: ReadonlySet<string>): string[] {
  // Word by word: "MapReduce" is a topic word with its parts (map, reduc), all left out together;
  // "At-least-once" as at, least, once, which a question may write apart.
  const words = splitWords(title, false).map((w) => documentTokens(w));
  const own = words.filter((tokens) => !tokens.some((t) => topicWords.has(t))).flat();
  return own.length ? own : words.flat();
}

/** Tokens of a text read word by word, as titles are ("exactly-once" as exactly, once): what is compared with titles. */
function titleWordTokens(text: string): string[] {
  return splitWords(text, false).flatMap((w) => documentTokens(w));
}

/**
 * The words of a title that a question about it hides: its name, without a gloss in parentheses
 * ("Analyses (SQL that dbt compiles but never runs)"), which describes the name; blanking the
 * gloss's words ("never") would hide what the question says.
 */
function hiddenTokens(title: string, topicWords: ReadonlySet<string>): string[] {
  return nameTokens(withoutGloss(title), topicWords);
}

function withoutGloss(title: string): string {
  return title.replace(/\s*\([^)]*\)\s*$/, '') || title;
}

/** A blank spelt out right after it ("___, short for cross-communication") gives the name away. */
const SPELT_OUT = /___[,)]?\s*\(?(?:short for|stands for)\b/i;

/** The stemmed words that name a concept's topic (kafka; hadoop, hdfs, hbase, ...). */
function topicWordsOf(kb: KnowledgeBase, topic: string): Set<string> {
  return new Set((kb.topics.find((t) => t.id === topic)?.keywords ?? []).flatMap((k) => tokensOf(k)));
}

/**
 * The summary with every name of the concept blanked out: its aliases as phrases, and every word
 * of its title by stem and by prefix, but for its topic's words ("Kafka Connect" blanks "connect"
 * and "connectors", not "Kafka": a question with every "Kafka" blanked is a puzzle). Undefined when
 * so much is blanked that little is left to go on, unless `lenient` (for a card with no
 * hand-written question, a thin question beats none).
 */
export function maskedSummary(concept: Concept, lenient = false, topicWords: ReadonlySet<string> = new Set()): string | undefined {
  const cut = beforeKeywordForm(concept.summary, concept.title);
  if (!cut && !lenient) return undefined;
  let text = cut || concept.summary;
  const aliases = [...concept.aliases].sort((a, b) => b.length - a.length);
  for (const name of aliases) {
    // Most summaries hold none of the aliases: no pattern is compiled for those.
    if (!text.toUpperCase().includes(name.toUpperCase())) continue;
    text = text.replace(new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?:e?s)?(?![\\w])`, 'gi'), BLANK);
  }
  const title = hiddenTokens(concept.title, topicWords);
  let kept = 0;
  // A word here is a whole identifier ("depends_on", "min.insync.replicas") or compound ("stream-processing"):
  // blanked whole or kept whole, never left as "___-processing".
  text = text.replace(/[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*/g, (word) => {
    const tokens = titleWordTokens(word);
    if (tokens.length === 0) return word;
    if (showsAny(tokens, title)) return BLANK;
    kept++;
    return word;
  });
  // The rest of the name before a blank goes too, topic word or not ("Apache ___", "Kafka ___"): left, it points at the one option that starts so.
  const nameWords = new Set(rawWords(withoutGloss(concept.title)));
  const before = /([A-Za-z][A-Za-z0-9-]*)(\s+___)/g;
  for (let last = ''; last !== text; ) {
    last = text;
    text = text.replace(before, (whole, word: string) => {
      // Not a joining word of the name ("and", "in"), which would run two blanks into one.
      if (!nameWords.has(word.toLowerCase()) || (tokensOf(word).length === 0 && word === word.toLowerCase())) return whole;
      kept--;
      return `${BLANK} ${BLANK}`;
    });
  }
  // Blanks joined by spaces or a name's own punctuation are one name; not across the end of a sentence ("unique_key. --full-refresh").
  text = text.replace(/___(?:(?:[\s=/'-]|\.(?!\s))*___)+/g, BLANK);
  // "An ___" would leave only the options that start with a vowel sound: the article tells nothing either way.
  text = text.replace(/\b(an?)(\s+___)/gi, (_, article: string, rest: string) => `${article[0]}(n)${rest}`);
  if (SPELT_OUT.test(text) && !lenient) return undefined;
  const blanks = text.split(BLANK).length - 1;
  const fair = kept >= MIN_WORDS_LEFT && blanks <= MAX_BLANKS && blanks / (kept + blanks) <= MAX_BLANKED;
  if (!fair && !lenient) return undefined;
  return text;
}

/**
 * The summary up to the sentence that writes a word of the name as a keyword of some syntax ("SQL
 * UNION ALL" on the card for RDD union, `INSERT ... PARTITION`): blanked there, the phrase around it
 * still gives the word away. Empty when the first sentence does.
 */
function beforeKeywordForm(summary: string, title: string): string {
  const nameWords = new Set(rawWords(withoutGloss(title)).map((w) => w.toLowerCase()));
  const sentences = summary.split(/(?<=[.!?])\s+/);
  const at = sentences.findIndex((s) => [...s.matchAll(/\b[A-Z][A-Z0-9_]{2,}\b/g)].some(([w]) => nameWords.has(w.toLowerCase()) && !title.includes(w)));
  return at < 0 ? summary : sentences.slice(0, at).join(' ');
}

/** Longest clue, in words. */
const CLUE_WORDS = 6;
/** What each word of a clue costs, so that a short telling phrase beats a long ordinary one. */
const CLUE_WORD_COST = 0.6;
/** Words a clue does not start or end with: they tell nothing on their own. */
const CLUE_EDGE = new Set(
  `after before over under against through across each every both all their them they only not own such other others
   more most less while until once per via since still even some any same make makes made let lets gets keeps holds
   hand hands takes take goes runs run new old first last its whose within without between among around about inside
   outside usually often always never`.split(/\s+/),
);

const NEGATION = /^(?:not|never|no|nor|neither|without|instead|unlike|rather|\w+n't)$/i;

/**
 * The few words of the masked summary that give the concept away: the run of two to six words,
 * within one clause and between blanks, whose words are rarest among the topic's other concepts
 * (and count double when the card's own text repeats them).
 */
function clueOf(masked: string, concept: Concept, words: CardWords): string | undefined {
  const rare = words.rarity(concept.topic);
  const weight = (tokens: readonly string[]) => tokens.reduce((sum, t) => sum + rare(t) * (words.holds(concept.id, t) ? 1 : 0.5), 0);
  // Clauses: runs of whole words with no blank, no code and no punctuation between them.
  const clauses: Array<Array<{ text: string; score: number; edge: boolean }>> = [[]];
  for (const raw of masked.split(/\s+/)) {
    if (raw.includes(BLANK) || /[`"“”]/.test(raw) || /^[-–—]$/.test(raw)) {
      clauses.push([]);
      continue;
    }
    if (/^[([]/.test(raw)) clauses.push([]);
    const text = raw.replace(/^[([]+/, '').replace(/[.,;:!?)\]]+$/, '');
    const tokens = tokensOf(text);
    const bare = text.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
    clauses.at(-1)!.push({ text, score: weight(tokens), edge: tokens.length > 0 && !CLUE_EDGE.has(bare) });
    if (/[.,;:!?)\]]$/.test(raw)) clauses.push([]);
  }
  let best: { text: string; score: number } | undefined;
  for (const words of clauses) {
    for (let i = 0; i < words.length; i++) {
      // Not what the summary says the concept is not ("not everything in the account").
      if (!words[i]!.edge || (i > 0 && NEGATION.test(words[i - 1]!.text))) continue;
      let score = words[i]!.score - CLUE_WORD_COST;
      for (let j = i + 1; j < words.length && j < i + CLUE_WORDS; j++) {
        const w = words[j]!;
        score += w.score - CLUE_WORD_COST;
        if (!w.edge) continue;
        if (!best || score > best.score) best = { text: words.slice(i, j + 1).map((x) => x.text).join(' '), score };
      }
    }
  }
  return best?.text;
}

export function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return out;
}

/**
 * The summary's first sentence with its blanks filled in, it teaches what the question asked; cut
 * after a clause when the whole sentence does not fit a why (undefined when not even half does).
 */
function hidden(concept: Concept): string | undefined {
  const first = /^.*?[.!?](?=\s+[A-Z`“"]|$)/s.exec(concept.summary)?.[0] ?? concept.summary;
  const room = WHY_MAX - `The blanks hide ${concept.title}: “”`.length;
  let said = first;
  if (said.length > room) {
    const cut = said.slice(0, room - 1);
    const clause = Math.max(cut.lastIndexOf(', '), cut.lastIndexOf('; '), cut.lastIndexOf(': '));
    if (clause < room / 2) return undefined;
    said = `${cut.slice(0, clause)}…`;
  }
  return `The blanks hide ${concept.title}: “${said}”`;
}

/** A generated question, with every title its wrong options are drawn from. */
export interface GeneratedQuestion extends QuestionTemplate {
  /** Worked out when read (a topic may hold thousands of titles): tests and tools read it, quizzes draw from it. */
  readonly candidates: readonly string[];
}

/** A title a wrong option can be, with what the checks need of it, worked out once per bank. */
export interface OptionTitle {
  id: string;
  title: string;
  key: string;
  tokens: readonly string[];
}

/** The titles of each topic's concepts, tokenized once: what generated questions draw wrong options from. */
export type OptionPools = ReadonlyMap<string, readonly OptionTitle[]>;

function conceptsByTopic(concepts: readonly Concept[]): Map<string, Concept[]> {
  const by = new Map<string, Concept[]>();
  for (const c of concepts) {
    const list = by.get(c.topic);
    if (list) list.push(c);
    else by.set(c.topic, [c]);
  }
  return by;
}

/**
 * Titles wrong options are drawn from: each topic's, under its id, and each subtopic's, under
 * `topic/subtopic` (a ZooKeeper question is best answered wrong with other ZooKeeper concepts).
 */
export function optionPools(kb: KnowledgeBase): OptionPools {
  const pools = new Map<string, OptionTitle[]>();
  for (const [topic, concepts] of conceptsByTopic(kb.concepts)) {
    const topicWords = topicWordsOf(kb, topic);
    const titles = concepts.map((c) => ({ id: c.id, title: c.title, key: nameKey(c.title), tokens: nameTokens(c.title, topicWords) }));
    pools.set(topic, titles);
    for (const sub of kb.topics.find((t) => t.id === topic)?.subtopics ?? []) {
      const holds = slugMatcher(sub.concepts);
      pools.set(`${topic}/${sub.id}`, titles.filter((_, i) => holds(concepts[i]!.slug)));
    }
  }
  return pools;
}

/** The pools a concept's wrong options may come from, closest first: its subtopics', then its topic's. */
function poolsOf(kb: KnowledgeBase, concept: Concept, pools: OptionPools): (readonly OptionTitle[])[] {
  const subtopics = kb.topics.find((t) => t.id === concept.topic)?.subtopics ?? [];
  const own = subtopics.filter((sub) => sub.concepts.some((p) => slugMatches(p, concept.slug))).map((sub) => pools.get(`${concept.topic}/${sub.id}`) ?? []);
  return [...own, pools.get(concept.topic) ?? []];
}

/** Wrong options needed: a question has four. */
const WRONG = 3;

/**
 * Up to `n` titles of the pool that `fits` accepts, drawn in random order: a uniform draw among
 * the titles that fit, which looks at only as many titles as it takes to find `n`.
 */
function drawFitting(pool: readonly OptionTitle[], fits: (o: OptionTitle) => boolean, n: number, random: () => number): string[] {
  const order = Array.from(pool.keys());
  const out: string[] = [];
  for (let i = 0; i < order.length && out.length < n; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
    const o = pool[order[i]!]!;
    if (fits(o)) out.push(o.title);
  }
  return out;
}

/**
 * "Which concept is this?" over the masked summary. Wrong options are other concepts of the same
 * topic whose titles share no word with the question but the topic's own, so no option is given
 * away or ruled out by its words; the why shows the sentence with its blanks filled in (or quotes the clue). Undefined when the summary cannot be masked well enough and
 * the card has hand-written questions to ask instead (every card of the shipped knowledge base does).
 * A bank passes what it works out once for all its questions: the option pools, and the cards'
 * words as the search index holds them (see SearchIndex.cardWords).
 */
export function whichConcept(kb: KnowledgeBase, concept: Concept, shared: { words?: CardWords; pools?: OptionPools } = {}): GeneratedQuestion | undefined {
  const lenient = concept.quiz.length === 0;
  const topicWords = topicWordsOf(kb, concept.topic);
  const masked = maskedSummary(concept, lenient, topicWords);
  if (!masked) return undefined;
  // The question's own words are all stopwords, so they cannot clash with a title ("Which concept ..." would).
  const prompt = `What does this describe? “${masked}”`;
  const promptTokens = titleWordTokens(prompt);
  // Words of a gloss left in the question would point at the one option that repeats them: no question then.
  if (showsAny(promptTokens, nameTokens(concept.title, topicWords))) return undefined;
  // A comparison whose question still names one side ("Oozie is ...; ___ is ...") points at the one option naming it.
  if (/\bvs\.?\b/i.test(concept.title) && !lenient && showsAny(promptTokens, tokensOf(withoutGloss(concept.title)).filter((t) => t !== 'vs'))) return undefined;
  const own = hiddenTokens(concept.title, topicWords);
  const ownKey = nameKey(concept.title);
  // Nor a name that holds the answer's, or that it holds ("XCom vs Variable" for XCom, "dbt run"
  // for "dbt run vs dbt build"): that option would be right too.
  const nested = (o: OptionTitle) => o.tokens.length > 0 && (own.every((t) => o.tokens.includes(t)) || o.tokens.every((t) => own.includes(t)));
  const fits = (o: OptionTitle) => o.id !== concept.id && o.key !== ownKey && !showsAny(promptTokens, o.tokens) && !nested(o);
  // The closest pool with enough titles to draw from. Counting stops at the third, so a bank never compares every pair of cards.
  const enough = (pool: readonly OptionTitle[]) => {
    let fitting = 0;
    for (const o of pool) if (fits(o) && ++fitting >= WRONG) return true;
    return false;
  };
  const pool = poolsOf(kb, concept, shared.pools ?? optionPools(kb)).find(enough);
  if (!pool) return undefined;
  const clue = clueOf(masked, concept, shared.words ?? cardWordsOf(kb));
  if (!clue && !lenient) return undefined;
  return {
    key: `${concept.id}#which`,
    concept,
    prompt,
    answer: concept.title,
    wrong: (random) => drawFitting(pool, fits, WRONG, random),
    get candidates() {
      return pool.filter(fits).map((o) => o.title);
    },
    // The sentence the blanks were cut from reads better than any clue quoted from it; a clue when it is too long.
    why: hidden(concept) ?? (clue ? `The clue is “${clue}”, which points to ${concept.title}.` : `The blanks hide ${concept.title}.`),
  };
}

/**
 * Every question the knowledge base offers: the hand-written ones and one generated per concept.
 * How rare and how much a card's own each word of a clue is, the search index answers from its
 * postings (`index`: the one the bot already has; else one is built for this knowledge base), so a
 * bank reads no card's body again.
 */
export function questionBank(kb: KnowledgeBase, index?: SearchIndex): QuestionTemplate[] {
  let bank = banks.get(kb);
  if (!bank) banks.set(kb, (bank = buildBank(kb, cardWordsOf(kb, index))));
  return [...bank];
}

/** One bank per knowledge base: the quiz engine and the learning service both ask for it. */
const banks = new WeakMap<KnowledgeBase, readonly QuestionTemplate[]>();
const cardWordsByKb = new WeakMap<KnowledgeBase, CardWords>();

function cardWordsOf(kb: KnowledgeBase, index?: SearchIndex): CardWords {
  let known = cardWordsByKb.get(kb);
  if (!known) cardWordsByKb.set(kb, (known = (index ?? new SearchIndex(kb.concepts, kb.topics)).cardWords()));
  return known;
}

function buildBank(kb: KnowledgeBase, words: CardWords): QuestionTemplate[] {
  const pools = optionPools(kb);
  const bank: QuestionTemplate[] = [];
  for (const concept of kb.concepts) {
    concept.quiz.forEach((q, i) => bank.push({ key: `${concept.id}#${i}`, concept, prompt: q.question, answer: q.answer, wrong: q.wrong, why: q.why }));
    const q = whichConcept(kb, concept, { words, pools });
    if (q) bank.push(q);
  }
  return bank;
}

/** Shuffles the options; the position of the right one is remembered. */
export function materialize(t: QuestionTemplate, random: () => number): MaterialQuestion {
  const wrong = typeof t.wrong === 'function' ? t.wrong(random) : t.wrong;
  const options = sample([t.answer, ...wrong], 4, random);
  return { key: t.key, concept: t.concept, prompt: t.prompt, options, correct: options.indexOf(t.answer), why: t.why };
}

/**
 * Picks `count` questions: never-seen ones first (in random order), then those seen longest ago,
 * so a channel sees every question of a topic before any comes back; one question per concept
 * while there are enough concepts.
 */
export function pickQuestions(bank: QuestionTemplate[], seen: Map<string, string>, count: number, random: () => number): QuestionTemplate[] {
  const unseen = sample(bank.filter((q) => !seen.has(q.key)), bank.length, random);
  const old = bank.filter((q) => seen.has(q.key)).sort((a, b) => seen.get(a.key)!.localeCompare(seen.get(b.key)!));
  const ordered = [...unseen, ...old];
  const picked: QuestionTemplate[] = [];
  const concepts = new Set<string>();
  for (const q of ordered) {
    if (picked.length >= count) break;
    if (concepts.has(q.concept.id)) continue;
    picked.push(q);
    concepts.add(q.concept.id);
  }
  for (const q of ordered) {
    if (picked.length >= count) break;
    if (!picked.includes(q)) picked.push(q);
  }
  return picked;
}
