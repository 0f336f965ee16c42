import type { Concept, Topic } from '../knowledge/schema.js';
import { stem, tokenize, tokenizeQuery } from './tokenize.js';
import { TypoCorrector } from './typo.js';

export interface SearchHit {
  concept: Concept;
  /** Confidence in [0, 1]. */
  score: number;
}

export interface SearchResult {
  match: SearchHit | null;
  suggestions: SearchHit[];
}

/** Thresholds found on the labelled query set (test/search/queries). */
export const THRESHOLDS = {
  /** Below this the best hit is shown only as a suggestion. */
  match: 0.5,
  /** Share of the question that the best card must explain by its names, or by its text. */
  nameRecall: 0.6,
  textRecall: 0.85,
  suggestion: 0.2,
} as const;

const SHORTLIST = 40;
/** Ratios of sums are compared with thresholds; float rounding must not decide. */
const EPSILON = 1e-9;
const PREFIX_SIMILARITY = 0.8;
const TEXT_DISCOUNT = 0.85;
const TOPIC_NAME_BONUS = 0.05;
const COMPOUND_SIMILARITY = 0.95;

interface Doc {
  concept: Concept;
  /** Token lists of the title, each alias and the slug. */
  names: string[][];
}

interface QueryToken {
  token: string;
  /** The topic this word names, if it is a topic keyword. */
  topic?: string;
  /** Vocabulary words it may mean, with similarity in (0, 1]. */
  candidates: Map<string, number>;
  weight: number;
}

function uniqueNames(concept: Concept): string[][] {
  const seen = new Set<string>();
  const names: string[][] = [];
  for (const name of [concept.title, ...concept.aliases, concept.slug.replace(/-/g, ' ')]) {
    const tokens = tokenize(name);
    const key = tokens.join(' ');
    if (tokens.length === 0 || seen.has(key)) continue;
    seen.add(key);
    names.push(tokens);
  }
  return names;
}

function addPosting(map: Map<string, number[]>, token: string, doc: number): void {
  const list = map.get(token);
  if (!list) map.set(token, [doc]);
  else if (list[list.length - 1] !== doc) list.push(doc);
}

/**
 * Finds the concept a question means. Each card is scored by how well one of its names lines up
 * with the question (both ways: the question's words found in the name, the name's words found in
 * the question), backed by how much of the question its summary and explanation cover. A topic
 * word in the question steers towards that topic.
 */
export class SearchIndex {
  private readonly docs: Doc[];
  private readonly nameTokens = new Map<string, number[]>();
  private readonly textTokens = new Map<string, number[]>();
  private readonly textSets: Array<Set<string>>;
  private readonly vocabulary: string[];
  private readonly vocabSet: Set<string>;
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  private readonly topicOfKeyword = new Map<string, string>();
  private readonly byId = new Map<string, number>();
  private readonly typos: TypoCorrector;

