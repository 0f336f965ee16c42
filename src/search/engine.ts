import type { Concept, ConceptKey, Topic } from '../knowledge/schema.js';
import { slugMatcher } from '../knowledge/catalog.js';
import { FIELDS, PostingsBuilder, Vocabulary, type FieldPostings } from './postings.js';
import { CardPhrases } from './phrases.js';
import { documentTokens, isStopword, MAX_QUERY_CHARS, misspeltStopword, swappedStopword, swaps, type QueryWord, queryWords, withoutChatNoise, plainText, rawWords, splitWords, stem, titleHolds, tokenize, wordToken, writtenCalls } from './tokenize.js';
import { TypoCorrector } from './typo.js';
import { editDistance, escapeRegExp } from '../core/text.js';
import { WrittenWords } from './written-words.js';
import { readPastedCode, TERRAFORM_PROVIDERS } from './pasted-code.js';

export interface SearchHit {
  concept: Concept;
  /** Confidence in [0, 1]. */
  score: number;
}

export interface SearchResult {
  match: SearchHit | null;
  suggestions: SearchHit[];
  /** Tools the question names that the knowledge base does not cover ("flink"), when that is why there is no card. */
  notCovered?: string[];
  /** Topics the question names ("kafka", "hive" → hadoop). */
  topics?: string[];
  /** For a comparison, the cards named after each side, which lead the suggestions when no card was shown. */
  sides?: SearchHit[];
  /** The key of the card's `keys` that the question writes: the card says what it means first. */
  key?: ConceptKey;
}

/**
 * Weights and thresholds, calibrated on the tuning half of the held-out query set and the older
 * query set (test/search); the test half is only measured.
 */
export const PARAMS = {
  /** BM25F: how much one occurrence in each field counts, and length normalisation. */
  fieldWeight: { name: 4, asked: 2.5, summary: 1.5, body: 1 },
  lengthNorm: { name: 0.3, asked: 0.5, summary: 0.6, body: 0.75 },
  k1: 1.2,
  /** How much a word found only in the body explains of a question. */
  bodyCover: 0.7,
  /** rankScore: the best of a name or asked-phrase alignment blended with coverage, or text alone. */
  nameBlend: 0.6,
  askedBlend: 0.65,
  textOnly: 0.62,
  /** Tie-breakers (rankScore). */
  topicNameBonus: 0.07,
  topicBonus: 0.22,
  exactBonus: 0.31,
  keyBonus: 0.2,
  versusBonus: 0.26,
  /** isConfident: a score this high needs only this lead over the next card ... */
  match: 0.85,
  matchLead: 0.07,
  /** ... a lower one, down to `leadMatch`, a clear lead (relative to the best score). */
  lead: 0.14,
  leadMatch: 0.6,
  /**
   * ... or, when the next card is a close kin of the best (one lists the other as related or as a
   * prerequisite, in the same topic), this smaller lead over it and a clear one over the third, if
   * the best holds this share of the question.
   */
  kinLead: 0.05,
  kinCover: 0.75,
  /** A card shown must hold at least this share of the question's weight, however far it leads. */
  cover: 0.4,
  /** Largest share of the question (by weight) in words unknown to the knowledge base. */
  unknown: 0.45,
  /**
   * Too vague to place: with no topic named and no name written out, a question whose words weigh
   * less than this (summed idf over the largest idf: "it failed", "not working") gets no card.
   */
  vague: 0.35,
  /**
   * ... or, for a long question (its words weigh this much: see QuestionFigures.weight), a lower
   * score with a smaller lead, if the best card holds this share of it. A name or asked phrase
   * lines up with a few words only, so a question told in many words scores low on every card: the
   * card that holds most of them is still the answer.
   */
  longWeight: 2.8,
  longMatch: 0.5,
  longCover: 0.52,
  longLead: 0.07,
  /**
   * ... and a longer one (a situation told in a paragraph, a pasted config block) scores lower
   * still: the card that holds nearly half of it and leads the next by far is its answer. Questions
   * that long about something no card covers hold far less of any card.
   */
  longerWeight: 4,
  longerMatch: 0.4,
  longerCover: 0.45,
  longerLead: 0.25,
  /**
   * ... and a question of a sentence or two (weighing this much) whose best card scores and holds
   * this much, and shares a word with its name, needs only to come first.
   */
  midWeight: 2,
  midMatch: 0.6,
  midCover: 0.57,
  midLead: 0.02,
  /**
   * ... or, for a line pasted in a tool's own syntax (only that tool's cards are candidates, and
   * the reader's names in it are left out), a lower score with a wide lead.
   */
  pastedMatch: 0.5,
  pastedLead: 0.3,
  /** A one-word question whose second card, of another topic than the best's, is named by it this well asks which (set by hand: no labelled question is affected). */
  otherTopicName: 0.75,
  /** Cards below this are not offered as suggestions either, nor any for a question with more unknown words than this. */
  suggestion: 0.3,
  suggestionUnknown: 0.55,
} as const;

const SHORTLIST = 50;
/** The most words written apart that are read as one name word ("combine file input format"). */
const MAX_COMPOUND_WORDS = 4;
/** How far down the suggestions a card for one side of a comparison may be brought up from. */
const SIDE_CANDIDATES = 10;
/** Words a question may open with before it asks ("wait, what's ...", "ok so what does ..."). */
const OPENING_FILLER = String.raw`(?:(?:wait|ok|okay|so|hey|hi|yo|um|hmm|lol)[\s,]+)*`;
/** A question that opens by asking what something is, up to the end of that first clause. */
const WHAT_IS_FIRST = new RegExp(String.raw`^\s*${OPENING_FILLER}(?:what'?s|what\s+(?:is|are)|wtf\s+is)\s+([^?,;!]+?)\s*(?:[?,;!]|\.\.\.|\s-\s)`, 'i');
/** A question that only asks what a name is, does or means ("what is a map task?", "explain locals", "how does hashpartitioner work"). */
const ASKS_FOR_NAME = new RegExp(String.raw`^\s*${OPENING_FILLER}(?:what'?s|what\s+(?:is|are)|explain|define|what\s+(?:does|do)|how\s+(?:does|do))\s+(?:an?\s+|the\s+)?([^?,;!]+?)(?:\s+(?:do|mean|work))?\s*[?!.,]*\s*$`, 'i');
/** A question that opens with a name alone, then asks what it is like ("zk, what's it for?", "kafka? is it a queue or a database"). */
const NAME_FIRST = /^\s*([^?,;!.]+?)\s*(?:[?,;!]+|\.\.\.)\s*(?:(?:so|and|but|wait)\s+)?(?=(?:is|isn'?t)\s+it\b|what'?s\s+it\b|what\s+(?:is|does)\s+it\b|like\s|or\s|just\s|basically\b|aka\b)/i;
/** A question that opens by asking what something does ("what does spark-submit actually do when i hit enter"). */
const WHAT_DOES_FIRST = new RegExp(String.raw`^\s*${OPENING_FILLER}(?:what|wtf)\s+(?:does|do)\s+(?:the\s+|an?\s+)?([^?,;!]+?)\s+(?:(?:actually|really|even|exactly)\s+)?do\b`, 'i');
/** A question that opens with a name alone, then says more of it ("task vs task instance... the docs keep switching"). */
const NAME_THEN_MORE = /^\s*([^?,;!.]+?)\s*(?:[?!]+|\.\.\.)\s*(?=\S)/;
/** Plain words and punctuation: no name written as code, no capital past the first letter, no digit. */
const PLAIN_WORDS = /^\s*[A-Za-z][a-z\s?!.,']*$/;
/** A name written after a dot: a method, an attribute or a file extension. */
const MEMBER = /\.[A-Za-z_]\w*/g;
/** A short quoted piece of text. */
const QUOTED = /(['"`])[^'"`\n]{1,80}\1/g;
/**
 * A Terraform resource address (a provider's resource type, or a module, then its label and
 * perhaps an attribute), not a file name ("kubernetes_executor.html").
 */
const TERRAFORM_ADDRESS = new RegExp(
  String.raw`(?<![\w.])((?:data\.)?(?:${TERRAFORM_PROVIDERS})_[a-z0-9_]+|module)\.(?!(?:html|py|ya?ml|json|xml|tf|sh)\b)[a-z_][\w-]*(?:\[[^\]\s]*\])?(?:\.[a-z_][\w-]*)*`,
  'gi',
);
/** The "-D" before a JVM system property set on a command line. */
const JVM_PROPERTY = /(?<![\w-])-D(?=[a-z][\w-]*\.[\w.-]+=)/g;
/** A Kafka command-line tool ("kafka-topics.sh", "kafka-consumer-groups"). */
const KAFKA_TOOL = /(?<![\w.-])kafka-[a-z]+(?:-[a-z]+)*(?:\.sh)?(?![\w.-])/;
/** The shell's "export" before a variable it sets ("export PYSPARK_PYTHON=python3"). */
const SHELL_EXPORT = /(?<![\w-])export\s+(?=[A-Za-z_]\w*=)/g;
/** A flag and its size or duration: a number and its unit ("--driver-memory 8g", "--timeout 30s"). */
const FLAG_QUANTITY = /(?<![\w.-])(--?[a-z][\w-]*)\s+\d+(?:\.\d+)?(?:[kmgtp]i?b?|ms|s|min|h|d)(?![\w.-])/gi;
/** `terraform import`, its flags, then its two arguments: an address and the real object's ID. */
const TERRAFORM_IMPORT = /\b(terraform\s+import)((?:\s+-\S+)*)\s+['"]?[\w-]+(?:\[[^\]\s]*\])?(?:\.[\w-]+(?:\[[^\]\s]*\])?)+['"]?\s+[^\s,;?!]+/gi;
/** A Terraform input variable's or local value's reference ("var.buckets", "local.tags"; not Airflow's "var.value"). */
const TERRAFORM_REFERENCE = /(?<![\w.])(var|local)\.(?!(?:value|json)\b)[a-z_][\w-]*(?:\[[^\]\s]*\])?(?![\w.-])/gi;
/** A dbt node-selection flag and its first selector: graph operators, a method and its value, or a name. */
const DBT_SELECTOR = /(?<![\w-])(-s|-m|--select|--models|--exclude)\s+[+@]?(?:([a-z_.]+):)?[\w.\/*-]+\+?(?![\w:])/gi;
/** Selector methods whose values are names the reader chose (a model's path, a source, a tag). */
const NAMED_BY_READER = /^(source|tag|path|file|fqn|package|exposure|metric|group|saved_query|semantic_model|unit_test)$/i;
/** Words that make a tool said after them a place. */
const PLACE_WORDS = /^(in|into|to|from|onto|on)$/i;
/** Words that say something stayed where it was: with them, a tool said last is that place. */
const STAYED = /^(still|left|remains?|stays?|sitting|lingers?)$/i;
/** A schedule preset of cron and Airflow ("@daily", "@once"), not somebody addressed. */
const SCHEDULE_PRESET = /^@(?:once|continuous|hourly|daily|weekly|monthly|quarterly|yearly|annually|midnight|reboot)\b/i;
/** A greeting the question opens with: the word after it is who is asked ("hey bob, ..."). */
const GREETING = /^(hey|hi|hiya|heya|hello|yo|sup|morning|thanks|thx)[,!:]?$/i;
/** Words that put a topic after a name: "namenode in hadoop". */
const TOPIC_PREPOSITIONS = new Set(['in', 'on', 'for', 'with', 'of', 'using']);
/** At most this many words after a card's name say where it is used ("... for our payments service"): see namedWithTopic. */
const ADDED_WORDS = 5;
/** A key written by more cards than this says little about which one is meant. */
const KEY_HOLDERS = 3;
/** A flag of one letter ("-d", "-x"), which every tool has. */
const ONE_LETTER_FLAG = /^--?[a-z]$/i;
/** A command line: a tool's command and up to two subcommands, then flags ("terraform plan -destroy", "airflow tasks clear -s ..."). */
const COMMAND_LINE = /^\s*([a-z][\w-]*)(?:\s+[a-z][\w-]*){0,2}\s+--?[a-z]/i;
/** Three plain words in a row: a sentence, not a command's arguments. */
const PROSE = /(?:^|\s)[a-z]+\s+[a-z]+\s+[a-z]+(?=\s|[?.,!]|$)/i;
/** A question that is one call, perhaps a decorator's (`@task.virtualenv(...)`): the name called and what it is given. */
const ONE_CALL = /^\s*@?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\(((?:[^()]|\([^()]*\))*)\)\s*;?\s*$/;
/** A dotted name ("spark.sql.shuffle.partitions"), not a version ("pandas==2.2.3") or a file ("s3://b/x.csv"). */
const DOTTED_NAME = /^[a-z][\w-]*(?:\.[a-z][\w-]*)+$/i;
/** Index of the body in FIELDS: words found only there explain a question less. */
const BODY = FIELDS.indexOf('body');
/** The fields that say what a card is called, and those plus how people ask for it. */
const NAMES = [FIELDS.indexOf('name')];
const NAMES_AND_ASKED = [FIELDS.indexOf('name'), FIELDS.indexOf('asked')];
const ALL_FIELDS = FIELDS.map((_, f) => f);
/** A word held by more cards than this (at least COMMON_MIN_DOCS, else this share) is common: see evidence(). */
const COMMON_SHARE = 0.05;
const COMMON_MIN_DOCS = 500;

/** What a card holds of a question: BM25F text score and share of the question, both in [0, 1]. */
interface Evidence {
  doc: number;
  text: number;
  cover: number;
}

/** Ratios of sums are compared with thresholds; float rounding must not decide. */
const EPSILON = 1e-9;
const PREFIX_SIMILARITY = 0.8;
/** A word this close to a known one is read as that word when matching a name written out. */
const SPELT_SIMILARITY = 0.7;
/** A comparison ("kraft vs zookeeper", "view or table") prefers a card that compares. */
const COMPARES = /\bvs\.?(\s|$)/i;
const COMPARISON = /\b(vs|versus|difference|differences|compare|compared|comparison|or)\b|\b(?!(?:more|less|other|rather)\b)\w+ than\b/i;
/** A comparison said in so many words, not only with "or". */
const SAID_COMPARISON = /\b(?:vs\.?|versus|difference|differences|compared?|comparison)(?=\s|$)/i;
const COMPOUND_SIMILARITY = 0.95;
/** What a word of a command line's argument weighs, against a word of the command. */
const ARGUMENT_WEIGHT = 0.3;
/** Longer than this, a piece written as code is a blob (base64, a hash, a key), not a name somebody chose: its words count as unknown. */
const MAX_NAME_CHARS = 120;
/** A piece written as a path, an assignment or a quoted literal: a tool word in it ("/user/hive", "user=hive") names a place, not the tool. */
const LITERAL = /[/=:]|^["'`]/;
/** ... though the scheme of an address names its system ("hdfs://out"). */
const URI_SCHEME = /^(\w+):\/\//;
/** Below this a misspelling's reading is a guess: one letter off a word of three or four, two off one of eight or nine. */
const GUESS_SIMILARITY = 0.75;
const TOPIC_TYPO_SIMILARITY = 0.75;
/** A prefix stands for a longer word only when it is most of it ("partit" for partition, not "life" for lifecycle). */
const PREFIX_SHARE = 0.6;
/** Completion's extra weight on the name feature (tuned on every card's own names typed half-way, not on a query set). */
const COMPLETION_NAME_WEIGHT = 0.1;

interface QueryToken {
  token: string;
  /** The topic this word names, if it is a topic keyword. */
  topic?: string;
  /** Written somewhere other than inside a path, an assignment or a quoted literal ("/user/hive"). */
  asName: boolean;
  /** Vocabulary word ids it may mean, with similarity in (0, 1]. */
  candidates: Map<number, number>;
  weight: number;
}

export interface SearchOptions {
  maxSuggestions?: number;
  /** The last word is still being typed: read it as the start of a word. */
  partial?: boolean;
  /** Leave these cards out (the person said they were not what they meant). */
  exclude?: ReadonlySet<string>;
}

/** What one card has for one question, each in [0, 1] (flags 0 or 1). */
export interface Features {
  /** Best alignment of a name with the question (F measure of both directions). */
  name: number;
  /** Best alignment of an asked phrase (`questions`, `errors`). */
  asked: number;
  /** Share of the question the card explains anywhere (body words count less). */
  cover: number;
  /** BM25F text score, normalised by the question's weight. */
  text: number;
  /** Share of the question's topic words that a name carries ("kraft vs zookeeper"). */
  topicNamed: number;
  /** The card belongs to a topic the question names. */
  inTopic: number;
  /** The question is one of the card's names, written out. */
  exact: number;
  /** The question writes a config key, flag or dotted name that the card writes and few others do, or a camel-case name the card is named by. */
  keyed: number;
  /** The question compares and the card is a comparison of what it names. */
  versus: number;
}

/** How search ranks cards: the best of a name or asked-phrase alignment and text evidence, plus tie-breakers. */
export function rankScore(f: Features): number {
  return (
    Math.max(PARAMS.nameBlend * f.name + (1 - PARAMS.nameBlend) * f.cover, PARAMS.askedBlend * f.asked + (1 - PARAMS.askedBlend) * f.cover, PARAMS.textOnly * (0.5 * f.cover + 0.5 * f.text)) +
    PARAMS.topicNameBonus * f.topicNamed +
    PARAMS.topicBonus * f.inTopic +
    PARAMS.exactBonus * f.exact +
    PARAMS.keyBonus * f.keyed +
    PARAMS.versusBonus * f.versus
  );
}

/** What a question says, as confidence reads it. */
export interface QuestionFigures {
  /** Share of the question (by weight) in words unknown to the knowledge base. */
  unknown: number;
  /** Its words besides topic words: their summed idf over the largest idf. */
  weight: number;
  /** It names a topic. */
  topic: boolean;
  /** It pastes a line in a tool's own syntax: only that tool's cards answer it (see readPastedCode). */
  pasted?: boolean;
  /** It only asks what a name is ("what is a hive udf"): a card none of whose names shares a word with it is no answer. */
  asksName?: boolean;
}

/**
 * Whether the best card answers the question: the question is not mostly words nobody wrote
 * about, nor too vague to place, a name or asked phrase of the card shares a word with it, and it
 * either scores high (a name or asked phrase explains the question) or stands clearly above the
 * next card, or, when the next card is its close kin (`secondIsKin`), a little above it and clearly
 * above the third.
 */
export function isConfident(best: Ranked, second: Ranked | undefined, question: QuestionFigures, third?: Ranked, secondIsKin = false): boolean {
  const leadOver = (other: Ranked | undefined) => (best.score > 0 ? (best.score - (other?.score ?? 0)) / best.score : 0);
  const lead = leadOver(second);
  // A card's name written out is the whole question, however its words were indexed ("foreach" of for_each).
  if (!placeable(best, question) || !answersAWord(best) || (best.features.cover < PARAMS.cover && best.features.exact === 0)) return false;
  if (question.asksName && best.features.name === 0 && best.features.exact === 0 && best.features.keyed === 0) return false;
  if ((best.score >= PARAMS.match && lead >= PARAMS.matchLead) || (best.score >= PARAMS.leadMatch && lead >= PARAMS.lead - EPSILON)) return true;
  const keyedAlone = best.features.keyed > 0 && (second?.features.keyed ?? 0) === 0;
  if ((question.pasted || keyedAlone) && best.score >= PARAMS.pastedMatch && lead >= PARAMS.pastedLead - EPSILON) return true;
  if (question.weight >= PARAMS.longWeight && best.score >= PARAMS.longMatch && best.features.cover >= PARAMS.longCover && lead >= PARAMS.longLead - EPSILON) return true;
  if (question.weight >= PARAMS.midWeight && best.score >= PARAMS.midMatch && best.features.cover >= PARAMS.midCover && best.features.name > 0 && lead >= PARAMS.midLead - EPSILON) return true;
  if (question.weight >= PARAMS.longerWeight && best.score >= PARAMS.longerMatch && best.features.cover >= PARAMS.longerCover && lead >= PARAMS.longerLead - EPSILON) return true;
  // Close kin share their words (a tool and its part, a choice and one side of it), so they score
  // close: the best is still the answer when it leads the rest clearly, and the other is offered next.
  return secondIsKin && best.score >= PARAMS.leadMatch && best.features.cover >= PARAMS.kinCover && lead >= PARAMS.kinLead && leadOver(third) >= PARAMS.lead - EPSILON;
}

/** The question is not mostly words nobody wrote about, nor too vague to place (unless it is the card's name). */
function placeable(card: Ranked, question: QuestionFigures, unknown: number = PARAMS.unknown): boolean {
  if (question.unknown > unknown + EPSILON) return false;
  return question.topic || card.features.exact > 0 || question.weight >= PARAMS.vague;
}

/** A card none of whose names, asked phrases or config keys shares a word with the question does not answer it. */
function answersAWord(card: Ranked): boolean {
  return card.features.name > 0 || card.features.asked > 0 || card.features.keyed > 0;
}

/** What search knows of one card for one question: the figures its ranking and confidence use. */
export interface Ranked {
  doc: number;
  score: number;
  features: Features;
}

/** A tool no card covers, as a padded word sequence, and the (stemmed) word a card's name would carry. */
interface NotCoveredTool {
  phrase: string;
  words: string;
  token: string;
}

/**
 * Everything an index knows besides its cards: built from the cards (buildState), or restored from
 * a snapshot (SearchIndex.fromSnapshot). Search reads only this, so both answer alike.
 */
/** See SearchIndex.cardWords. */
export interface CardWords {
  rarity(topic: string): (token: string) => number;
  holds(conceptId: string, token: string): boolean;
}

/** Whether a term's postings in a field list the card (they are in card order: a binary search). */
function postingsHold(p: FieldPostings, term: number, doc: number): boolean {
  let lo = p.starts[term]!;
  let hi = p.starts[term + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = p.docs[mid]!;
    if (d === doc) return true;
    if (d < doc) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

interface IndexState {
  vocabulary: Vocabulary;
  fields: FieldPostings[];
  fieldNorms: Float32Array[];
  names: CardPhrases;
  asked: CardPhrases;
  idf: Float32Array;
  df: Int32Array;
  maxIdf: number;
  sortedWords: string[];
  nameWords: Uint8Array;
  topicOfKeyword: Map<string, string>;
  topicOfDoc: Uint8Array;
  topicIds: string[];
  /**
   * Cards by the tool a topic keyword names, where a subtopic is that tool ("hdfs", "hive" in
   * Hadoop): a question that names one is about that tool's cards, not a sibling tool's.
   */
  toolDocs: Map<string, number[]>;
  exactNames: Map<string, number[]>;
  /** Cards by a config key, flag or dotted API name their text writes ("group.id", "--select"). */
  keys: Map<string, number[]>;
  notCovered: NotCoveredTool[];
  /**
   * The words of the cards as they write them, lowercase ("threads", "tuning"): a typo is nearer the
   * written form than the stem ("thraeds" is two letters swapped of threads, but its stem "thra" is
   * nowhere near "thread").
   */
  writtenForms: string[];
  /**
   * The keys cards list (`keys`) that search reads as one form ("delivery.timeout.ms"), as [form,
   * card, place in its keys]: reading every key takes a few milliseconds, kept out of the first question.
   */
  listedForms: Array<[string, number, number]>;
}

/** The typed arrays of a snapshot. */
export type SnapshotArray = Int32Array | Uint16Array | Uint8Array | Float32Array;

/**
 * A search index as plain data: `meta` is JSON-safe, `arrays` are the index's typed arrays by name.
 * SearchIndex.fromSnapshot restores from it an index that answers exactly as the one it was taken
 * from (same vocabulary numbering, postings, phrase arrays and maps).
 */
export interface SearchIndexSnapshot {
  meta: {
    version: number;
    concepts: number;
    words: string[];
    topicIds: string[];
    topicOfKeyword: Array<[string, string]>;
    toolDocs: Array<[string, number[]]>;
    exactNames: Array<[string, number[]]>;
    keys: Array<[string, number[]]>;
    notCovered: NotCoveredTool[];
    writtenForms: string[];
    listedForms: Array<[string, number, number]>;
    maxIdf: number;
    averageLengths: number[];
  };
  arrays: Record<string, SnapshotArray>;
}

/** Raised when a snapshot is not one this code wrote, or does not fit its cards. */
export class SnapshotMismatchError extends Error {
  override name = 'SnapshotMismatchError';
}

const SNAPSHOT_VERSION = 5;

/**
 * Finds the concept a question means. Each card is scored by how well one of its names, or one of
 * the ways people ask for it (`questions`, `errors`), lines up with the question (both ways), backed
 * by field-weighted text evidence (BM25F over names, asked phrases, summary and body). A topic word
 * in the question limits the answer to that topic.
 */
export class SearchIndex {
  private readonly concepts: Concept[];
  private readonly vocabulary: Vocabulary;
  private readonly fields: FieldPostings[];
  /** Per field and card: the field's weight over its length normalisation (BM25F). */
  private readonly fieldNorms: Float32Array[];
  /** Per word id, its row in the reading of the question being ranked; -1 between questions (search is synchronous). */
  private readonly rowOf: Int32Array;
  /** Per-card accumulators for one question at a time (search is synchronous); all zero between questions. */
  private readonly scratch: { text: Float64Array; cover: Float64Array; tokenText: Float64Array; tokenCover: Float64Array; tf: Float64Array; strong: Uint8Array; termDocs: Int32Array; tokenDocs: Int32Array; touched: Int32Array };
  /** Token ids of each card's names, and of its asked phrases. */
  private readonly names: CardPhrases;
  private readonly asked: CardPhrases;
  private readonly idf: Float32Array;
  /** How many cards hold each word, in any field. */
  private readonly df: Int32Array;
  private readonly maxIdf: number;
  private readonly sortedWords: string[];
  private readonly nameWords: Uint8Array;
  private readonly topicOfKeyword: Map<string, string>;
  /** What a word weighs in a name or asked phrase (alignment): its idf, a quarter of it for a topic word. */
  private readonly alignWeight: Float32Array;
  private readonly topicOfDoc: Uint8Array;
  private readonly topicIds: string[];
  private readonly byId = new Map<string, number>();
  /** Cards by a name written out in full ("group.id", "Producer acks"), compared as lowercase words. */
  private readonly exactNames: Map<string, number[]>;
  private readonly toolDocs: Map<string, number[]>;
  /** Cards of any tool in toolDocs. */
  private readonly toolCards: Set<number>;
  private readonly keys: Map<string, number[]>;
  /** Built on the first key no card writes (see misspeltKey). */
  private dottedKeys: { byShape: Map<string, string[]>; parts: Set<string> } | undefined;
  /** Every key a card writes or lists, sorted: built on the first completion of a key. */
  private sortedKeys: string[] | undefined;
  private readonly listedForms: Array<[string, number, number]>;
  /** The keys cards list (`keys`); built on the first question. */
  private listedKeys: ListedKeys | undefined;
  /** Keys of two parts by their second (see sameMethod); built on the first key no card writes. */
  private keysByMethod: Map<string, string[]> | undefined;
  /** Keys with a numbered part, by their shape (see numberedShape); built on the first numbered key no card writes. */
  private keysByNumberedShape: Map<string, string[]> | undefined;
  /** Cards by each leading part of the dotted keys they write or list (see familyDocs); built on the first key no card writes. */
  private keyFamilies: Map<string, Set<number>> | undefined;
  private readonly typos: TypoCorrector;
  /** Tools no card covers, as padded word sequences, and the (stemmed) word a card's name would carry. */
  private readonly notCovered: NotCoveredTool[];
  private readonly writtenForms: string[];
  /** The typo corrector of `writtenForms`, made on its first lookup. */
  private writtenTyposRead?: TypoCorrector;
  private writtenSetRead?: Set<string>;
  private callNamesRead?: Set<string>;

  /**
   * Indexes the cards. `restored` is for SearchIndex.fromSnapshot only: the state of an index
   * taken earlier from the same cards, used instead of building one.
   */
  constructor(concepts: Concept[], topics: Topic[], notCovered: string[] = [], restored?: IndexState) {
    const state = restored ?? buildState(concepts, topics, notCovered);
    this.concepts = concepts;
    this.vocabulary = state.vocabulary;
    this.fields = state.fields;
    this.fieldNorms = state.fieldNorms;
    this.names = state.names;
    this.asked = state.asked;
    this.idf = state.idf;
    this.df = state.df;
    this.maxIdf = state.maxIdf;
    this.sortedWords = state.sortedWords;
    this.nameWords = state.nameWords;
    this.topicOfKeyword = state.topicOfKeyword;
    this.rowOf = new Int32Array(this.idf.length).fill(-1);
    this.alignWeight = this.idf.map((idf, t) => idf * (this.topicOfKeyword.has(this.vocabulary.words[t]!) ? 0.25 : 1));
    this.topicOfDoc = state.topicOfDoc;
    this.topicIds = state.topicIds;
    this.exactNames = state.exactNames;
    this.toolDocs = state.toolDocs;
    this.toolCards = new Set([...state.toolDocs.values()].flat());
    this.keys = state.keys;
    this.notCovered = state.notCovered;
    this.writtenForms = state.writtenForms;
    this.listedForms = state.listedForms;
    concepts.forEach((concept, i) => this.byId.set(concept.id, i));
    const n0 = concepts.length;
    this.scratch = {
      text: new Float64Array(n0),
      cover: new Float64Array(n0),
      tokenText: new Float64Array(n0),
      tokenCover: new Float64Array(n0),
      tf: new Float64Array(n0),
      strong: new Uint8Array(n0),
      termDocs: new Int32Array(n0),
      tokenDocs: new Int32Array(n0),
      touched: new Int32Array(n0),
    };
    // Buckets of the typo corrector are built on their first lookup (see TypoCorrector).
    this.typos = new TypoCorrector(this.vocabulary.words);
  }

  /**
   * What the quiz bank weighs a clue by, answered from the postings rather than by reading every
   * card's text again: how rare a word is among a topic's cards (in their names, summary or body),
   * and whether a card says a word outside its summary (its names, asked-as phrases or body).
   */
  cardWords(): CardWords {
    const rare = [FIELDS.indexOf('name'), FIELDS.indexOf('summary'), FIELDS.indexOf('body')];
    const own = [FIELDS.indexOf('name'), FIELDS.indexOf('asked'), FIELDS.indexOf('body')];
    const topics = this.topicIds.length;
    const cards = new Int32Array(topics);
    for (const t of this.topicOfDoc) cards[t]!++;
    const marked = new Int32Array(this.concepts.length).fill(-1);
    // Per word, how many cards of each topic hold it: one pass over its postings serves every topic.
    const holding = new Map<string, Int32Array>();
    const holdingOf = (token: string): Int32Array => {
      const known = holding.get(token);
      if (known) return known;
      const counts = new Int32Array(topics);
      const term = this.vocabulary.id(token);
      if (term !== undefined) {
        for (const f of rare) {
          const p = this.fields[f]!;
          for (let i: number = p.starts[term]!; i < p.starts[term + 1]!; i++) {
            const d: number = p.docs[i]!;
            if (marked[d] === term) continue;
            marked[d] = term;
            counts[this.topicOfDoc[d]!]!++;
          }
        }
      }
      holding.set(token, counts);
      return counts;
    };
    return {
      rarity: (topic) => {
        const t = this.topicIds.indexOf(topic);
        return (token) => Math.log((cards[t]! + 1) / (holdingOf(token)[t]! + 1));
      },
      holds: (conceptId, token) => {
        const doc = this.byId.get(conceptId);
        const term = this.vocabulary.id(token);
        return doc !== undefined && term !== undefined && own.some((f) => postingsHold(this.fields[f]!, term, doc));
      },
    };
  }

  /** writtenForms, to look up. */
  private get writtenSet(): Set<string> {
    this.writtenSetRead ??= new Set(this.writtenForms);
    return this.writtenSetRead;
  }

  private get writtenTypos(): TypoCorrector {
    this.writtenTyposRead ??= new TypoCorrector(this.writtenForms);
    return this.writtenTyposRead;
  }

  /** Functions a card is named by as a call ("chain()", "dbt.ref()"), lowercase, without the receiver. */
  private get callNames(): Set<string> {
    this.callNamesRead ??= new Set(this.concepts.flatMap((c) => [c.title, ...c.aliases].flatMap((name) => /(?:^|\.)(\w+)\(\)$/.exec(name)?.[1]?.toLowerCase() ?? [])));
    return this.callNamesRead;
  }

  get size(): number {
    return this.concepts.length;
  }

  /** The index as plain data, for SearchIndex.fromSnapshot (the cards themselves are not part of it). */
  toSnapshot(): SearchIndexSnapshot {
    const arrays: Record<string, SnapshotArray> = {
      idf: this.idf,
      df: this.df,
      nameWords: this.nameWords,
      topicOfDoc: this.topicOfDoc,
      sortedWords: Int32Array.from(this.sortedWords, (w) => this.vocabulary.id(w)!),
    };
    this.fields.forEach((p, f) => {
      arrays[`field${f}.starts`] = p.starts;
      arrays[`field${f}.docs`] = p.docs;
      arrays[`field${f}.counts`] = p.counts;
      arrays[`field${f}.lengths`] = p.lengths;
      arrays[`field${f}.norms`] = this.fieldNorms[f]!;
    });
    for (const [name, phrases] of [['names', this.names], ['asked', this.asked]] as const) {
      arrays[`${name}.docs`] = phrases.docs;
      arrays[`${name}.phrases`] = phrases.phrases;
      arrays[`${name}.tokens`] = phrases.tokens;
    }
    return {
      meta: {
        version: SNAPSHOT_VERSION,
        concepts: this.concepts.length,
        words: this.vocabulary.words,
        topicIds: this.topicIds,
        topicOfKeyword: [...this.topicOfKeyword],
        toolDocs: [...this.toolDocs],
        exactNames: [...this.exactNames],
        keys: [...this.keys],
        notCovered: this.notCovered,
        writtenForms: this.writtenForms,
        listedForms: this.listedForms,
        maxIdf: this.maxIdf,
        averageLengths: this.fields.map((p) => p.averageLength),
      },
      arrays,
    };
  }

  /**
   * The index a snapshot was taken of, over the same cards in the same order; throws
   * SnapshotMismatchError when the snapshot does not fit them (another version, other cards, or
   * arrays of the wrong type or length).
   */
  static fromSnapshot(concepts: Concept[], snapshot: SearchIndexSnapshot): SearchIndex {
    const { meta, arrays } = snapshot;
    const fail = (why: string): never => {
      throw new SnapshotMismatchError(`search index snapshot: ${why}`);
    };
    if (meta?.version !== SNAPSHOT_VERSION) fail(`version ${String(meta?.version)}, expected ${SNAPSHOT_VERSION}`);
    const n = concepts.length;
    if (meta.concepts !== n) fail(`${meta.concepts} cards, expected ${n}`);
    const size = meta.words.length;
    const get = <T extends SnapshotArray>(name: string, type: new (n: number) => T, length?: number): T => {
      const a = arrays[name];
      if (!(a instanceof type)) return fail(`${name} is missing or not a ${type.name}`);
      if (length !== undefined && a.length !== length) fail(`${name} has ${a.length} entries, expected ${length}`);
      return a as T;
    };
    const fields = FIELDS.map((_, f): FieldPostings => {
      const starts = get(`field${f}.starts`, Int32Array, size + 1);
      const postings = starts[size]!;
      for (let t = 0; t < size; t++) if (starts[t]! > starts[t + 1]!) fail(`field${f}.starts is not ascending`);
      if (starts[0] !== 0) fail(`field${f}.starts does not start at 0`);
      const docs = get(`field${f}.docs`, Int32Array, postings);
      for (const d of docs) if (d < 0 || d >= n) fail(`field${f}.docs names card ${d} of ${n}`);
      return { starts, docs, counts: get(`field${f}.counts`, Uint16Array, postings), lengths: get(`field${f}.lengths`, Uint16Array, n), averageLength: meta.averageLengths[f] ?? fail('averageLengths is short') };
    });
    const vocabulary = Vocabulary.from(meta.words);
    const sorted = get('sortedWords', Int32Array, size);
    const phrases = (name: string) => CardPhrases.restore(name, { docs: get(`${name}.docs`, Int32Array, n + 1), phrases: get(`${name}.phrases`, Int32Array), tokens: get(`${name}.tokens`, Int32Array) }, size, fail);
    const topicOfDoc = get('topicOfDoc', Uint8Array, n);
    for (const t of topicOfDoc) if (t >= meta.topicIds.length) fail('topicOfDoc names an unknown topic');
    for (const [, doc, at] of meta.listedForms ?? fail('listedForms is missing')) if (concepts[doc]?.keys[at] === undefined) fail(`listedForms names key ${at} of card ${doc}, which it does not list`);
    const state: IndexState = {
      vocabulary,
      fields,
      fieldNorms: FIELDS.map((_, f) => get(`field${f}.norms`, Float32Array, n)),
      names: phrases('names'),
      asked: phrases('asked'),
      idf: get('idf', Float32Array, size),
      df: get('df', Int32Array, size),
      maxIdf: meta.maxIdf,
      sortedWords: Array.from(sorted, (id) => meta.words[id] ?? fail('sortedWords names an unknown word')),
      nameWords: get('nameWords', Uint8Array, size),
      topicOfKeyword: new Map(meta.topicOfKeyword),
      topicOfDoc,
      topicIds: meta.topicIds,
      toolDocs: new Map(meta.toolDocs),
      exactNames: new Map(meta.exactNames),
      keys: new Map(meta.keys),
      notCovered: meta.notCovered,
      writtenForms: meta.writtenForms,
      listedForms: meta.listedForms,
    };
    return new SearchIndex(concepts, [], [], state);
  }

  search(typed: string, options: SearchOptions | number = {}): SearchResult {
    // Invisible format characters (a right-to-left override, a zero-width space) belong to no word.
    const query = typed.replace(/\p{Cf}+/gu, ' ');
    const opts = typeof options === 'number' ? { maxSuggestions: options } : options;
    const maxSuggestions = opts.maxSuggestions ?? 3;
    const exact = this.byId.get(query.trim().toLowerCase());
    if (exact !== undefined && !opts.exclude?.has(query.trim().toLowerCase())) {
      return { match: { concept: this.concepts[exact]!, score: 1 }, suggestions: [] };
    }
    const { ranked, question, outside, toolAlone, topics, words, sides, listed } = this.rank(query, opts.partial ?? false, opts.exclude);
    const best = ranked[0];
    // "X vs Y" that no card compares, with a card for each side: both are shown, not the likelier
    // one, unless its summary speaks of the other side too ("Unlike input variables, locals ...").
    // A side's card from another topic than the best's counts only when the question names that topic
    // ("kraft vs zookeeper"): bc.unpersist() vs bc.destroy() is not a question about Terraform's destroy.
    const sideCandidates = best && sides ? ranked.filter((r) => this.topicOfDoc[r.doc] === this.topicOfDoc[best.doc] || topics.includes(this.topicIds[this.topicOfDoc[r.doc]!]!)) : [];
    // An "or" in a long text is seldom the question ("must be specified either through option(...) or SparkSession.conf.set(...)").
    const weighed = question.weight < PARAMS.longWeight || SAID_COMPARISON.test(query);
    const eachSide = best && sides && weighed && best.features.keyed === 0 && !this.namesBoth(best.doc, sides) && !this.summarySpeaksOfBoth(best.doc, sides) && this.namedBySides(sideCandidates, sides).length === 2;
    // One word, no topic named, and the best card neither named exactly by it nor writing it as a key.
    const loneWord = best !== undefined && words.length === 1 && !question.topic && best.features.exact === 0 && best.features.keyed === 0;
    // One word that no name of the card holds ("foo", "red", "click") is a word its text happens to use, not a question
    // about it: no card is shown, nor offered when several cards use it ("mlib", a slip only one card writes, offers that card;
    // so does a part of a camel-case name, see strayInCode), unless the next cards are named by it as written ("idempotent":
    // Kafka's idempotent producer, after Airflow's tasks).
    // A name written as code or in camel case ("failOnDataLoss", "NotLeaderOrFollowerException") is no plain word.
    const stray = loneWord && PLAIN_WORDS.test(query) && best.features.name === 0 && ranked.slice(1, 3).every((r) => r.features.name === 0 || r.features.cover < 1);
    // A key alone that no card writes, lists or places ("shared_buffers", Postgres's) is another tool's, whatever its words say.
    const asked = query.slice(0, MAX_QUERY_CHARS);
    const strayKey = best !== undefined && !question.topic && isLoneKey(asked) && listed.size === 0 && best.features.exact === 0 && best.features.keyed === 0 && ![...this.knownKeys(writtenKeys(asked))].some(this.isKey);
    // One word that names cards of two topics ("checkpoint": HDFS's, Spark's) asks which, however far one leads.
    const second = ranked[1];
    const twoTopics = loneWord && second !== undefined && second.features.name >= PARAMS.otherTopicName && this.topicOfDoc[best.doc] !== this.topicOfDoc[second.doc];
    const confident = !opts.partial && best !== undefined && !eachSide && !stray && !strayKey && !toolAlone && !twoTopics && isConfident(best, second, question, ranked[2], this.areKin(best, second));
    const hit = (r: Ranked): SearchHit => ({ concept: this.concepts[r.doc]!, score: round(Math.min(1, r.score)) });
    const offered = stray && ranked.length > 1 ? this.strayInCode(ranked, words[0]!) : ranked.slice(confident ? 1 : 0).filter((r) => opts.partial || this.suggestible(r, question, words));
    const sideCards = sides ? this.namedBySides(offered, sides) : [];
    const rest = [...sideCards, ...offered.filter((r) => !sideCards.includes(r))];
    const key = confident && best ? listed.get(best.doc) : undefined;
    return {
      match: confident && best ? hit(best) : null,
      ...(key ? { key } : {}),
      suggestions: rest.slice(0, maxSuggestions).map(hit),
      ...(outside.length && !confident ? { notCovered: outside } : {}),
      ...(topics.length ? { topics } : {}),
      ...(sideCards.length && !confident ? { sides: sideCards.map(hit) } : {}),
    };
  }

  /**
   * The cards whose `keys` hold a key the question writes, as written or as search read it (`known`:
   * see knownKeys, a misspelt dotted key among them), each with that key.
   */
  private listedKeysIn(query: string, known: ReadonlySet<string>): Map<number, ConceptKey> {
    this.listedKeys ??= listedKeysOf(this.concepts, this.listedForms);
    const found = new Map<number, ConceptKey>();
    if (this.listedKeys.byWord.size === 0) return found;
    const asked = query.toLowerCase();
    for (const word of new Set(asked.match(/[a-z0-9]+/g))) {
      for (const { doc, key, written } of this.listedKeys.byWord.get(word) ?? []) {
        if (!found.has(doc) && asked.includes(written) && new RegExp(`(?<![\\w.-])${escapeRegExp(written)}(?![\\w-])`).test(asked)) found.set(doc, key);
      }
    }
    for (const form of known) for (const { doc, key } of this.listedKeys.byForm.get(form) ?? []) if (!found.has(doc)) found.set(doc, key);
    return found;
  }

  /** The text without the listed keys it writes whole (their own flags are no other key). */
  private withoutListedKeys(text: string, listed: ReadonlyMap<number, ConceptKey>): string {
    let rest = text;
    for (const { key } of listed.values()) rest = rest.replace(new RegExp(escapeRegExp(key), 'gi'), ' ');
    return rest;
  }

  /** Two cards of one topic, one of which lists the other as related or as a prerequisite. */
  private areKin(a: Ranked, b: Ranked | undefined): boolean {
    if (b === undefined || this.topicOfDoc[a.doc] !== this.topicOfDoc[b.doc]) return false;
    const [x, y] = [this.concepts[a.doc]!, this.concepts[b.doc]!];
    return x.related.includes(y.id) || y.related.includes(x.id) || x.prerequisites.includes(y.id) || y.prerequisites.includes(x.id);
  }

  /**
   * Whether a card is worth offering when it is not shown: the question can be placed (see
   * placeable: "best pizza in town", "it failed" get no suggestions either), and the card scores
   * enough and answers it with one of its names, asked phrases or config keys. A question whose
   * words the card's title holds, and that one of its names holds whole ("what is a dag": Airflow's
   * and dbt's), is placed, though too short to show one.
   */
  private suggestible(r: Ranked, question: QuestionFigures, words: readonly string[]): boolean {
    const titled = r.features.name >= 1 - EPSILON && words.length > 0 && question.unknown <= PARAMS.suggestionUnknown + EPSILON && titleHolds(this.concepts[r.doc]!.title, words);
    return (titled || placeable(r, question, PARAMS.suggestionUnknown)) && r.score >= PARAMS.suggestion && answersAWord(r);
  }

  /**
   * Concepts for a partly typed query (autocomplete): the last word may be unfinished, a topic word
   * limits the choices to its topic, and the likeliest come first.
   */
  complete(typed: string, limit = 25): Concept[] {
    const text = typed.slice(0, 200);
    if (!text.trim()) return this.concepts.slice(0, limit);
    const partial = !/\s$/.test(text);
    // What is typed into a completion box is a name being written: how well a card's name fits counts for more.
    const key = (r: Ranked) => r.score + COMPLETION_NAME_WEIGHT * r.features.name;
    const found = this.rank(text, partial, undefined).ranked.sort((a, b) => key(b) - key(a) || a.doc - b.doc);
    // A config key being typed ("yarn.nodemanager.vm") is the card that writes or lists it, before any other.
    const keyed = partial ? this.keysBeginning(text) : [];
    return [...keyed, ...found.map((r) => r.doc).filter((doc) => !keyed.includes(doc))].slice(0, limit).map((doc) => this.concepts[doc]!);
  }

  /** Cards that write or list a dotted, snake-case or flag key beginning with the last word typed, few cards to a key. */
  private keysBeginning(typed: string): number[] {
    const last = typed.trim().split(/\s+/).pop()!.toLowerCase();
    if (last.length < 4 || !/[._-]/.test(last)) return [];
    const sorted = (this.sortedKeys ??= [...this.keys.keys()].sort());
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < last) lo = mid + 1;
      else hi = mid;
    }
    const docs = new Set<number>();
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(last) && docs.size < 25; i++) {
      const holders = this.keys.get(sorted[i]!)!;
      if (holders.length <= KEY_HOLDERS) for (const doc of holders) docs.add(doc);
    }
    return [...docs];
  }

  /** Whether a card writes this config key, flag or name as it is written (any case). */
  private readonly isKey = (key: string): boolean => this.keys.has(key.toLowerCase());

  /** Every card on the shortlist, best first. */
  private rank(query: string, partial: boolean, exclude: ReadonlySet<string> | undefined): { ranked: Ranked[]; question: QuestionFigures; outside: string[]; toolAlone?: true; topics: string[]; words: string[]; sides?: ComparedSides; listed: Map<number, ConceptKey> } {
    const typed = query.slice(0, MAX_QUERY_CHARS);
    const code = readPastedCode(typed, this.isKey);
    const written = this.withoutArguments(code.text);
    const pasted = writtenKeys(written);
    const known = this.knownKeys(pasted);
    const keyed = this.keyedDocs(known);
    const listed = this.listedKeysIn(typed, known);
    const family = this.familyDocs(pasted, listed);
    for (const doc of family) keyed.add(doc);
    // A one-letter flag ("-d") is every tool's: it does not place a question among our cards by itself.
    const placedByKey = family.length > 0 || this.keyedDocs(new Set([...known].filter((key) => !ONE_LETTER_FLAG.test(key)))).size > 0;
    const tokens = this.queryTokens(written, partial, keyed.size > 0);
    const said = withoutChatNoise(written);
    // A tool named only inside quotes is part of a pasted message ("No module named 'pandas'"), not
    // what is asked about; one written after a dot is a method or a file's extension (df.write.parquet).
    const padded = ` ${rawWords(said.replace(QUOTED, ' ').replace(MEMBER, ' ')).join(' ')} `;
    const asked = new Set(tokens.map((t) => t.token));
    // ... and a key no card writes in a namespace named after such a tool (delta.autoOptimize.optimizeWrite) is that tool's.
    const namespaces = new Set([...pasted].flatMap((key) => (DOTTED_NAME.test(key) && !this.keys.has(key) ? [key.split('.')[0]!] : [])));
    const named = this.notCovered.filter((t) => (padded.includes(t.words) || namespaces.has(t.words.trim().split(' ')[0]!)) && !this.cardNameHolds(t.token, asked));
    if (tokens.length === 0) {
      // Every word of it too common to weigh ("one_done", "what is one_done"): a dotted or snake-case
      // key only one card writes is still that card's (not a one-letter flag such as -e).
      const byKey = this.askedByKeyAlone(new Set([...pasted].filter((key) => /[._]/.test(key))), []).filter((doc) => !exclude?.has(this.concepts[doc]!.id));
      const ranked = byKey.map((doc) => ({ doc, score: 1, features: { name: 0, asked: 0, cover: 1, text: 1, topicNamed: 0, inTopic: 0, exact: 1, keyed: 1, versus: 0 } }));
      return { ranked, question: { unknown: 0, weight: 0, topic: false }, outside: named.map((t) => t.phrase), topics: [], words: [], listed };
    }
    const steer = new Set(tokens.flatMap((t) => (t.topic && t.asName ? [t.topic] : [])));
    const syntaxCards = steer.size ? undefined : code.cards;
    const inSyntax = syntaxCards === undefined ? undefined : slugMatcher([syntaxCards]);
    const comparing = COMPARISON.test(said);
    let content = tokens.filter((t) => !t.topic);
    if (content.length === 0 || this.namesAll(tokens.filter((t) => t.topic), comparing, pasted.size === 0)) content = tokens;
    const contentWeight = content.reduce((sum, t) => sum + t.weight, 0);
    const namingTopic = this.namingTopic(tokens.filter((t) => t.topic));
    const sides = comparing ? this.comparedSides(said) : undefined;
    // A tool no card covers ("flink checkpoints"), and none of ours named nor pasted in its syntax
    // (a Hive table stored as ORC) nor a key a card writes ("incremental_strategy on snowflake" asks
    // about dbt there), or weighed against one of ours ("snowflake vs dbt"): only a card named after it.
    // ... or asked about first, whatever follows ("whats iceberg? like hive tables?").
    const first = firstClause(said);
    const askedFirst = first === undefined ? [] : named.filter((t) => t.words === ` ${first.words.join(' ')} `);
    const outside = askedFirst.length ? askedFirst : (steer.size === 0 && syntaxCards === undefined && !placedByKey) || comparing ? named : [];
    // In a question told at length the tool may be only where the data comes from ("the raw tables
    // fivetran loads ..."): a card that says people ask about it with that tool is a candidate too.
    // ... unless it opens with that tool's own command ("docker compose up -d"): then it is that tool's command line.
    const toldAtLength = contentWeight / this.maxIdf >= PARAMS.longWeight && !outside.some((t) => padded.startsWith(t.words));
    const namingOutside = this.namingTools(outside, toldAtLength ? NAMES_AND_ASKED : NAMES);
    // ... and when it is weighed against one of ours, only a card that names both ("spark vs pandas" is not Spark's pandas UDFs).
    if (comparing && sides) for (const doc of namingOutside) if (!this.namesBoth(doc, sides)) namingOutside.delete(doc);
    const tools = this.namedTools(tokens);
    const asIs = tools ? this.writtenTerms(tokens) : new Set<number>();
    const allowed = (doc: number) =>
      (steer.size === 0 || steer.has(this.topicIds[this.topicOfDoc[doc]!]!) || namingTopic.has(doc)) &&
      (inSyntax === undefined || inSyntax(this.concepts[doc]!.id)) &&
      (outside.length === 0 || namingOutside.has(doc)) &&
      (tools === undefined || tools.has(doc) || !this.toolCards.has(doc) || namingTopic.has(doc) || this.writesName(doc, asIs));

    // Cards the question is a name of (or its plural) ...
    const exact = new Set(this.exactlyNamed(exactKey(written)));
    // ... or only asks what that name is ("what is a map task").
    const askedFor = ASKS_FOR_NAME.exec(said)?.[1];
    if (askedFor) for (const doc of this.exactlyNamed(exactKey(askedFor))) exact.add(doc);
    // A tool no card covers asked about alone ("what is docker", "kubernetes?"): the cards that name
    // it (@task.docker, Spark on Kubernetes) are offered, but none of them is about the tool itself.
    const nameAsked = ` ${rawWords(askedFor ?? said).join(' ')} `;
    const askedAlone = exact.size === 0 ? this.notCovered.filter((t) => t.words === nameAsked).map((t) => t.phrase) : [];
    const unknownWords = new Set(tokens.flatMap((t) => (t.candidates.size === 0 ? [t.token] : [])));
    // A topic word misspelt ("what is yarn in hadop") is that topic's word around a name too.
    const misspeltTopics = new Map(tokens.flatMap((t) => (t.topic && !this.topicOfKeyword.has(t.token) ? [[t.token, t.topic] as const] : [])));
    const namedInside = steer.size ? this.namedWithTopic(said, steer, unknownWords, misspeltTopics) : this.namedBeforeUnknown(said, unknownWords);
    for (const doc of namedInside) exact.add(doc);
    const namedFirst = first === undefined ? [] : this.namedFirst(first, steer, misspeltTopics);
    for (const doc of namedFirst) exact.add(doc);
    for (const doc of this.askedByKeyAlone(pasted, content)) exact.add(doc);
    for (const doc of this.calledAlone(written)) exact.add(doc);
    // A command's flag that one card writes and the card named by the command does not is what is
    // asked: `terraform apply -refresh-only -auto-approve` is the drift card's.
    const flagged = this.flaggedCommand(written, known, exact);
    if (flagged !== undefined) {
      exact.clear();
      exact.add(flagged);
    }
    // A key a card lists is that card's name, wherever the question writes it, unless the question
    // writes keys of other cards too ("retention.ms set but old segments stay, log.segment.bytes?").
    const alone = listed.size > 0 && [...this.keyedDocs(this.knownKeys(writtenKeys(this.withoutListedKeys(written, listed))))].every((doc) => listed.has(doc));
    for (const doc of listed.keys()) {
      if (alone) exact.add(doc);
      keyed.add(doc);
    }
    const spelt = partial ? undefined : this.speltWords(tokens);
    const candidates = this.evidence(content, contentWeight).filter((e) => allowed(e.doc) && !exclude?.has(this.concepts[e.doc]!.id));
    const shortlist = best(candidates, SHORTLIST, (e) => e.text + e.cover);
    if (keyed.size) shortlist.push(...candidates.filter((e) => keyed.has(e.doc) && !shortlist.includes(e)));
    // A card the question names is a candidate even when none of the other words is its ("what is mapreduce, interview tomorrow").
    for (const doc of exact) if (allowed(doc) && !exclude?.has(this.concepts[doc]!.id) && !shortlist.some((e) => e.doc === doc)) shortlist.push(this.exact(doc, content, contentWeight));
    if (spelt) for (const doc of this.namedAs(shortlist.map((e) => e.doc), spelt)) exact.add(doc);
    const reading = this.reading(tokens, content, contentWeight);
    let ranked: Ranked[];
    try {
      const topicTokens = tokens.filter((q) => q.topic);
      ranked = shortlist.map((e) => this.score(e.doc, topicTokens, reading, steer, e, exact.has(e.doc), keyed.has(e.doc), comparing, sides)).sort((a, b) => b.score - a.score || a.doc - b.doc);
    } finally {
      for (const term of reading.terms) this.rowOf[term] = -1;
    }
    // Words the knowledge base has never seen, not even misspelt: "flink", "airbyte". A question
    // whose first clause names a card is placed by it, whatever words follow ("are they like fixtures").
    // ... nor is a word of a key a card lists (no card's text need write "DeltaTriggerTimetable": see listedKeysIn).
    const listedWords = new Set([...listed.values()].flatMap((k) => queryWords(k.key).flatMap((w) => [w.token, ...w.parts])));
    const unknown = namedFirst.length || namedInside.length ? 0 : content.filter((q) => q.candidates.size === 0 && !listedWords.has(q.token)).reduce((sum, q) => sum + q.weight, 0) / contentWeight;
    const question = { unknown, weight: contentWeight / this.maxIdf, topic: steer.size > 0 || syntaxCards !== undefined, pasted: syntaxCards !== undefined, asksName: askedFor !== undefined && rawWords(askedFor).length <= 3 };
    // Said when no topic of ours is named, or one is weighed against it ("hive vs presto" has no card
    // about Presto), or it is asked about first; not of a tool or format said beside a topic ("hive orc":
    // its cards are offered, and "no card about orc" would read as if Hive were not covered either).
    const toldOutside = steer.size === 0 || comparing || askedFirst.length > 0 ? named.map((t) => t.phrase) : [];
    return { ranked, question, outside: [...new Set([...toldOutside, ...askedAlone])], ...(askedAlone.length ? { toolAlone: true } : {}), topics: [...steer], words: content.map((t) => t.token), ...(sides ? { sides } : {}), listed };
  }

  /**
   * The words of a misspelt question, each read as its likeliest known word ("biuld" as build), or
   * undefined when none is misspelt or one is no known word nor a close misspelling of one (a
   * question spelt right is matched to names as written: exactNames).
   */
  private speltWords(tokens: QueryToken[]): { words: Set<number>; topical: Set<number> } | undefined {
    const words = new Set<number>();
    const topical = new Set<number>();
    let misspelt = false;
    for (const q of tokens) {
      let best: number | undefined;
      let bestSim = 0;
      for (const [term, sim] of q.candidates) if (sim > bestSim) [best, bestSim] = [term, sim];
      if (best === undefined || bestSim < SPELT_SIMILARITY) return undefined;
      if (bestSim < 1) misspelt = true;
      words.add(best);
      if (q.topic) topical.add(best);
    }
    return misspelt ? { words, topical } : undefined;
  }

  /**
   * Cards one of whose names (alone or with a topic word added) is the question's words: "xcomm"
   * names XCom, "dbt biuld" names "dbt build", "dbt sorces" names "sources". A name that
   * writes the topic word too is the closer reading: "terraform destory" is "terraform destroy",
   * not the provisioner alias "when = destroy".
   */
  private namedAs(docs: number[], spelt: { words: Set<number>; topical: Set<number> }): number[] {
    const whole: number[] = [];
    const titled: number[] = [];
    const withTopic: number[] = [];
    for (const doc of docs) {
      const names = this.names.of(doc);
      for (const name of names) {
        const own = new Set(name);
        if (![...own].every((t) => spelt.words.has(t))) continue;
        if ([...spelt.words].every((t) => own.has(t))) {
          whole.push(doc);
          if (name === names[0]) titled.push(doc);
        } else if (spelt.topical.size > 0 && [...spelt.words].every((t) => own.has(t) || spelt.topical.has(t))) withTopic.push(doc);
        else continue;
        break;
      }
    }
    // A title read whole is the closer reading than a command named by it and a dropped word ("terraform state show").
    return titled.length ? titled : whole.length ? whole : withTopic;
  }

  /** Whether some card writes a config key, flag or dotted name this text writes. */
  private writesKey(text: string): boolean {
    for (const key of configKeys(text)) if (this.keys.has(key)) return true;
    return false;
  }

  /**
   * Keys as the cards write them: a qualified name no card writes whole is looked up by its last
   * parts ("StorageLevel.MEMORY_AND_DISK_SER" as memory_and_disk_ser, the environment variable
   * AIRFLOW__CELERY__WORKER_CONCURRENCY as the option worker_concurrency), each that still reads as
   * a key, else by the longest of its leading parts a card writes, for a name made from a written
   * prefix ("AIRFLOW_CONN_MY_DB" of AIRFLOW_CONN_<CONN_ID>). Not a prefix of a name many cards
   * write: aws_instance.app is a made-up address like the aws_instance.web of examples, not the
   * resource type's card.
   */
  private knownKeys(keys: Set<string>): Set<string> {
    const known = new Set<string>();
    for (const key of keys) {
      known.add(key);
      if (this.keys.has(key)) continue;
      // A Python client writes a dotted key with underscores (kafka-python's enable_auto_commit).
      const dotted = key.replace(/_/g, '.');
      if (dotted !== key && this.keys.has(dotted)) {
        known.add(dotted);
        continue;
      }
      // A numbered key stands for its siblings: server.2 of ZooKeeper's server.1, server.3.
      const numbered = this.numberedKeys(key);
      if (numbered.length) {
        for (const sibling of numbered) known.add(sibling);
        continue;
      }
      const meant = this.misspeltKey(key);
      if (meant) {
        known.add(meant);
        continue;
      }
      let suffix = false;
      for (const { index } of key.matchAll(/\.|__/g)) {
        const rest = key.slice(index! + (key[index!] === '.' ? 1 : 2));
        if (/[._]/.test(rest) && this.keys.has(rest)) {
          known.add(rest);
          suffix = true;
        }
      }
      if (suffix) continue;
      // A method called on the reader's own variable ("pairRdd.lookup") is the one a card writes on its own (rdd.lookup).
      const method = this.sameMethod(key);
      if (method.length) {
        for (const written of method) known.add(written);
        continue;
      }
      const head = leadingParts(key).find((part) => this.keys.has(part));
      if (head && !this.prefixOfCommonKey(head)) known.add(head);
    }
    return known;
  }

  /**
   * The dotted key a card writes that this one misspells ("log.retension.check.interval.ms"): the
   * same parts but one, that one a part no card's key has and one letter off (two in a part of eight
   * letters or more), and only one such key.
   */
  private misspeltKey(key: string): string | undefined {
    const parts = dottedParts(key);
    if (!parts) return undefined;
    this.dottedKeys ??= dottedKeysByParts(this.keys.keys());
    const found = new Set<string>();
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (this.dottedKeys.parts.has(part)) continue;
      for (const written of this.dottedKeys.byShape.get(shapeOf(parts, i)) ?? []) {
        const other = written.split('.')[i]!;
        if (editDistance(part, other) <= (Math.min(part.length, other.length) >= 8 ? 2 : 1)) found.add(written);
      }
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /**
   * The cards a dotted key no card writes or lists belongs with, by the namespace it shares with
   * theirs: the longest leading part of three parts or more that begins their keys
   * ("yarn.scheduler.capacity" of yarn.scheduler.capacity.root.analytics.maximum-capacity, a queue's
   * own key), when that part begins keys of one card only.
   */
  private familyDocs(pasted: ReadonlySet<string>, listed: ReadonlyMap<number, ConceptKey>): number[] {
    const docs: number[] = [];
    for (const key of pasted) {
      if (!dottedParts(key) || this.keys.has(key) || this.knownKeys(new Set([key])).size > 1) continue;
      this.keyFamilies ??= keyFamiliesOf(this.keys, this.concepts);
      const families = this.keyFamilies;
      const family = leadingParts(key).find((part) => part.split('.').length >= 3 && families.has(part));
      const holders = family === undefined ? undefined : families.get(family)!;
      if (holders?.size === 1) {
        const [doc] = holders;
        if (!listed.has(doc!)) docs.push(doc!);
      }
    }
    return docs;
  }

  /**
   * The keys of two parts cards write with the same method as this one on other receivers
   * (rdd.lookup, pairs.lookup for pairRdd.lookup), when one card writes them all.
   */
  private sameMethod(key: string): string[] {
    const parts = key.split('.');
    if (parts.length !== 2 || !/^[a-z]\w{3,}$/.test(parts[1]!) || !/^[a-z]\w*$/.test(parts[0]!)) return [];
    this.keysByMethod ??= keysBy(this.keys.keys(), methodOf);
    const written = this.keysByMethod.get(parts[1]!) ?? [];
    const holders = new Set(written.flatMap((k) => this.keys.get(k)!));
    if (holders.size !== 1) return [];
    // A receiver the cards write only in another topic is that topic's library, not the reader's
    // variable: pendulum.datetime is Airflow's, not dbt's modules.datetime.
    const topics = new Set([...this.namingWords([stem(parts[0]!)], ALL_FIELDS)].map((d) => this.topicOfDoc[d]));
    return topics.size > 0 && !topics.has(this.topicOfDoc[[...holders][0]!]) ? [] : written;
  }

  /** The keys cards write that differ from this one only in a numbered part ("server.1" for server.2). */
  private numberedKeys(key: string): string[] {
    const shape = numberedShape(key);
    if (shape === undefined) return [];
    this.keysByNumberedShape ??= keysBy(this.keys.keys(), numberedShape);
    return this.keysByNumberedShape.get(shape) ?? [];
  }

  /** Whether a key begins a longer one that many cards write, as aws_instance begins the aws_instance.web of examples. */
  private prefixOfCommonKey(head: string): boolean {
    for (const [key, holders] of this.keys) if (holders.length > KEY_HOLDERS && key.length > head.length && key.startsWith(head)) return true;
    return false;
  }

  /** Cards whose text writes a config key, flag or dotted name of the question that few cards write. */
  private keyedDocs(pasted: Set<string>): Set<number> {
    const docs = new Set<number>();
    for (const key of pasted) {
      const holders = this.keys.get(key);
      if (holders && holders.length <= KEY_HOLDERS) for (const d of holders) docs.add(d);
    }
    return docs;
  }

  /**
   * The card a question asks for by a config key or flag alone ("kafka controller.quorum.voters",
   * "what does spark.task.maxFailures do"): every word it asks about is a word of a key that only
   * that card writes, or that only that card is named by.
   */
  private askedByKeyAlone(pasted: Set<string>, content: QueryToken[]): number[] {
    const docs = new Set<number>();
    const words = new Set<string>();
    for (const key of pasted) {
      // Several cards may write a key; one may still be named by it ("what is for_each").
      const writers = this.keys.get(key);
      const holders = writers?.length === 1 ? writers : writers && /[._]|^-/.test(key) ? this.exactNames.get(exactKey(key)) : undefined;
      if (holders?.length !== 1) continue;
      docs.add(holders[0]!);
      for (const w of tokenize(key)) words.add(w);
    }
    if (docs.size !== 1) return [];
    const doc = [...docs][0]!;
    // The card's own topic word says where the key is from ("airflow one_done"), not more to ask.
    const topic = this.topicIds[this.topicOfDoc[doc]!];
    return content.every((t) => words.has(t.token) || (t.topic !== undefined && t.topic === topic)) ? [doc] : [];
  }

  /**
   * The card a pasted call is asked by, when the question is that one call and only that card
   * writes it (`@task.virtualenv(requirements=[...], system_site_packages=False)`): what it is given
   * is the reader's.
   */
  private calledAlone(text: string): number[] {
    const [, name, given = ''] = ONE_CALL.exec(text) ?? [];
    const writers = name === undefined ? undefined : this.keys.get(name.toLowerCase());
    if (writers?.length !== 1) return [];
    // ... unless it is given a key another card writes (`df.persist(StorageLevel.MEMORY_AND_DISK_SER)`);
    // a keyword argument's name is the call's own (`logical_date=`).
    const keys = this.knownKeys(writtenKeys(given.replace(/\b\w+\s*=(?!=)/g, ' ')));
    const other = [...keys].some((key) => this.keys.get(key)?.some((d) => d !== writers[0])) || [...this.listedKeysIn(given, keys).keys()].some((d) => d !== writers[0]);
    return other ? [] : writers;
  }

  /**
   * The one card that writes a flag of a command line ("terraform apply -refresh-only"), when the
   * cards the command names (`exact`) write none of its flags and no other card alone writes another.
   */
  private flaggedCommand(text: string, keys: ReadonlySet<string>, exact: ReadonlySet<number>): number | undefined {
    const line = COMMAND_LINE.exec(text);
    const first = line?.[1]?.toLowerCase();
    // Only a command line pasted alone: told in a sentence ("dbt retry --target prod after the job
    // died"), its flags are the setting, not the question.
    if (first === undefined || !this.topicOfKeyword.has(first) || PROSE.test(text.slice(line![0].length))) return undefined;
    const writers = [...keys].filter((key) => key.startsWith('-')).map((flag) => this.keys.get(flag) ?? []);
    if (writers.some((docs) => docs.some((d) => exact.has(d)))) return undefined;
    const only = new Set(writers.filter((docs) => docs.length === 1).map((docs) => docs[0]!));
    return only.size === 1 ? [...only][0] : undefined;
  }

  /** Cards of another topic whose names carry a topic word of the question ("kraft vs zookeeper"). */
  private namingTopic(topicWords: QueryToken[]): Set<number> {
    return this.namingWords(topicWords.flatMap((q) => [...q.candidates.keys()].map((term) => this.vocabulary.words[term]!)));
  }

  /**
   * The cards of the tools a question names ("hdfs snapshots": HDFS's cards), or undefined when it
   * names none. Cards of no tool (a topic's overview) stay open to it, as do cards of another topic.
   */
  private namedTools(tokens: QueryToken[]): Set<number> | undefined {
    if (this.toolDocs.size === 0) return undefined;
    let docs: Set<number> | undefined;
    for (const t of tokens) {
      if (!t.topic || !t.asName) continue;
      const tool = this.toolDocs.get(t.token) ?? this.toolDocs.get(this.vocabulary.words[bestCandidate(t.candidates) ?? -1] ?? '');
      if (!tool) continue;
      docs ??= new Set();
      for (const d of tool) docs.add(d);
    }
    if (!docs) return undefined;
    // Cards of a topic whose tools the question does not name are not limited by it ("zookeeper in kafka").
    const namedTopics = new Set([...docs].map((d) => this.topicOfDoc[d]!));
    for (const d of this.toolCards) if (!namedTopics.has(this.topicOfDoc[d]!)) docs.add(d);
    return docs;
  }

  /**
   * A pasted line without the reader's own values: the value of a known key (`zookeeper.connect=zk1:2181`),
   * the name after a known flag (`--select fct_orders`), a digit on a variable (`rdd1`, `df2`).
   */
  private withoutArguments(text: string): string {
    const known = this.isKey;
    // A selector ("state:modified+", "test_type:unit") says what is asked, whoever wrote it.
    const selector = (value: string) => /[a-z]:[a-z]/i.test(value);
    // A value no card writes, nor any key in it ("zk1:2181", "module.db"; not "none_failed") ...
    const own = (value: string) => /[_.:\/\d]/.test(value) && !selector(value) && this.knownKeys(configKeys(value)).size === 0 && !known(value.replace(/^['"]|['"]$/g, ''));
    // ... or, after a flag, a name several cards write as a made-up example ("--select fct_orders").
    const example = (value: string) => /[_.\d]/.test(value) && !selector(value) && [...this.knownKeys(configKeys(value))].every((k) => (this.keys.get(k)?.length ?? 0) >= 2);
    // A JVM system property is its key ("-Dmapreduce.job.reduces=10"), and a shell's export only sets a variable.
    let out = text.replace(JVM_PROPERTY, '').replace(SHELL_EXPORT, '');
    // A dbt node selector's model, source or tag is the reader's own ("-s stripe+", "--select source:stripe"):
    // only its method stays. A method's fixed values say what is asked ("state:modified+", "test_type:unit").
    out = /\bdbt\b/i.test(out)
      ? out.replace(DBT_SELECTOR, (m, flag: string, method: string | undefined) => (method === undefined || NAMED_BY_READER.test(method) ? `${flag} ${method ?? ''} ` : m))
      : out;
    out = out.replace(/(?<![\w.-])(-{0,2}[a-z][\w.-]*)\s?=\s?(\S+)/gi, (m, key: string, value: string) => (known(key) && !known(`${key}=${value}`) && own(value) ? `${key}= ` : m));
    out = out.replace(/(?<![\w.-])(--?[a-z][\w-]*)\s+([+@]?[a-z][\w.:/+-]*[_\d.:/+-][\w.:/+-]*)/gi, (m, flag: string, value: string) => (known(flag) && (own(value) || example(value)) ? `${flag} ` : m));
    out = this.withoutQuotedData(out);
    // An object's own ID (a lock's UUID, a commit, snapshot "s20250101") is the reader's: no word anybody writes about.
    out = out.replace(OWN_ID, (m) => (known(m) || this.vocabulary.id(m.toLowerCase()) !== undefined ? m : ' '));
    // A Kafka tool's connection ("--bootstrap-server kafka-0:9092") is where it runs, not what it does.
    if (KAFKA_TOOL.test(out)) out = out.replace(/(?<![\w-])--(?:bootstrap-server|command-config)(?:=|\s+)\S+/g, ' ');
    // ... and a flag's size or duration ("--driver-memory 8g", "--timeout 30s").
    out = out.replace(FLAG_QUANTITY, (m, flag: string) => (known(flag) ? `${flag} ` : m));
    // What `terraform import` adopts is the reader's: the address and the real object's ID ("vpc-0a1b", "i-0abc").
    out = out.replace(TERRAFORM_IMPORT, '$1 $2 ');
    // So is any Terraform resource address: a provider's resource type and a label somebody chose, as
    // several cards' examples do; only a data source's ("data.") or a module's says what kind. Not one
    // a card is named by, or the only card writes.
    const ownAddress = (address: string) => this.exactNames.has(exactKey(address)) || this.keys.get(address.toLowerCase())?.length === 1;
    out = out.replace(TERRAFORM_ADDRESS, (m, kind: string) => (ownAddress(m) ? m : /^data\./i.test(kind) ? ' data source ' : /^module$/i.test(kind) ? ' module ' : ' '));
    // A Terraform variable the reader named is the reader's ("for_each = var.buckets" asks about for_each,
    // not Airflow's Variables); a local value the reader named reads as what it is, a local.
    out = out.replace(TERRAFORM_REFERENCE, (m, kind: string) => (ownAddress(m) ? m : kind.toLowerCase() === 'var' ? ' ' : ' locals '));
    // A variable named after what it holds, numbered: the receiver of a call or its argument ("rdd1.cogroup(rdd2)"; not "MR1 vs MR2").
    out = out.replace(/(?<=^|[\s(,])([a-z]{2,})\d(?=\.[a-z]|[),])/g, (m, word: string) => (this.vocabulary.id(stem(word)) !== undefined ? word : m));
    return out;
  }

  /**
   * A pasted call without the names it is given in quotes, when only a few cards write the call:
   * a column, table or package (`repartitionByRange(200, "event_date")`) is the reader's data, even
   * when one card's example happens to use the same name. A dotted config key given in quotes
   * (`conf.set("spark.sql.shuffle.partitions", ...)`) or one the call's own card writes stays.
   */
  private withoutQuotedData(text: string): string {
    let out = text;
    for (const call of writtenCalls(text)) {
      const writers = this.keys.get(call.qualified) ?? this.keys.get(call.name);
      if (!writers || writers.length > KEY_HOLDERS) continue;
      for (const quoted of call.quoted) {
        const holders = this.keys.get(quoted.toLowerCase());
        if (DOTTED_NAME.test(quoted) || holders?.some((d) => writers.includes(d))) continue;
        out = out.replace(new RegExp(`(["'])${escapeRegExp(quoted)}\\1`), ' ');
      }
    }
    return out;
  }

  /** The vocabulary words a question writes as they are (no typo read into them). */
  private writtenTerms(tokens: QueryToken[]): Set<number> {
    const terms = new Set<number>();
    for (const t of tokens) {
      const id = this.vocabulary.id(t.token);
      if (id !== undefined) terms.add(id);
    }
    return terms;
  }

  /**
   * Whether a question writes out one of a card's names of two or more words: "msck repair table
   * in hdfs" asks for the Hive statement, though it names HDFS as the place.
   */
  private writesName(doc: number, terms: ReadonlySet<number>): boolean {
    return this.names.of(doc).some((name) => name.length >= 2 && name.every((t) => terms.has(t)));
  }

  /**
   * Whether some card's name holds every one of a question's two or more topic words, all of one
   * topic ("is hbase just hdfs": HDFS vs HBase): then those words are what the question is about,
   * not only where to look.
   */
  private namesAll(topicWords: QueryToken[], comparing = false, prose = false): boolean {
    const words = [...new Set(topicWords.map((t) => t.token))];
    // Two tools of one topic; words of two topics in a pasted line ("spark-submit --master yarn") stay
    // where to look, unless the question compares them ("spark vs mapreduce speed"); said in words, a
    // card named by both is what is asked ("kafka without zookeeper, is that a thing now").
    if (words.length < 2 || (!comparing && !prose && new Set(topicWords.map((t) => t.topic)).size > 1)) return false;
    // A comparison may name a third tool as the setting ("oozie vs airflow for our hive jobs"): two of them named together are enough.
    if (comparing && words.length > 2) return words.some((a, i) => words.slice(i + 1).some((b) => this.namedTogether([a, b])));
    return this.namedTogether(words);
  }

  /** Whether some card's names hold every one of these words. */
  private namedTogether(words: string[]): boolean {
    let holders = this.namingWords([words[0]!]);
    for (const w of words.slice(1)) {
      const docs = this.namingWords([w]);
      holders = new Set([...holders].filter((d) => docs.has(d)));
      if (holders.size === 0) return false;
    }
    return true;
  }

  /**
   * With no topic named, the one card the question names before words nobody wrote about ("what is
   * xcom blah"): those words are the asker's own, not what is asked.
   */
  private namedBeforeUnknown(said: string, unknownWords: ReadonlySet<string>): number[] {
    if (unknownWords.size === 0) return [];
    const words = rawWords(said);
    let first = 0;
    while (first < words.length && isStopword(words[first]!)) first++;
    const known = beforeOwnWords(words, words.length, first + 1, unknownWords);
    if (known === words.length || !words.slice(known).some((w) => unknownWords.has(stem(w)))) return [];
    const docs = this.exactlyNamed(words.slice(first, known).join(''));
    return docs.length === 1 ? docs : [];
  }

  /**
   * Cards of a named topic one of whose names is the question without its topic words, written
   * out: "kafka kraft" is KRaft's card, not the card that compares KRaft with ZooKeeper; "what is
   * hdfs namenode in hadoop" is "HDFS NameNode".
   */
  private namedWithTopic(said: string, steer: ReadonlySet<string>, unknownWords: ReadonlySet<string> = new Set(), misspeltTopics: ReadonlyMap<string, string> = new Map()): number[] {
    if (steer.size === 0) return [];
    const words = rawWords(said);
    const topicOf = (w: string) => this.topicOfKeyword.get(stem(w)) ?? misspeltTopics.get(stem(w));
    const isTopicWord = (w: string | undefined) => w !== undefined && steer.has(topicOf(w) ?? '');
    if (words.every(isTopicWord)) return this.toolOfTopic(words);
    let first = 0;
    while (first < words.length && isStopword(words[first]!) && !isTopicWord(words[first])) first++;
    // Where the name may start (after question words, after topic words said first) and end (before
    // topic words said last, "in hadoop"); the longest name found wins ("hive on spark", not "hive").
    const starts = new Set([0, first]);
    for (let i = first; i < words.length && isTopicWord(words[i]); i++) starts.add(i + 1);
    let last = words.length;
    while (last > first + 1 && isStopword(words[last - 1]!) && !isTopicWord(words[last - 1])) last--;
    const ends = [...new Set([words.length, last])];
    for (let i = last - 1; i > first && (isTopicWord(words[i]) || (TOPIC_PREPOSITIONS.has(words[i]!) && isTopicWord(words[i + 1]))); i--) ends.push(i);
    // ... or, after a name that is more than topic words, before what the asker adds of their own: words
    // nobody wrote about ("kafka acks jeff"), or a few words on where it is used ("kafka acks for our
    // payments service"; not "hbase coprocessors", nor "store files on hdfs and when do i need hbase").
    let named = first;
    while (named < words.length && isTopicWord(words[named])) named++;
    const known = beforeOwnWords(words, last, named + 1, unknownWords, isTopicWord);
    if (known > named) ends.push(known);
    for (let i = named + 1; i < last; i++) if (TOPIC_PREPOSITIONS.has(words[i]!) && words.length - i <= ADDED_WORDS) ends.push(i);
    const spans = [...starts].flatMap((start) => ends.filter((end) => end > start).map((end) => [start, end] as const));
    // Titles carry their topic word first ("Terraform state"): "state in terraform" names that card too.
    const topicWords = [...new Set(words.filter(isTopicWord))];
    for (const [start, end] of spans.sort((a, b) => b[1] - b[0] - (a[1] - a[0]))) {
      const span = words.slice(start, end).join('');
      // The topics said around the name are where it is ("zookeeper for kafka": Kafka's, not the ZooKeeper card of Hadoop).
      const around = new Set([...words.slice(0, start), ...words.slice(end)].filter(isTopicWord).map((w) => topicOf(w)!));
      const where = around.size ? around : steer;
      for (const key of [span, ...topicWords.map((w) => `${w}${span}`)]) {
        const docs = this.exactlyNamed(key).filter((d) => where.has(this.topicIds[this.topicOfDoc[d]!]!));
        if (docs.length) return docs;
      }
    }
    return [];
  }

  /**
   * The card a "what is X" question names when more follows it ("whats a partition in kafka
   * actually, like a shard?"): X, the question's first clause, written out as one of its names.
   */
  private namedFirst(first: FirstClause, steer: ReadonlySet<string>, misspeltTopics: ReadonlyMap<string, string>): number[] {
    const named = (words: string[]) => {
      const withTopic = steer.size ? this.namedWithTopic(words.join(' '), steer, new Set(), misspeltTopics) : [];
      if (withTopic.length) return withTopic;
      // A topic said alone ("kafka? is it a queue") names its overview.
      return words.length ? this.exactlyNamed(words.join('')).filter((d) => steer.size === 0 || steer.has(this.topicIds[this.topicOfDoc[d]!]!)) : [];
    };
    const asTyped = named(first.words);
    if (asTyped.length) return asTyped;
    // ... and a name misspelt there ("what does dbt bulid do exactly, ..."), read as the words the cards write.
    const respelt = this.respelt(first.words);
    return respelt ? named(respelt) : [];
  }

  /**
   * The words with each one no card writes read as the written word it most likely misspells
   * ("bulid" as build, "airfow" as airflow); undefined when none is misspelt, or one is not close
   * enough to a single written word.
   */
  private respelt(words: string[]): string[] | undefined {
    let changed = false;
    const out: string[] = [];
    for (const word of words) {
      if (this.writtenSet.has(word) || isStopword(word) || !/^[a-z]+$/.test(word)) {
        out.push(word);
        continue;
      }
      const [best, next] = this.writtenTypos.corrections(word);
      if (!best || best.similarity < SPELT_SIMILARITY || (next && next.similarity === best.similarity)) return undefined;
      out.push(best.token);
      changed = true;
    }
    return changed ? out : undefined;
  }

  /**
   * The cards a stray word is offered with: those whose camel-case names hold it ("watermark":
   * withWatermark), when one or two do; a word in many such names ("exception") or a short one
   * ("not", which begins many exceptions' names) says nothing of which.
   */
  private strayInCode(ranked: Ranked[], token: string): Ranked[] {
    const holders = token.length >= 4 ? ranked.filter((r) => this.namesInCode(r.doc, token)) : [];
    return holders.length <= 2 ? holders : [];
  }

  /** Whether one of the card's aliases or keys holds the word as a part of a camel-case name ("withWatermark"). */
  private namesInCode(doc: number, token: string): boolean {
    const concept = this.concepts[doc]!;
    return [...concept.aliases, ...concept.keys.map((k) => k.key)].some((name) => splitWords(name).some((word) => documentTokens(word).indexOf(token) > 0));
  }

  /** Cards one of whose names is written out as these words run together, or as their singular ("dbt seeds" for "dbt seed"). */
  private exactlyNamed(key: string): number[] {
    return this.exactNames.get(key) ?? (key.length > 4 && key.endsWith('s') && !key.endsWith('ss') ? (this.exactNames.get(key.slice(0, -1)) ?? []) : []);
  }

  /**
   * A tool of a topic said with the topic ("hadoop hdfs", "zookeeper hadoop"): that tool's card, named
   * by the tool's word; nothing when another topic is said too ("kafka hdfs").
   */
  private toolOfTopic(words: string[]): number[] {
    const topics = words.filter((w) => this.topicIds.includes(w));
    const tool = words.filter((w) => !this.topicIds.includes(w));
    if (topics.length !== 1 || !tool.length || !tool.every((w) => this.topicOfKeyword.get(stem(w)) === topics[0])) return [];
    return (this.exactNames.get(tool.join('')) ?? []).filter((d) => this.topicIds[this.topicOfDoc[d]!] === topics[0]);
  }

  /**
   * Whether the question writes out a card's name of two or more words, one of them this tool
   * ("kubernetes executor vs celery executor": KubernetesExecutor), so the tool is not what it asks about.
   */
  private cardNameHolds(tool: string, asked: ReadonlySet<string>): boolean {
    for (const d of this.namingWords([tool])) {
      for (const name of this.names.of(d)) {
        if (name.length < 2) continue;
        const words = this.wordsOf(name);
        if (words.includes(tool) && words.every((w) => asked.has(w))) return true;
      }
    }
    return false;
  }

  /**
   * The words on each side of what a question compares ("airflow task vs operator": task, operator),
   * those the knowledge base knows; undefined when a side has none (a typo: the rule is left out).
   */
  private comparedSides(said: string): ComparedSides | undefined {
    const m = /\b(?:vs\.?|versus|or|and)(?=\s|$)/i.exec(said);
    if (!m) return undefined;
    // With two words written as one where a card's name is ("kubernetes executor": KubernetesExecutor).
    const known = (words: string[], raw: string[]) => [...words, ...raw.slice(1).map((w, i) => raw[i]! + w)].filter((w) => this.vocabulary.id(w) !== undefined);
    const before = said.slice(0, m.index);
    const after = said.slice(m.index + m[0].length);
    const left = known(tokenize(before).slice(-3), rawWords(before).slice(-3));
    const right = known(tokenize(after).slice(0, 3), rawWords(after).slice(0, 3));
    return left.length && right.length ? [left, right] : undefined;
  }

  /**
   * Whether one of a card's names holds a word of each side of a comparison ("Airflow hook vs
   * operator" does not for "airflow task vs operator": its topic's name says where, not what).
   */
  private namesBoth(doc: number, sides: ComparedSides): boolean {
    const own = stem(this.topicIds[this.topicOfDoc[doc]!]!);
    // A tool named on one side only, or on both, says where both sides are ("oozie coordinator vs
    // workflow"), not what differs: "Oozie vs Airflow" does not compare coordinators and workflows.
    // Different tools on each side ("zookeeper mode vs kraft mode kafka") are what is compared.
    const tools = sides.map((side) => side.filter((w) => this.topicOfKeyword.has(w)));
    const [left, right] = sides.map((side, i) => {
      const where = tools[1 - i]!.every((t) => tools[i]!.includes(t));
      const what = side.filter((w) => !this.topicOfKeyword.has(w));
      return where && what.length ? what : side;
    }) as [string[], string[]];
    // A word both sides share ("celery executor vs kubernetes executor") tells them apart from nothing.
    const shared = bothSides(sides);
    return this.names.of(doc).some((name) => {
      const words = this.wordsOf(name);
      const holds = (w: string) => words.includes(w) && w !== own && !shared.has(w);
      return left.some(holds) && right.some(holds);
    });
  }

  /**
   * For each side of a comparison ("rdd vs dataframe", which no card makes), the best card one of
   * whose names is that side (besides its topic's word): they come first among the suggestions.
   */
  private namedBySides(ranked: Ranked[], sides: ComparedSides): Ranked[] {
    const likeliest = ranked.slice(0, SIDE_CANDIDATES);
    const shared = bothSides(sides);
    return [...new Set(sides.flatMap((side) => likeliest.find((r) => this.namedBy(r.doc, side, shared)) ?? []))];
  }

  /** Whether a card's summary holds a word of each side of a comparison, its topic's word and their shared words aside. */
  private summarySpeaksOfBoth(doc: number, sides: ComparedSides): boolean {
    const own = stem(this.topicIds[this.topicOfDoc[doc]!]!);
    const shared = bothSides(sides);
    const words = new Set(tokenize(this.concepts[doc]!.summary));
    return sides.every((side) => side.some((w) => w !== own && !shared.has(w) && words.has(w)));
  }

  /**
   * Whether one of a card's names, its topic's word aside, is made only of these words, and holds
   * one that is not `shared` ("Airflow executor" is not the "kubernetes executor" side).
   */
  private namedBy(doc: number, side: readonly string[], shared: ReadonlySet<string>): boolean {
    const own = stem(this.topicIds[this.topicOfDoc[doc]!]!);
    return this.names.of(doc).some((name) => {
      let held = 0;
      for (const term of name) {
        const word = this.vocabulary.words[term]!;
        if (word === own) continue;
        if (!side.includes(word)) return false;
        if (!shared.has(word)) held++;
      }
      return held > 0;
    });
  }

  /** A name's (stemmed) words. */
  private wordsOf(name: Int32Array): string[] {
    return Array.from(name, (term) => this.vocabulary.words[term]!);
  }

  /** Cards whose names (or `fields`) hold every word of one of these tools: Hive's delta files name no Delta Lake. */
  private namingTools(tools: readonly NotCoveredTool[], fields: readonly number[]): Set<number> {
    const docs = new Set<number>();
    for (const tool of tools) {
      const [first, ...rest] = rawWords(tool.phrase).map((w) => [...this.namingWords([stem(w)], fields)]);
      for (const doc of first ?? []) if (rest.every((holders) => holders.includes(doc))) docs.add(doc);
    }
    return docs;
  }

  /** Cards whose names (or other fields) carry any of these (stemmed) words. */
  private namingWords(words: string[], fields: readonly number[] = NAMES): Set<number> {
    const docs = new Set<number>();
    for (const field of fields) {
      const postings = this.fields[field]!;
      for (const word of words) {
        const term = this.vocabulary.id(word);
        if (term !== undefined) for (let i = postings.starts[term]!; i < postings.starts[term + 1]!; i++) docs.add(postings.docs[i]!);
      }
    }
    return docs;
  }

  /**
   * Per card holding any of the question's words: the BM25F text score (normalised by the
   * question's weight) and the share of the question it covers. Words most cards hold ("data",
   * "run") would cost a pass over most cards: they are first left out to find the likely cards,
   * which are then scored exactly on every word.
   */
  private evidence(content: QueryToken[], contentWeight: number): Evidence[] {
    const common = Math.max(COMMON_MIN_DOCS, COMMON_SHARE * this.concepts.length);
    const selective = content.map((q) => ({ ...q, candidates: new Map([...q.candidates].filter(([term]) => this.df[term]! <= common)) }));
    const skipped = selective.some((q, i) => q.candidates.size < content[i]!.candidates.size);
    if (!skipped || selective.every((q) => q.candidates.size === 0)) return this.scan(content, contentWeight);
    const likely = best(this.scan(selective, contentWeight), 2 * SHORTLIST, (e) => e.text + e.cover);
    return likely.map((e) => this.exact(e.doc, content, contentWeight));
  }

  /** Term at a time over the postings, into scratch arrays reset after use. */
  private scan(content: QueryToken[], contentWeight: number): Evidence[] {
    // Lists of cards reached are kept in scratch arrays too: a question allocates only what it returns.
    const { text, cover, tokenText, tokenCover, tf, strong, termDocs, tokenDocs, touched } = this.scratch;
    let reached = 0;
    const idfSum = content.reduce((sum, q) => sum + q.weight, 0) || 1;
    for (const q of content) {
      let tokenReached = 0;
      for (const [term, sim] of q.candidates) {
        let termReached = 0;
        for (let f = 0; f < this.fields.length; f++) {
          const p = this.fields[f]!;
          const norms = this.fieldNorms[f]!;
          for (let i = p.starts[term]!; i < p.starts[term + 1]!; i++) {
            const d = p.docs[i]!;
            if (tf[d] === 0) termDocs[termReached++] = d;
            tf[d]! += p.counts[i]! * norms[d]!;
            if (f < BODY) strong[d] = 1;
          }
        }
        for (let k = 0; k < termReached; k++) {
          const d = termDocs[k]!;
          const textScore = this.termText(term, sim, tf[d]!);
          const coverScore = q.weight * sim * (strong[d] ? 1 : PARAMS.bodyCover);
          if (tokenText[d] === 0 && tokenCover[d] === 0) tokenDocs[tokenReached++] = d;
          if (textScore > tokenText[d]!) tokenText[d] = textScore;
          if (coverScore > tokenCover[d]!) tokenCover[d] = coverScore;
          tf[d] = 0;
          strong[d] = 0;
        }
      }
      for (let k = 0; k < tokenReached; k++) {
        const d = tokenDocs[k]!;
        if (text[d] === 0 && cover[d] === 0) touched[reached++] = d;
        text[d]! += tokenText[d]! / idfSum;
        cover[d]! += tokenCover[d]! / contentWeight;
        tokenText[d] = 0;
        tokenCover[d] = 0;
      }
    }
    const out = new Array<Evidence>(reached);
    for (let k = 0; k < reached; k++) {
      const doc = touched[k]!;
      out[k] = { doc, text: Math.min(1, text[doc]!), cover: Math.min(1, cover[doc]!) };
      text[doc] = cover[doc] = 0;
    }
    return out;
  }

  /** The same figures for one card, looking each word up in its postings (binary search). */
  private exact(doc: number, content: QueryToken[], contentWeight: number): Evidence {
    const idfSum = content.reduce((sum, q) => sum + q.weight, 0) || 1;
    let text = 0;
    let cover = 0;
    for (const q of content) {
      let tokenText = 0;
      let tokenCover = 0;
      for (const [term, sim] of q.candidates) {
        let t = 0;
        let strong = false;
        for (let f = 0; f < this.fields.length; f++) {
          const p = this.fields[f]!;
          const i = findDoc(p.docs, p.starts[term]!, p.starts[term + 1]!, doc);
          if (i < 0) continue;
          t += p.counts[i]! * this.fieldNorms[f]![doc]!;
          if (f < BODY) strong = true;
        }
        if (t === 0) continue;
        tokenText = Math.max(tokenText, this.termText(term, sim, t));
        tokenCover = Math.max(tokenCover, q.weight * sim * (strong ? 1 : PARAMS.bodyCover));
      }
      text += tokenText / idfSum;
      cover += tokenCover / contentWeight;
    }
    return { doc, text: Math.min(1, text), cover: Math.min(1, cover) };
  }

  /** BM25 saturation of a word's weighted frequency in a card, times its idf and similarity. */
  private termText(term: number, sim: number, tf: number): number {
    return (sim * this.idf[term]! * tf * (PARAMS.k1 + 1)) / (PARAMS.k1 + tf);
  }

  /** `keyed`: a card writes a key, flag or code name of the question. */
  private queryTokens(query: string, partial: boolean, keyed: boolean): QueryToken[] {
    const words: string[] = [];
    /** Each of `words` as typed, unstemmed: "resource" of "resourc", for compounds. */
    const typed: string[] = [];
    const read = queryWords(query, partial);
    // A command line ("terraform import aws_s3_bucket.logs my-bucket", "hdfs dfs -put local.csv /user/me"):
    // its arguments written as code, past the command, are mostly names somebody chose (unless a card writes them).
    const commandLine = read.length > 1 && read[0]!.piece === 0 && !read[0]!.code && this.topicOfKeyword.has(read[0]!.token);
    const argumentPieces = new Set(commandLine ? read.filter((w) => w.code && w.piece >= 2 && !this.writesKey(w.pieceText)).map((w) => w.piece) : []);
    const calls = writtenCalls(query);
    const operands = new Set(calls.flatMap((c) => c.operands));
    // What is given to a call a card is named by ("chain()") or writes ("Variable.get") is the
    // reader's: bare names, even words that name cards ("chain(extract, transform, load)"), and
    // quoted text that is no key ("s3_bucket" of 'Variable.get("s3_bucket")').
    const readersOwn = new Set(
      calls
        .filter((c) => this.callNames.has(c.name) || this.keys.has(c.qualified))
        .flatMap((c) => [...c.bare, ...c.quoted.filter((text) => !this.writesKey(text)).flatMap(rawWords)]),
    );
    const argument = new Set<string>();
    const said = new Set<string>();
    const asName = new Set<string>();
    const rawOf = new Map<string, string>();
    const last = read[read.length - 1];
    const lone = !keyed && read.every((w) => w.piece === 0 && w.code);
    // A tool said last, after in, to or from, is where something is when the question names another
    // tool or says that something stayed there ("the files are still in hdfs"); else it is what the
    // question is about ("how are files stored in hdfs", "minor and major compaction in hbase").
    const placeLast =
      last !== undefined && last.piece > 0 && PLACE_WORDS.test(last.previousPiece ?? '') && read.some((w) => w !== last && (this.topicOfKeyword.has(w.token) || STAYED.test(w.raw)));
    for (const w of read) {
      // A word still being typed is the start of one ("worksp"), not a misspelt stopword ("works").
      // But a misspelt word the cards write is that word ("terraform inti", "airflow senor"), unless it
      // is a question word with two letters swapped ("waht").
      if (this.vocabulary.id(w.token) === undefined && !(partial && w === last) && misspeltStopword(w.raw) && (swappedStopword(w.raw) || !this.misspeltName(w))) continue;
      if (this.addressee(w)) continue;
      // ... unless that name is the whole question and no card writes a part of it: nobody asks about
      // a table of theirs by its name alone, so "innodb_buffer_pool_size" asks about what no card
      // knows, not about buffers and pools.
      if (w.code && w.pieceText.length <= MAX_NAME_CHARS && !lone && this.chosenName(w)) continue;
      // An unknown camel-case word is read in parts, unless it is a misspelt known word ("reduceByKye")
      // or the start of a name being typed ("NodeMan").
      const typedName = partial && w === last && this.withPrefix(w.token, true).length > 0;
      const parts = w.parts.length > 0 ? w.parts : this.glued(w.raw);
      const own = parts.length > 0 && this.vocabulary.id(w.token) === undefined && !typedName && this.typos.corrections(w.token).length === 0 ? parts : [w.token];
      words.push(...own);
      typed.push(...(own.length === 1 ? [w.raw] : own));
      if (own.length === 1) rawOf.set(own[0]!, w.raw);
      const chosen = argumentPieces.has(w.piece) || readersOwn.has(w.raw) || (operands.has(w.raw) && !this.nameWords[this.vocabulary.id(w.token) ?? -1]);
      for (const t of own) (chosen ? argument : said).add(t);
      const place = w === last && placeLast;
      if (!place && (!LITERAL.test(w.pieceText) || w.raw === URI_SCHEME.exec(w.pieceText)?.[1]?.toLowerCase())) for (const t of own) asName.add(t);
    }
    // A compound ("name node" as "namenode", "external task sensor" as "ExternalTaskSensor") is one
    // more reading of its words, not a replacement: "lock file" must still find "lock file" before "lockfile".
    const compounds = new Map<string, Map<number, number>>();
    for (let i = 0; i + 1 < words.length; i++) {
      for (let n = 2; n <= MAX_COMPOUND_WORDS && i + n <= words.length; n++) {
        // As typed ("resource manager"), then stemmed and perhaps misspelt ("resource manger").
        const compound = this.nameWord(typed.slice(i, i + n).join('')) ?? (n === 2 ? this.compound(words[i]!, words[i + 1]!) : undefined);
        if (!compound) continue;
        for (const w of words.slice(i, i + n)) compounds.set(w, new Map([...(compounds.get(w) ?? []), [compound.token, compound.similarity]]));
      }
    }
    const out: QueryToken[] = [];
    // A bare number or ordinal ("300 runs", "the 5th", "10x slower") says little unless a name holds it ("acks 0"), and
    // numbers alone ("1 2": a button pressed where there is none) say nothing.
    const number = (w: string) => /^\d+(?:st|nd|rd|th)?$/.test(w);
    const unique = words.every(number) ? [] : [...new Set(words)].filter((w) => !number(w) || this.nameWords[this.vocabulary.id(w) ?? -1]);
    unique.forEach((token, i) => {
      const typing = partial && i === unique.length - 1 && token === words[words.length - 1];
      const candidates = this.candidates(token, typing, rawOf.get(token));
      for (const [word, sim] of compounds.get(token) ?? []) candidates.set(word, Math.max(candidates.get(word) ?? 0, sim));
      // A stopword being typed that starts no name ("airflow what") is the question word it looks like.
      if (typing && candidates.size === 0 && isStopword(token)) return;
      const best = bestCandidate(candidates);
      const bestSim = best === undefined ? 0 : candidates.get(best)!;
      // A misspelt topic word ("kafak") still names its topic.
      const topic = this.topicOfKeyword.get(token) ?? (best !== undefined && bestSim >= TOPIC_TYPO_SIMILARITY ? this.topicOfKeyword.get(this.vocabulary.words[best]!) : undefined);
      const asArgument = argument.has(token) && !said.has(token) ? ARGUMENT_WEIGHT : 1;
      // A distant reading is a guess ("tho" as two, "deal" as dead): it weighs as much as it is sure.
      const known = best !== undefined ? this.idf[best]! * (bestSim < GUESS_SIMILARITY ? bestSim : 1) : this.maxIdf;
      out.push({ token, topic, asName: asName.has(token), candidates, weight: asArgument * known });
    });
    return out;
  }

  /**
   * Whether a word the cards never write is a misspelt word they do: two letters swapped ("inti" of
   * init), or one letter off a word cards are named by ("senor" of sensor, "cunt" of count).
   */
  private misspeltName(w: QueryWord): boolean {
    if (swaps(w.token).some((s) => this.vocabulary.id(s) !== undefined)) return true;
    if (w.raw.length >= 4) return this.typos.corrections(w.token).some((c) => this.nameWords[this.vocabulary.id(c.token)!] && editDistance(c.token, w.token) <= 1);
    return false;
  }

  /**
   * Two words run together with the space left out, as those two words; else none: a topic's word and
   * a word a card is named by ("sparkshuffle", "airflowpool"; "kafkaesque" is no question about Kafka),
   * or two words that together are a card's name ("incrementalmodels", "standbynamenode"). (Any two
   * words run together were read so too, twice: once any two words of the cards, once any two words
   * cards are named by; each time a question about no card of a held-out set then found one.)
   */
  private glued(raw: string): string[] {
    const named = (w: string) => this.nameWords[this.vocabulary.id(w) ?? -1] === 1;
    for (let i = 3; i <= raw.length - 3; i++) {
      const [first, rest] = [stem(raw.slice(0, i)), stem(raw.slice(i))];
      if (this.topicOfKeyword.has(first) && named(rest)) return [first, rest];
    }
    if (this.exactlyNamed(raw).length > 0) {
      for (let i = 2; i <= raw.length - 2; i++) {
        const [first, rest] = [stem(raw.slice(0, i)), stem(raw.slice(i))];
        if (named(first) && named(rest)) return [first, rest];
      }
    }
    return [];
  }

  /**
   * Who the question is addressed to ("@bob what is ...", "hey alice, how do ..."), not what it is
   * about: a made-up name a card's example uses ("user bob") would otherwise pull the question
   * there. Not a word a card is named by ("@task", "hey xcom question") nor a tool ("hey spark folks").
   */
  private addressee(w: QueryWord): boolean {
    if (!w.pieceText.startsWith('@') && !(w.piece === 1 && GREETING.test(w.previousPiece ?? ''))) return false;
    if (SCHEDULE_PRESET.test(w.pieceText)) return false;
    const id = this.vocabulary.id(w.token);
    return (id === undefined || this.nameWords[id] === 0) && !this.topicOfKeyword.has(w.token);
  }

  /**
   * A word written in code that no card writes, nor its camel-case parts: a name somebody chose
   * ("myscript.pig", "/user/me", "my_postgres"), which says nothing about the concept.
   */
  private chosenName(w: QueryWord): boolean {
    if (this.vocabulary.id(w.token) !== undefined) return false;
    if (w.parts.length > 0 && w.parts.every((p) => this.vocabulary.id(p) !== undefined)) return false;
    return this.typos.corrections(w.token).length === 0;
  }

  /**
   * Two words written apart that a name writes as one ("name node"), or undefined. A misspelt
   * pair ("resource manger") is corrected only when one of its words is not a known word.
   */
  private compound(first: string, second: string): { token: number; similarity: number } | undefined {
    const word = stem(`${first}${second}`);
    const named = this.nameWord(`${first}${second}`);
    if (named) return named;
    if (word.length < 8 || (this.vocabulary.id(first) !== undefined && this.vocabulary.id(second) !== undefined)) return undefined;
    for (const c of this.typos.corrections(word)) {
      const fixed = this.vocabulary.id(c.token);
      if (c.similarity >= 0.8 && fixed !== undefined && this.nameWords[fixed]) return { token: fixed, similarity: c.similarity * COMPOUND_SIMILARITY };
    }
    return undefined;
  }

  /** Words written together that a name holds as one word ("externaltasksensor"), or undefined. */
  private nameWord(joined: string): { token: number; similarity: number } | undefined {
    const id = this.vocabulary.id(stem(joined));
    return id !== undefined && this.nameWords[id] ? { token: id, similarity: COMPOUND_SIMILARITY } : undefined;
  }

  private candidates(token: string, typing: boolean, raw?: string): Map<number, number> {
    const found = new Map<number, number>();
    const id = this.vocabulary.id(token);
    if (id !== undefined) {
      found.set(id, 1);
      // A word no card writes as typed, whose stem only another form gives ("taks" and "tak": tak, of
      // "taking"), may be a misspelt word cards are named by (task).
      if (raw && !this.nameWords[id] && !this.writtenSet.has(raw)) this.readAsWritten(raw, found, (term) => term !== id && this.nameWords[term] === 1);
    } else {
      // A misspelt plural keeps its "s" when the typo leaves it after a "u" or an "i" ("gropus"): read without it too.
      let corrections = this.typos.corrections(token);
      if (corrections.length === 0 && /[iu]s$/.test(token) && token.length >= 5) corrections = this.typos.corrections(token.slice(0, -1));
      for (const c of corrections) found.set(this.vocabulary.id(c.token)!, c.similarity);
      // ... and read as written, against the words as the cards write them ("thraeds": threads).
      if (raw) this.readAsWritten(raw, found, () => true);
    }
    if (typing || (id === undefined && token.length >= 4)) {
      for (const word of this.withPrefix(token, typing)) {
        const wid = this.vocabulary.id(word)!;
        if (!found.has(wid)) found.set(wid, typing ? 0.9 : PREFIX_SIMILARITY);
      }
    }
    return found;
  }

  /** Adds to `found` the terms of the written words `raw` may be a misspelling of (those `accept` takes). */
  private readAsWritten(raw: string, found: Map<number, number>, accept: (term: number) => boolean): void {
    for (const c of this.writtenTypos.corrections(raw)) {
      const term = this.vocabulary.id(stem(c.token));
      if (term !== undefined && accept(term)) found.set(term, Math.max(found.get(term) ?? 0, c.similarity));
    }
  }

  private withPrefix(prefix: string, typing: boolean): string[] {
    let lo = 0;
    let hi = this.sortedWords.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedWords[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    const most = typing ? 40 : 8;
    for (let i = lo; i < this.sortedWords.length && out.length < most; i++) {
      const word = this.sortedWords[i]!;
      if (!word.startsWith(prefix)) break;
      if (word === prefix) continue;
      if (typing ? this.nameWords[this.vocabulary.id(word)!] : prefix.length >= PREFIX_SHARE * word.length) out.push(word);
    }
    return out;
  }

  private score(doc: number, topicTokens: QueryToken[], reading: Reading, steer: Set<string>, e: Evidence, exact: boolean, keyed: boolean, comparing: boolean, sides?: ComparedSides): Ranked {
    const concept = this.concepts[doc]!;
    let topicNamed = 0;
    const names = this.names.of(doc);
    const name = this.alignment(names, reading);
    if (topicTokens.length) {
      for (const n of names) {
        let held = 0;
        for (const q of topicTokens) if (similarity(q, n) > 0) held++;
        topicNamed = Math.max(topicNamed, held / topicTokens.length);
      }
    }
    const asked = this.alignment(this.asked.of(doc), reading);
    const features: Features = {
      name: exact ? 1 : name.f,
      asked: asked.f,
      cover: e.cover,
      text: e.text,
      topicNamed,
      inTopic: steer.has(concept.topic) ? 1 : 0,
      exact: exact ? 1 : 0,
      keyed: keyed ? 1 : 0,
      // A comparison of what the question compares: it names both sides ("airflow vs oozie" is not Oozie vs ZooKeeper),
      // whatever else the question says of them ("count or for_each for a list of buckets").
      versus: comparing && COMPARES.test(concept.title) && (sides ? this.namesBoth(doc, sides) : name.recall >= 0.4) ? 1 : 0,
    };
    return { doc, score: rankScore(features), features };
  }

  /**
   * The question as alignment reads it, worked out once for all its cards: per word id it may
   * mean, the similarity to each of its words (and the best of them). Its rows are released when
   * ranking ends.
   */
  private reading(tokens: QueryToken[], content: QueryToken[], contentWeight: number): Reading {
    const width = tokens.length + 1;
    const terms: number[] = [];
    for (const q of tokens) for (const term of q.candidates.keys()) if (this.rowOf[term] === -1) this.rowOf[term] = terms.push(term) - 1;
    const sims = new Float64Array(terms.length * width);
    tokens.forEach((q, i) => {
      for (const [term, sim] of q.candidates) {
        const at = this.rowOf[term]! * width;
        sims[at + i] = sim;
        if (sim > sims[at + tokens.length]!) sims[at + tokens.length] = sim;
      }
    });
    return { terms, sims, size: tokens.length, contentWeights: tokens.map((q) => (content.includes(q) ? q.weight : 0)), contentWeight, recalled: new Float64Array(tokens.length) };
  }

  /**
   * How well the best of these phrases lines up with the question: the share of the question it
   * explains (recall) against the share of the phrase the question asks about (precision), as an F
   * measure; beta above 1 favours recall (long asked phrases).
   */
  private alignment(phrases: Int32Array[], reading: Reading, beta = 1) {
    const { sims, size, contentWeights, contentWeight, recalled } = reading;
    let f = 0;
    let recall = 0;
    const b2 = beta * beta;
    for (const phrase of phrases) {
      let covered = 0;
      let total = 0;
      recalled.fill(0);
      for (const t of phrase) {
        const w = this.alignWeight[t]!;
        total += w;
        const slot = this.rowOf[t]!;
        if (slot < 0) continue;
        const at = slot * (size + 1);
        covered += w * sims[at + size]!;
        for (let i = 0; i < size; i++) if (sims[at + i]! > recalled[i]!) recalled[i] = sims[at + i]!;
      }
      let explained = 0;
      for (let i = 0; i < size; i++) explained += contentWeights[i]! * recalled[i]!;
      const r = explained / contentWeight;
      const p = total > 0 ? covered / total : 0;
      const score = r + p > 0 ? ((1 + b2) * r * p) / (b2 * p + r) : 0;
      if (score > f) f = score;
      if (r > recall) recall = r;
    }
    return { f, recall };
  }
}

/** A question as alignment reads it (see SearchIndex.reading). */
interface Reading {
  /** The word ids the question may mean, each with a row (SearchIndex.rowOf) in sims. */
  terms: number[];
  /** Per row: similarity to each word of the question, then the best of them. */
  sims: Float64Array;
  size: number;
  /** Weight of each word of the question that counts in recall (0 for a topic word beside others). */
  contentWeights: number[];
  contentWeight: number;
  /** Scratch: per word of the question, the best similarity of a phrase's words to it. */
  recalled: Float64Array;
}

type ComparedSides = [string[], string[]];

/**
 * Where the words the asker adds of their own begin, from `end` back to no lower than `floor`: words
 * nobody wrote about and stopwords ("kafka acks jeff", "what is xcom blah"), never a topic's word.
 */
function beforeOwnWords(words: readonly string[], end: number, floor: number, unknownWords: ReadonlySet<string>, isTopicWord: (w: string) => boolean = () => false): number {
  let at = end;
  while (at > floor && (unknownWords.has(stem(words[at - 1]!)) || isStopword(words[at - 1]!)) && !isTopicWord(words[at - 1]!)) at--;
  return at;
}

/** The words both sides of a comparison hold. */
function bothSides([left, right]: ComparedSides): Set<string> {
  return new Set(left.filter((w) => right.includes(w)));
}

/** The likeliest reading of a question word (the vocabulary word it resembles most). */
function bestCandidate(candidates: Map<number, number>): number | undefined {
  let best: number | undefined;
  let bestSim = 0;
  for (const [word, sim] of candidates) if (sim > bestSim) [best, bestSim] = [word, sim];
  return best;
}

/** Builds an index's state from its cards (what the SearchIndex constructor does without a snapshot). */
function buildState(concepts: Concept[], topics: Topic[], notCoveredPhrases: string[]): IndexState {
  const vocabulary = new Vocabulary();
  const notCovered = notCoveredPhrases.map((phrase) => ({ phrase, words: ` ${rawWords(phrase).join(' ')} `, token: stem(rawWords(phrase)[0] ?? '') }));
  const topicIds = [...new Set([...topics.map((t) => t.id), ...concepts.map((c) => c.topic)])];
  const topicOfDoc = Uint8Array.from(concepts, (c) => topicIds.indexOf(c.topic));
  const topicOfKeyword = new Map<string, string>();
  const toolDocs = new Map<string, number[]>();
  const docsOf = (topic: string) => {
    const t = topicIds.indexOf(topic);
    return Array.from(topicOfDoc.keys()).filter((d) => topicOfDoc[d] === t);
  };
  for (const topic of topics) {
    topicOfKeyword.set(stem(topic.id), topic.id);
    for (const k of topic.keywords) topicOfKeyword.set(stem(k), topic.id);
    for (const sub of topic.subtopics ?? []) {
      const keywords = sub.names.filter((name) => topic.keywords.includes(name));
      if (!keywords.length) continue;
      const holds = slugMatcher(sub.concepts);
      const docs = docsOf(topic.id).filter((d) => holds(concepts[d]!.slug));
      for (const k of keywords) toolDocs.set(stem(k), docs);
    }
  }
  // A word written in the cards is read once per build, however many cards use it (see WrittenWords).
  const written = new WrittenWords();
  const wordsOf = (text: string): Int32Array => written.ids.subarray(0, written.read(plainText(text)));
  const nameTokenOf: (string | null)[] = [];
  /** As tokenize(text). */
  const nameTokens = (text: string): string[] => {
    const out: string[] = [];
    for (const w of wordsOf(text)) {
      let token = nameTokenOf[w];
      if (token === undefined) token = nameTokenOf[w] = wordToken(written.words[w]!) ?? null;
      if (token !== null) out.push(token);
    }
    return out;
  };
  const lowerOf: string[] = [];
  /** As exactKey(text). */
  const exactKeyOf = (text: string): string => {
    let key = '';
    for (const w of wordsOf(text)) key += lowerOf[w] ??= written.words[w]!.toLowerCase();
    return key;
  };
  /** As tokenizeDocument(text). */
  const documentTokensOf = (text: string): string[] => {
    const out: string[] = [];
    for (const w of wordsOf(text)) for (const t of documentTokens(written.words[w]!)) out.push(t);
    return out;
  };
  // Term ids of a card's text. Most words are one term: that term's id is kept as a number, not as an array of one.
  const termsOf: (number | number[])[] = [];
  let buffer = new Int32Array(4096);
  const termIds = (text: string): Int32Array => {
    let n = 0;
    for (const word of wordsOf(text)) {
      let ids = termsOf[word];
      if (ids === undefined) {
        const terms = documentTokens(written.words[word]!).map((t) => vocabulary.add(t));
        ids = terms.length === 1 ? terms[0]! : terms;
        termsOf[word] = ids;
      }
      const count = typeof ids === 'number' ? 1 : ids.length;
      if (n + count > buffer.length) {
        const larger = new Int32Array(buffer.length * 2 + count);
        larger.set(buffer);
        buffer = larger;
      }
      if (typeof ids === 'number') buffer[n++] = ids;
      else for (const id of ids) buffer[n++] = id;
    }
    return buffer.slice(0, n);
  };
  const exactNames = new Map<string, number[]>();
  const keys = new Map<string, number[]>();
  // A setting or flag a card names itself by (an alias such as `retention.ms`) is that card's, however
  // many others mention it. Not a snake-case value such as a state (`upstream_failed`): cards about
  // what leads to it write it as much as the card that lists it.
  const namedKeys = new Map<string, number[]>();
  const builders = FIELDS.map(() => new PostingsBuilder());
  const names: Int32Array[][] = [];
  const asked: Int32Array[][] = [];
  concepts.forEach((concept, i) => {
    // A name that reads as a topic word alone because its other word is a question word ("dbt show",
    // "terraform get") would name every question about the topic: it is found written out (exactNames).
    const topicOnly = (name: string, tokens: string[]) => tokens.length === 1 && topicOfKeyword.has(tokens[0]!) && rawWords(name).filter((w) => w !== 'apache').length > 1;
    // A one-word flag ("--select", "--target") names the card only as a flag, which its key does: as a word it is plain English or SQL.
    const nameTexts = [concept.title, ...concept.aliases.filter((a) => !/^--[a-z]+$/i.test(a.trim())), concept.slug.replace(/-/g, ' ')];
    const cardNames = distinctPhrases(nameTexts.map(nameTokens).filter((tokens, n) => !topicOnly(nameTexts[n]!, tokens)));
    // An asked phrase that is only topic words ("what does >> mean in airflow") says nothing.
    const cardAsked = distinctPhrases([...concept.questions, ...concept.errors].map(documentTokensOf)).filter((p) => p.some((t) => !topicOfKeyword.has(t)));
    for (const name of [concept.title, ...concept.aliases]) {
      addTo(exactNames, exactKeyOf(name), i);
    }
    // Not the example: its names (user_id, sales_daily) are made up.
    const written = [concept.title, ...concept.aliases, ...concept.questions, ...concept.errors, concept.summary, concept.body, ...concept.keys.map((k) => k.key)].join(' ');
    for (const key of [...configKeys(written), ...codeNames(written), ...toolFiles(written)]) addTo(keys, key, i);
    const named = [concept.title, ...concept.aliases].join(' ');
    for (const key of [...[...configKeys(named)].filter((k) => /[.]|^-|__/.test(k)), ...codeNames(named), ...hyphenNames(named), ...settings(named), ...toolFiles(named)]) addTo(namedKeys, key, i);
    const nameIds = cardNames.map((n) => Int32Array.from(n, (t) => vocabulary.add(t)));
    const askedIds = cardAsked.map((n) => Int32Array.from(n, (t) => vocabulary.add(t)));
    builders[0]!.addIds(joined(nameIds));
    builders[1]!.addIds(joined(askedIds));
    builders[2]!.addIds(termIds(concept.summary));
    // The quiz questions ask about the concept in a learner's words: more ways in, weighed as body.
    builders[3]!.addIds(termIds([concept.body, concept.example ?? '', ...concept.quiz.map((q) => q.question)].join(' ')));
    names.push(nameIds);
    asked.push(askedIds);
  });
  for (const [key, namers] of namedKeys) keys.set(key, namers);
  const writtenForms = [...new Set(written.words.map((w) => w.toLowerCase()))].filter((w) => /^[a-z]+$/.test(w));
  const size = vocabulary.size;
  const fields = builders.map((b) => b.build(size));
  const fieldNorms = fields.map((p, f) => {
    const field = FIELDS[f]!;
    const b = PARAMS.lengthNorm[field];
    return Float32Array.from(p.lengths, (length) => PARAMS.fieldWeight[field] / (1 - b + (b * length) / (p.averageLength || 1)));
  });
  const n = Math.max(concepts.length, 1);
  const idf = new Float32Array(size);
  const df = new Int32Array(size);
  // A word's document frequency counts a card once, whichever of its fields hold the word.
  const marked = new Int32Array(concepts.length).fill(-1);
  for (let t = 0; t < size; t++) {
    let count = 0;
    for (const f of fields) {
      for (let p = f.starts[t]!; p < f.starts[t + 1]!; p++) {
        const d = f.docs[p]!;
        if (marked[d] !== t) {
          marked[d] = t;
          count++;
        }
      }
    }
    df[t] = count;
    idf[t] = Math.log(1 + n / Math.max(count, 1));
  }
  const nameWords = new Uint8Array(size);
  for (const cardNames of names) for (const name of cardNames) for (const t of name) nameWords[t] = 1;
  return {
    vocabulary,
    fields,
    fieldNorms,
    names: CardPhrases.of(names),
    asked: CardPhrases.of(asked),
    idf,
    df,
    maxIdf: Math.log(1 + n),
    sortedWords: [...vocabulary.words].sort(),
    nameWords,
    topicOfKeyword,
    topicOfDoc,
    topicIds,
    toolDocs,
    exactNames,
    keys,
    listedForms: listedFormsOf(concepts),
    notCovered,
    writtenForms,
  };
}

/** Term ids of several phrases, one after another. */
function joined(phrases: Int32Array[]): Int32Array {
  const out = new Int32Array(phrases.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of phrases) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Phrases (as tokens) without the empty ones and repeats. */
function distinctPhrases(phrases: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const tokens of phrases) {
    const key = tokens.join(' ');
    if (tokens.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(tokens);
  }
  return out;
}

/** The k items with the highest key, in their original order. */
function best<T>(items: T[], k: number, key: (item: T) => number): T[] {
  if (items.length <= k) return items;
  const keys = Float64Array.from(items, key);
  const threshold = kthLargest(keys.slice(), k);
  const out: T[] = [];
  for (let i = 0; i < items.length && out.length < k; i++) if (keys[i]! > threshold) out.push(items[i]!);
  for (let i = 0; i < items.length && out.length < k; i++) if (keys[i] === threshold) out.push(items[i]!);
  return out;
}

/** The k-th largest value (quickselect; reorders `values`). */
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const v = values[i]!;
        values[i] = values[j]!;
        values[j] = v;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}

/** Position of `doc` in docs[from, to) (sorted), or -1. */
function findDoc(docs: Int32Array, from: number, to: number, doc: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid]! < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && docs[lo] === doc ? lo : -1;
}

/** A UUID, or a run of letters and digits with three digits or more ("6f1c2b9e", "s20250101"): an ID, not a name. */
const OWN_ID = /(?<![\w.-])(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|(?=(?:[a-z]*\d){3})(?=\d*[a-z])[a-z\d]{6,})(?![\w.-])/gi;

/**
 * A question that is one dotted or snake-case key, maybe with its value ("shared_buffers",
 * "log.dirs=/data"). One run of key characters, then its dot or underscore found apart: a pattern
 * that told its parts apart itself would try every split of "a_a_a_…!" (exponential).
 */
function isLoneKey(text: string): boolean {
  return /^\s*[A-Za-z][\w.-]*\s*(?:[=:]\s*\S*\s*)?$/.test(text) && /[A-Za-z0-9][._][\w-]/.test(text);
}
const KEY = /(?:^|[^\w.-])(--?[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[a-z][a-z0-9]*(?:[._]+[a-z0-9]+)+)/gi;
/** Where a key may be: a dot or underscore before a letter or digit, or a dash (two, or one at a word's start). */
const KEY_MARK = /[._][A-Za-z0-9]|--[A-Za-z]|(?<![\w-])-[A-Za-z]/g;

/**
 * Config keys, CLI flags and dotted or snake-case names a text writes, lowercase: "group.id",
 * "--select", "-target", "AIRFLOW__CORE__EXECUTOR", "df.cache()" as df.cache; not plain words nor versions.
 * Only the runs of key characters around a mark are read: a card's prose has few of them.
 */
function configKeys(text: string): Set<string> {
  const found = new Set<string>();
  let readTo = -1;
  for (const mark of text.matchAll(KEY_MARK)) {
    if (mark.index < readTo) continue;
    let from = mark.index;
    while (from > 0 && isKeyChar(text.charCodeAt(from - 1))) from--;
    readTo = mark.index;
    while (readTo < text.length && isKeyChar(text.charCodeAt(readTo))) readTo++;
    for (const m of text.slice(from, readTo).matchAll(KEY)) found.add(m[1]!.toLowerCase());
  }
  return found;
}

/** Names written in camel case ("LocalExecutor", "flatMap", "NotEnoughReplicasException", "BZip2Codec"), lowercase; not the parts of a dotted key. */
function codeNames(text: string): Set<string> {
  // Found from where case turns (cheap to find) rather than by a pattern tried at every word: each card's whole text is read at build.
  const found = new Set<string>();
  let readTo = 0;
  for (const mark of text.matchAll(CASE_TURN)) {
    if (mark.index < readTo) continue;
    let from = mark.index;
    while (from > 0 && isAlphanumeric(text.charCodeAt(from - 1))) from--;
    readTo = mark.index + 1;
    while (readTo < text.length && isAlphanumeric(text.charCodeAt(readTo))) readTo++;
    const word = text.slice(from, readTo);
    // A turn after the first letter: "mTLS" is an abbreviation, "flatMap" a name.
    const before = text.charCodeAt(from - 1);
    // A class named in full ends its package's dotted name: org.apache.spark.shuffle.FetchFailedException writes FetchFailedException.
    const classOfPackage = before === 46 && isCapital(word.charCodeAt(0)) && isLowercase(text.charCodeAt(from - 2));
    if (isLetter(word.charCodeAt(0)) && (!isNameOrDot(before) || classOfPackage) && !isNameOrDot(text.charCodeAt(readTo)) && TURNS.test(word.slice(1))) found.add(word.toLowerCase());
  }
  return found;
}

/** A lower-case letter or digit, then a capital: where a camel-case name turns ("flat|Map"). */
const CASE_TURN = /[a-z0-9][A-Z]/g;
const TURNS = new RegExp(CASE_TURN.source);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isCapital(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLowercase(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isAlphanumeric(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57);
}

/** A letter, digit, underscore or dot (NaN, outside the text, is none). */
function isNameOrDot(c: number): boolean {
  return isAlphanumeric(c) || c === 95 || c === 46;
}

/** Names written with hyphens ("on-run-end", "local-exec", "kafka-consumer-groups"), lowercase. */
function hyphenNames(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(/(?<![\w.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w.-])/gi), (m) => m[0].toLowerCase()));
}

/** A tool's shell script ("kafka-features.sh", "zkCli.sh"), not one somebody named ("init.sh"): a hyphen or a capital in its name. */
const SCRIPT = /^[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*|(?:-[A-Za-z0-9]+)+)\.sh$/;

/** A tool's scripts and dot files a text names, lowercase. */
function toolFiles(text: string): Set<string> {
  const found = scripts(text);
  for (const m of text.matchAll(DOTFILE)) found.add(m[0].toLowerCase());
  return found;
}

/** Tool scripts a text names, lowercase: found from their ".sh" (cheap to find), as codeNames does. */
function scripts(text: string): Set<string> {
  const found = new Set<string>();
  for (const { index } of text.matchAll(/\.sh\b/g)) {
    let from = index!;
    while (from > 0 && (isAlphanumeric(text.charCodeAt(from - 1)) || text.charCodeAt(from - 1) === 45)) from--;
    const name = text.slice(from, index! + 3);
    if (!isNameOrDot(text.charCodeAt(from - 1)) && SCRIPT.test(name)) found.add(name.toLowerCase());
  }
  return found;
}

/**
 * A file or folder named with a leading dot (".airflowignore", ".terraform.lock.hcl", ".snapshot"),
 * not a method (".count()") nor a file extension (".gz", ".tf", ".parquet"): its first part is long.
 */
const DOTFILE = /(?<![\w./*-])\.[a-z][a-z0-9_-]{7,}(?:\.[a-z0-9_-]+)*(?![\w(-])/gi;

/** A setting written with its value ("acks=1", "catchup=False", "materialized='incremental'", "sensitive = true"). */
const SETTING = /(?<![\w.-])(-{0,2}[a-z][\w.-]*) ?= ?["']?([\w-]+)["']?(?![\w=.])/gi;

/** Settings written with their value, lowercase and unquoted ("acks=1"): a card named by one is that value's card. */
function settings(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(SETTING), (m) => `${m[1]}=${m[2]}`.toLowerCase()));
}

/** A key's leading parts that still read as keys, longest first: "airflow_conn_my_db" gives airflow_conn_my, airflow_conn. */
function leadingParts(key: string): string[] {
  const parts: string[] = [];
  for (let end = key.length - 1; end > 0; end--) {
    if (key[end] !== '.' && key[end] !== '_') continue;
    const head = key.slice(0, end);
    if (/[._][A-Za-z0-9]/.test(head)) parts.push(head);
  }
  return parts;
}

/** A letter, digit, dot, underscore or dash. */
function isKeyChar(c: number): boolean {
  return isNameOrDot(c) || c === 45;
}

/**
 * The first clause of a question that opens by asking what something is ("whats a partition in
 * kafka, like a shard?"), or with a name alone and then what it is like ("zk, what's it for?"),
 * when more follows it.
 */
function firstClause(said: string): FirstClause | undefined {
  const first = WHAT_IS_FIRST.exec(said) ?? WHAT_DOES_FIRST.exec(said) ?? NAME_FIRST.exec(said) ?? NAME_THEN_MORE.exec(said);
  if (!first || first[0].trim().length >= said.trim().length) return undefined;
  const text = first[1]!;
  // Its words without the stopwords it opens and closes with ("a partition in kafka actually").
  const words = rawWords(text);
  let [from, to] = [0, words.length];
  while (from < to && isStopword(words[from]!)) from++;
  while (to > from && isStopword(words[to - 1]!)) to--;
  return { text, words: words.slice(from, to) };
}

interface FirstClause {
  text: string;
  words: string[];
}

/** A key's dotted parts, when it has three or more and none is empty. */
function dottedParts(key: string): string[] | undefined {
  const parts = key.split('.');
  return parts.length >= 3 && parts.every(Boolean) ? parts : undefined;
}

/** A dotted key with its `i`th part left out: the keys a misspelling of that part may mean share it. */
function shapeOf(parts: readonly string[], i: number): string {
  return [...parts.slice(0, i), '', ...parts.slice(i + 1)].join('.');
}

/** The cards' dotted keys of three parts or more, by each shape (see shapeOf), and every part they have. */
function dottedKeysByParts(keys: Iterable<string>): { byShape: Map<string, string[]>; parts: Set<string> } {
  const byShape = new Map<string, string[]>();
  const parts = new Set<string>();
  for (const key of keys) {
    const split = dottedParts(key);
    if (!split) continue;
    split.forEach((part, i) => {
      parts.add(part);
      addTo(byShape, shapeOf(split, i), key);
    });
  }
  return { byShape, parts };
}

/** The keys cards list, by their longest word (lowercase) and by how search reads a key of one part. */
interface ListedKeys {
  byWord: Map<string, Array<{ doc: number; key: ConceptKey; written: string }>>;
  byForm: Map<string, Array<{ doc: number; key: ConceptKey }>>;
}

function listedKeysOf(concepts: readonly Concept[], listedForms: ReadonlyArray<[string, number, number]>): ListedKeys {
  const listed: ListedKeys = { byWord: new Map(), byForm: new Map() };
  concepts.forEach((concept, doc) => {
    for (const key of concept.keys) {
      const written = key.key.toLowerCase();
      const word = (written.match(/[a-z0-9]+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
      if (word) addTo(listed.byWord, word, { doc, key, written });
    }
  });
  for (const [form, doc, at] of listedForms) addTo(listed.byForm, form, { doc, key: concepts[doc]!.keys[at]! });
  return listed;
}

/** See IndexState.listedForms. A key of several parts ("hdfs dfsadmin -report -inmaintenance") is asked for whole, not by one of its flags. */
function listedFormsOf(concepts: readonly Concept[]): Array<[string, number, number]> {
  const listed: Array<[string, number, number]> = [];
  concepts.forEach((concept, doc) =>
    concept.keys.forEach((key, at) => {
      const forms = writtenKeys(key.key);
      if (forms.size === 1) listed.push([[...forms][0]!, doc, at]);
    }),
  );
  return listed;
}

/** A dotted key with its numbered parts as `#` (server.2 and server.1 are both server.#); none without one. */
function numberedShape(key: string): string | undefined {
  const shape = key.replace(/(?<=\.)\d+(?=\.|$)/g, '#');
  return shape === key ? undefined : shape;
}

/** Keys by what `by` makes of each (left out where it makes nothing). */
function keysBy(keys: Iterable<string>, by: (key: string) => string | undefined): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const key of keys) {
    const at = by(key);
    if (at !== undefined) addTo(grouped, at, key);
  }
  return grouped;
}

/** The method of a key of two parts ("lookup" of rdd.lookup). */
function methodOf(key: string): string | undefined {
  const parts = key.split('.');
  return parts.length === 2 && parts[0] && parts[1] ? parts[1] : undefined;
}

/** Cards by each leading part of three parts or more of the dotted keys they write or list. */
function keyFamiliesOf(written: ReadonlyMap<string, readonly number[]>, concepts: readonly Concept[]): Map<string, Set<number>> {
  const families = new Map<string, Set<number>>();
  const add = (key: string, doc: number) => {
    const parts = dottedParts(key);
    if (!parts) return;
    for (let n = 3; n < parts.length; n++) {
      const head = parts.slice(0, n).join('.');
      const docs = families.get(head);
      if (docs) docs.add(doc);
      else families.set(head, new Set([doc]));
    }
  };
  for (const [key, docs] of written) for (const doc of docs) add(key, doc);
  concepts.forEach((concept, doc) => {
    for (const { key } of concept.keys) for (const form of configKeys(key)) add(form, doc);
  });
  return families;
}

/** Adds a value to the list a map holds at a key. */
function addTo<T>(map: Map<string, T[]>, at: string, value: T): void {
  const values = map.get(at);
  if (values) values.push(value);
  else map.set(at, [value]);
}

/** The config keys, flags, code names, settings and file names a text writes, as search reads them. */
function writtenKeys(text: string): Set<string> {
  return new Set([...configKeys(text), ...codeNames(text), ...hyphenNames(text), ...settings(text), ...toolFiles(text)]);
}

/**
 * A name as search looks it up: its words run together, so "count vs foreach" is "count vs for_each"
 * and "name node" is "NameNode" (names are unique compared so: knowledge/README.md).
 */
function exactKey(text: string): string {
  return rawWords(text).join('');
}

function similarity(q: QueryToken, phrase: Int32Array): number {
  let sim = 0;
  for (const t of phrase) sim = Math.max(sim, q.candidates.get(t) ?? 0);
  return sim;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