  constructor(concepts: Concept[], topics: Topic[]) {
    this.docs = concepts.map((concept) => ({ concept, names: uniqueNames(concept) }));
    this.textSets = this.docs.map((doc, i) => {
      this.byId.set(doc.concept.id, i);
      for (const name of doc.names) for (const t of name) addPosting(this.nameTokens, t, i);
      const text = new Set(tokenize(`${doc.concept.summary} ${doc.concept.body}`));
      for (const t of text) addPosting(this.textTokens, t, i);
      return text;
    });
    this.vocabSet = new Set([...this.nameTokens.keys(), ...this.textTokens.keys()]);
    this.vocabulary = [...this.vocabSet].sort();
    const n = this.docs.length;
    for (const token of this.vocabulary) {
      const df = new Set([...(this.nameTokens.get(token) ?? []), ...(this.textTokens.get(token) ?? [])]).size;
      this.idf.set(token, Math.log(1 + n / df));
    }
    this.maxIdf = Math.log(1 + Math.max(n, 1));
    for (const topic of topics) {
      this.topicOfKeyword.set(stem(topic.id), topic.id);
      for (const k of topic.keywords) this.topicOfKeyword.set(stem(k), topic.id);
    }
    this.typos = new TypoCorrector(this.vocabulary);
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, maxSuggestions = 3): SearchResult {
    const exact = this.byId.get(query.trim().toLowerCase());
    if (exact !== undefined) return { match: { concept: this.docs[exact]!.concept, score: 1 }, suggestions: [] };
    const tokens = this.queryTokens(query);
    if (tokens.length === 0) return { match: null, suggestions: [] };
    const steer = new Set(tokens.flatMap((t) => (t.topic ? [t.topic] : [])));
    let content = tokens.filter((t) => !t.topic);
    if (content.length === 0) content = tokens;
    const contentWeight = content.reduce((sum, t) => sum + t.weight, 0);

    const ranked = this.shortlist(content)
      .map((i) => this.score(i, tokens, content, contentWeight, steer))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
    const best = ranked[0];
    const confident =
      best !== undefined &&
      best.score >= THRESHOLDS.match &&
      (best.nameRecall >= THRESHOLDS.nameRecall - EPSILON || best.textRecall >= THRESHOLDS.textRecall - EPSILON);
    const hit = (r: { doc: number; score: number }): SearchHit => ({ concept: this.docs[r.doc]!.concept, score: round(Math.min(1, r.score)) });
    const rest = ranked.slice(confident ? 1 : 0).filter((r) => r.score >= THRESHOLDS.suggestion);
    return {
      match: confident && best ? hit(best) : null,
      suggestions: rest.slice(0, maxSuggestions).map(hit),
    };
  }

  /**
   * Concepts for a partly typed query (autocomplete): names that start with what was typed, then
   * what search finds for it.
   */
  complete(typed: string, limit = 25): Concept[] {
    const prefix = typed.trim().toLowerCase().slice(0, 100);
    if (!prefix) return this.docs.slice(0, limit).map((d) => d.concept);
    const found = new Set<number>();
    const starts: Array<{ doc: number; length: number }> = [];
    this.docs.forEach((doc, i) => {
      const names = [doc.concept.title, ...doc.concept.aliases];
      const hit = names.find((n) => n.toLowerCase().startsWith(prefix));
      if (hit) starts.push({ doc: i, length: hit.length });
    });
    starts.sort((a, b) => a.length - b.length || a.doc - b.doc);
    for (const s of starts) if (found.size < limit) found.add(s.doc);
    const result = this.search(typed, limit);
    for (const h of [...(result.match ? [result.match] : []), ...result.suggestions]) {
      if (found.size >= limit) break;
      found.add(this.byId.get(h.concept.id)!);
    }
    return [...found].map((i) => this.docs[i]!.concept);
  }

  private queryTokens(query: string): QueryToken[] {
    const words = tokenizeQuery(query);
    // A compound ("name node" as "namenode") is one more reading of both words, not a replacement:
    // "lock file" must still find "lock file" before "lockfile".
    const compounds = new Map<string, Map<string, number>>();
    for (let i = 0; i + 1 < words.length; i++) {
      const compound = this.compound(words[i]!, words[i + 1]!);
      if (!compound) continue;
      for (const w of [words[i]!, words[i + 1]!]) compounds.set(w, new Map([...(compounds.get(w) ?? []), [compound.token, compound.similarity]]));
    }
    const out: QueryToken[] = [];
    for (const token of new Set(words)) {
      const candidates = this.candidates(token);
      for (const [word, sim] of compounds.get(token) ?? []) candidates.set(word, Math.max(candidates.get(word) ?? 0, sim));
      const best = [...candidates].sort((a, b) => b[1] - a[1])[0];
      out.push({
        token,
        topic: this.topicOfKeyword.get(token),
        candidates,
        weight: best ? (this.idf.get(best[0]) ?? this.maxIdf) : this.maxIdf,
      });
    }
    return out;
  }

  /**
   * Two words written apart that a name writes as one ("name node"), or undefined. A misspelt
   * pair ("resource manger") is corrected only when one of its words is not a known word.
   */
  private compound(first: string, second: string): { token: string; similarity: number } | undefined {
    const word = stem(`${first}${second}`);
    if (this.nameTokens.has(word)) return { token: word, similarity: COMPOUND_SIMILARITY };
    if (word.length < 8 || (this.vocabSet.has(first) && this.vocabSet.has(second))) return undefined;
    const fixed = this.typos.corrections(word).find((c) => c.similarity >= 0.8 && this.nameTokens.has(c.token));
    return fixed && { token: fixed.token, similarity: fixed.similarity * COMPOUND_SIMILARITY };
  }

  private candidates(token: string): Map<string, number> {
    const found = new Map<string, number>();
    if (this.vocabSet.has(token)) found.set(token, 1);
    else {
      for (const c of this.typos.corrections(token)) found.set(c.token, c.similarity);
    }
    if (token.length >= 4) {
      for (const word of this.withPrefix(token)) {
        if (!found.has(word)) found.set(word, PREFIX_SIMILARITY);
      }
    }
    return found;
  }

  private withPrefix(prefix: string): string[] {
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.vocabulary[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.vocabulary.length && out.length < 8; i++) {
      const word = this.vocabulary[i]!;
      if (!word.startsWith(prefix)) break;
      if (word !== prefix && word.length - prefix.length <= 6) out.push(word);
    }
    return out;
  }

  /** Documents worth scoring in full: the best by a quick weighted count of name and text hits. */
  private shortlist(content: QueryToken[]): number[] {
    const acc = new Map<number, number>();
    for (const q of content) {
      const best = new Map<number, number>();
      for (const [word, sim] of q.candidates) {
        for (const d of this.nameTokens.get(word) ?? []) best.set(d, Math.max(best.get(d) ?? 0, sim));
        for (const d of this.textTokens.get(word) ?? []) best.set(d, Math.max(best.get(d) ?? 0, sim * 0.5));
      }
      for (const [d, sim] of best) acc.set(d, (acc.get(d) ?? 0) + sim * q.weight);
    }
    return [...acc.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, SHORTLIST)
      .map(([d]) => d);
  }

  private score(doc: number, tokens: QueryToken[], content: QueryToken[], contentWeight: number, steer: Set<string>) {
    const { concept, names } = this.docs[doc]!;
    const text = this.textSets[doc]!;
    let nameScore = 0;
    let nameRecall = 0;
    let topicNamed = 0;
    const topicTokens = tokens.filter((q) => q.topic);
    for (const name of names) {
      if (topicTokens.length) topicNamed = Math.max(topicNamed, topicTokens.filter((q) => bestSimilarity(q, name) > 0).length / topicTokens.length);
      let recalled = 0;
      for (const q of content) recalled += q.weight * bestSimilarity(q, name);
      const recall = recalled / contentWeight;
      let covered = 0;
      let total = 0;
      for (const t of name) {
        const w = (this.idf.get(t) ?? this.maxIdf) * (this.topicOfKeyword.has(t) ? 0.25 : 1);
        total += w;
        let sim = 0;
        for (const q of tokens) sim = Math.max(sim, q.candidates.get(t) ?? 0);
        covered += w * sim;
      }
      const precision = total > 0 ? covered / total : 0;
      const f = recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
      if (f > nameScore) nameScore = f;
      if (recall > nameRecall) nameRecall = recall;
    }
    let textCovered = 0;
    for (const q of content) {
      let sim = 0;
      for (const name of names) sim = Math.max(sim, bestSimilarity(q, name));
      for (const [word, s] of q.candidates) if (text.has(word)) sim = Math.max(sim, s * TEXT_DISCOUNT);
      textCovered += q.weight * sim;
    }
    const textRecall = textCovered / contentWeight;
    // A name that carries the topic words of the question breaks ties ("kraft vs zookeeper").
    let score = Math.max(0.75 * nameScore + 0.25 * textRecall, 0.6 * textRecall) + TOPIC_NAME_BONUS * topicNamed;
    if (steer.size > 0) score = steer.has(concept.topic) ? score + 0.05 : score * 0.7;
    return { doc, score, nameRecall, textRecall };
  }
}

function bestSimilarity(q: QueryToken, name: string[]): number {
  let sim = 0;
  for (const t of name) sim = Math.max(sim, q.candidates.get(t) ?? 0);
  return sim;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
