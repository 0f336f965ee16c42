import { editDistance } from '../core/text.js';
/** Words that carry no meaning in a question about a concept. Domain words (state, plan, run, map, all, ...) are kept. */
const STOPWORDS = new Set(
  `a an the is are was were be been being am what whats which who whom whose how why when where
   do does did done doing can could should would will shall may might must i im me my we our us you your
   it its this that these those there here of in on at to for from by with without into onto about as
   and or but nor so if then than also too very really just
   explain explained explaining tell describe define definition meaning mean means meant show give please
   know learn understand understanding need want wanna help question thing things stuff something
   s t d ll re ve vs versus difference differences between compare compared comparison
   many much bad good better best happen happens happened go goes going get gets getting put puts
   whatre wheres hows whys ive id youre theyre isnt arent doesnt dont didnt cant cannot wont
   thats theres heres whos
   someone somebody anyone anybody everyone guys folks team hey hi hello ok okay um uh hmm btw
   pls plz plse thx thanks thank ty lol lmao rofl haha omg idk tbh imo quick quickly basically
   actually exactly kinda sorta like purpose point way ways one ones use using used again anything
   look looking work works working ffs halp crazy right yeah yes no apache
   wtf wth smh ngl bruh dude ppl pls plz ur even anymore etc yo wut wat wot whut
   boss coworker coworkers colleague colleagues teammate teammates interview interviewer senior
   cool nice awesome great perfect neat gotcha noob noobs newbie newbies
   tia cheers yall fwiw afaik iirc imho rn sorry dumb stupid idea ideas thoughts appreciated
   they them their theirs he him his she her hers mine yours ours itself themselves
   seem seems seemed apparently gonna gotta nah
   extremely insanely incredibly ridiculously terribly painfully absurdly hella`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Chat phrases that say how to answer, not what about ("eli5", "tl;dr", "in a nutshell"). They are
 * cut before the words are read, so "yarn tl;dr" is a question about YARN.
 */
const CHAT_NOISE = [
  // "explain kafka like i'm five": the words may stand apart.
  /\b(?:explain (?:it )?)?like (?:i'?m|i am) (?:a )?(?:five|5)(?:[- ]years?[- ]old)?\b/gi,
  /\beli5\b/gi,
  /\btl;? ?dr\b/gi,
  /\bin a nutshell\b/gi,
  /\bin (simple|plain|layman'?s?) (terms|english|words)\b/gi,
  /\b(for|to) (a )?(beginners?|newbies?|noobs?|dummies)\b/gi,
  /\breal quick\b/gi,
  /\bquick question\b/gi,
  /\bin one sentence\b/gi,
  /\b(in|under) (\d+|a|an|one|two|three|five|ten|a few|less than (a|one)) (min|mins|minute|minutes|sec|secs|second|seconds|words?|sentences?|lines?|paragraphs?)\b/gi,
  /\b(101|cheat ?sheet|crash course|primer)\b/gi,
  /\b(can|could) (some|any) ?(one|body) (explain|tell me)\b/gi,
  /\bwhat'?s the deal with\b/gi,
  /\bwhat'?s up with\b/gi,
  // Who asked, not what ("my lead told me", "senior dev yelled at me"): see also the stopwords.
  /\b(?:yelled at|told|warned|keeps telling) (?:me|us)\b/gi,
  /\bsenior devs?\b/gi,
  /\b(?:(?:my|our|the) )?(?:manager|boss|lead|team ?lead|tech lead|pm|cto|team|ppl|people|every ?one|every ?body|coworkers?|colleagues?) (?:keeps? (?:saying|telling (?:me|us)|mentioning|asking (?:me|us|for))|said|says|told (?:me|us)|wants|(?:freaked|freaks|freaking|flipped) out)\b/gi,
  /\b(the )?(short|quick|simple|brief) (version|answer)\b/gi,
  // Asking for an opinion is no comparison ("-auto-approve in prod, yay or nay?").
  /\b(?:yay or nay|good idea or not)\b/gi,
  /\basking for a friend\b/gi,
  // "Super" says how much ("super slow"), except in a super user (Kafka's super.users, HDFS's superuser).
  /\bsuper\b(?![\s._-]*users?\b)/gi,
  /\bthanks in advance\b/gi,
];

/**
 * What was pasted around a question is not part of it: terminal colour codes, the address of a
 * Markdown or Slack link (its label stays), and bare URLs.
 */
const PASTED_MARKUP: Array<[RegExp, string]> = [
  [/\x1b\[[0-?]*[ -/]*[@-~]/g, ' '],
  // A link whose label only says it is one ("[docs](...)", "<...|link>") goes whole; any other keeps its label.
  [/\[(?:link|here|this|docs?|documentation|source|url)\]\([^)\s]*\)/gi, ' '],
  [/<(?:https?|mailto):[^|>]*\|(?:link|here|this|docs?|documentation|source|url)>/gi, ' '],
  [/\[([^\]]*)\]\([^)\s]*\)/g, ' $1 '],
  [/<(?:https?|mailto):[^|>]*\|([^>]*)>/gi, ' $1 '],
  [/<?\b(?:https?:\/\/|www\.)[^\s>]*>?/gi, ' '],
  // A Python traceback's frame lines say where, not what: the exception line after them does.
  [/\bTraceback \(most recent call last\):?/gi, ' '],
  [/\bFile "[^"\n]*", line \d+(?:, in \S+)?/g, ' '],
  // ... and so do a Java stack trace's ("at org.apache.kafka...KafkaProducer.doSend(KafkaProducer.java:1030)").
  [/^\s*at [\w$.<>/]+\([^)\n]*\)\s*$/gm, ' '],
  [/^\s*\.\.\. \d+ more\s*$/gm, ' '],
];

/** Chat spellings: "the diff between", "can u", "zk". */
const CHAT_SPELLINGS: Array<[RegExp, string]> = [
  [/\bbtwn\b/gi, 'between'],
  // Short forms said in chat that the cards write out.
  [/\binfra\b/gi, 'infrastructure'],
  [/\bmsgs\b/gi, 'messages'],
  [/\bmsg\b/gi, 'message'],
  [/\bperf\b/gi, 'performance'],
  // The module a Python import names is a name somebody chose, as if quoted ("No module named pandas").
  [/\b(No module named) (?!['"`])([\w.]+)/gi, "$1 '$2'"],
  [/\bdiff(?= (between|btw)\b)|(?<=\b(?:the|any|a) )diff(?=\s*[?!.]*\s*$)/gi, 'difference'],
  // "difference" misspelt ("differnce", "diffrence", "differance"): a comparison all the same.
  [/\b(?!difference\b)dif{1,2}e?r{1,2}[ae]?n[ae]?[cs]e?(s)?\b/gi, 'difference$1'],
  [/(^|\s)u(?=[\s?!,.]|$)/gi, '$1you'],
  // The short name everyone uses for ZooKeeper ("zk quorum", "kafka without zk").
  [/\bzk\b/gi, 'zookeeper'],
  // ... and for Terraform ("tf apply", "a provider in tf"); .tf files and tfstate are written whole.
  [/(?<![.\w])tf\b(?!\.)/gi, 'terraform'],
  // A question that opens by asking for an explanation asks what its subject is ("eli5 hdfs pls, ...").
  [/^\s*(?:eli5|explain like i'?m (?:five|5)|tl;? ?dr|in a nutshell)\s*[:,-]?\s+(?=\w)/i, 'what is '],
  // ... and so does one that opens with a name and then asks for it ("mapreduce eli5 pls, interview tomorrow").
  [/^\s*([\w\- ]{2,40}?)\s+(?:eli5|explain like i'?m (?:five|5)|tl;? ?dr|in a nutshell|in one sentence|for dummies)\b\s*[:,-]?\s*/i, 'what is $1, '],
];

export function withoutChatNoise(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PASTED_MARKUP) out = out.replace(pattern, replacement);
  for (const [pattern, replacement] of CHAT_SPELLINGS) out = out.replace(pattern, replacement);
  for (const pattern of CHAT_NOISE) out = out.replace(pattern, ' ');
  return out;
}

/** Light English stemming: enough to meet "replicas" with "replica" and "caching" with "cache". */
export function stem(word: string): string {
  if (/^\d+$/.test(word) || word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // "uniqueness" asks about unique, "slowness" about slow.
  if (w.endsWith('ness') && w.length >= 8) w = w.slice(0, -4);
  let suffixed = true;
  if (w.endsWith('ing') && w.length >= 6) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length >= 5) w = w.slice(0, -2);
  else suffixed = false;
  // "lagging" and "committed" lose the doubled consonant: lag, commit ("spilled" keeps spill).
  if (suffixed && w.length >= 4 && /([^aeiouylsfz])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** A question longer than this many meaningful words is cut: nobody asks that much at once. */
export const MAX_QUERY_TOKENS = 24;
export const MAX_QUERY_CHARS = 2000;

/** Raw lowercase words of a text, punctuation and mention syntax removed. */
export function rawWords(text: string): string[] {
  return splitWords(text).map((w) => w.toLowerCase());
}

/**
 * Delivery guarantees read as one word each ("exactly-once" as exactlyonce): apart, "exactly",
 * "at", "least" and "most" are fillers, and "once" alone says too little to place a question.
 */
const ONCE_PHRASE = /\b(ex[a-z]{3,7}|at[\s-]*least|at[\s-]*most)[\s-]+once\b/gi;
const ONCE = /once\b/i;

function oneWordPhrases(text: string): string {
  if (!ONCE.test(text)) return text;
  // "exactly" as people type it ("exaclty once", "excatly once"): a word two edits from it, before "once".
  return text.replace(ONCE_PHRASE, (phrase, first: string) => {
    const word = first.toLowerCase();
    if (word.startsWith('at')) return phrase.replace(/[\s-]+/g, '');
    return editDistance(word, 'exactly') <= 2 ? 'exactlyonce' : phrase;
  });
}

/** `>>` or `<<` standing alone (`a >> b`), not closing nested brackets (`array<double>>`). */
const BITSHIFT = /(?<![<>\w])(?:>>|<<)(?![<>])/g;

/**
 * Words as written (case kept), so that "NotEnoughReplicasException" can also be read in parts;
 * "exactly-once" as one word unless `phrases` is false.
 */
export function splitWords(text: string, phrases = true): string[] {
  // Nearly every text has nothing to fold, drop or join (one pass says so): its words are its runs of letters and digits.
  if (!SPECIAL.test(text)) return text.match(WORD) ?? [];
  // NFKD folds accents and compatibility forms ("ﬁ"); plain ASCII, nearly every card, needs none.
  const folded = /[^\x00-\x7f]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  // Airflow's `a >> b` is the only symbol people ask about by itself: it reads as the word its docs use.
  const words = folded.replace(/<[@#!][^>]*>/g, ' ').replace(BITSHIFT, ' bitshift ');
  return (phrases ? oneWordPhrases(words) : words).match(WORD) ?? [];
}

const WORD = /[A-Za-z0-9]+/g;

/** What splitWords folds (not ASCII), drops (a mention) or reads as a word (`>>`, "exactly once"). */
const SPECIAL = /[^\x00-\x7f]|<[@#!]|>>|<<|once/i;

/** A text whose words (runs of ASCII letters and digits) are those splitWords reads in `text`. */
export function plainText(text: string): string {
  return SPECIAL.test(text) ? splitWords(text).join(' ') : text;
}

/** "NotEnoughReplicasException" → not, enough, replicas, exception; undefined for a plain word. */
function camelParts(word: string): string[] | undefined {
  if (!/[a-z0-9][A-Z]|[A-Z]{2}[a-z]/.test(word)) return undefined;
  const parts = word.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g);
  return parts && parts.length > 1 && parts.join('') === word ? parts.map((p) => p.toLowerCase()) : undefined;
}

function keep(word: string): boolean {
  return !STOPWORDS.has(word) && (word.length > 1 || /\d/.test(word));
}

/** Meaningful, stemmed tokens of a text, in order. */
export function tokenize(text: string, maxTokens = Infinity): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    const token = wordToken(word);
    if (token === undefined) continue;
    out.push(token);
    if (out.length >= maxTokens) break;
  }
  return out;
}

/** A written word's token as tokenize reads it (lowercase, stemmed); none for a stopword. */
export function wordToken(word: string): string | undefined {
  const lower = word.toLowerCase();
  return keep(lower) ? stem(lower) : undefined;
}

/** A card's words repeat across thousands of cards: each written form is read once. */
const documentWordCache = new Map<string, readonly string[]>();
const DOCUMENT_CACHE_LIMIT = 200_000;

export function documentTokens(word: string): readonly string[] {
  let tokens = documentWordCache.get(word);
  if (tokens) return tokens;
  const token = wordToken(word);
  const out = token === undefined ? [] : [token];
  for (const part of camelParts(word) ?? []) if (keep(part)) out.push(stem(part));
  tokens = out;
  if (documentWordCache.size >= DOCUMENT_CACHE_LIMIT) documentWordCache.clear();
  documentWordCache.set(word, tokens);
  return tokens;
}

/**
 * Tokens of a card's text for the index: like tokenize, and a word written in camel case also
 * counts as its parts, so a pasted exception name meets a question in plain words.
 */
export function tokenizeDocument(text: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) for (const t of documentTokens(word)) out.push(t);
  return out;
}

/** A word of a question, with the parts it may be read as when the whole word is unknown. */
export interface QueryWord {
  token: string;
  /** As written, lowercase and unstemmed. */
  raw: string;
  parts: string[];
  /** Written inside code (see CODE): an unknown word there is a name somebody chose. */
  code: boolean;
  /** Which whitespace-separated piece of the question it is in, from 0, and that piece. */
  piece: number;
  pieceText: string;
  /** The piece before it, as written. */
  previousPiece?: string;
}

/**
 * A piece of a question written as code: a path, a file name, a dotted, snake-case or assigned
 * name, a call, or a quoted literal ("/user/me", "myscript.pig", "aws_s3_bucket.logs", "'users'").
 */
const CODE = /[/_=(]|\w\.\w|^["'`]/;

/** Words of a question, chat noise removed, bounded however long the input. */
export function queryWords(query: string, typingLast = false): QueryWord[] {
  const out: QueryWord[] = [];
  const pieces = oneWordPhrases(withoutChatNoise(query.slice(0, MAX_QUERY_CHARS))).trim().split(/\s+/);
  for (const [piece, chunk] of pieces.entries()) {
    const code = CODE.test(chunk);
    const words = splitWords(chunk.replace(/(\w)'(\w)/g, '$1$2'));
    for (const [i, word] of words.entries()) {
      const lower = word.toLowerCase();
      // A word still being typed may be the start of a longer one ("work" of workspace): kept.
      const typing = typingLast && piece === pieces.length - 1 && i === words.length - 1 && lower.length > 2;
      if (!typing && !keep(lower)) continue;
      out.push({ token: stem(lower), raw: lower, parts: (camelParts(word) ?? []).filter(keep).map(stem), code, piece, pieceText: chunk, ...(piece > 0 ? { previousPiece: pieces[piece - 1] } : {}) });
      if (out.length >= MAX_QUERY_TOKENS) return out;
    }
  }
  return out;
}

/** A call written in a question: the receiver it is made on, its name, what it is given ("rdd1.cartesian(rdd2)"). */
const CALL = /((?:[A-Za-z_]\w*\.)*)([A-Za-z_]\w*)\(([^()]{0,200})\)?/g;

/** A call written in a question. */
export interface WrittenCall {
  /** Its name and what it is made on, lowercase ("variable.get"; "chain"). */
  qualified: string;
  /** Its name alone ("get"). */
  name: string;
  /** The words it is made on or given. */
  operands: string[];
  /** The words it is given when they are only bare names (`chain(extract, load)`): no quoted text, keyword argument or literal. */
  bare: string[];
  /** The texts it is given in quotes (`Variable.get("s3_bucket")`), not as a keyword argument's value (`materialized='table'`). */
  quoted: string[];
}

/**
 * The calls written in a question: the words they are made on or given ("rdd1" and "rdd2" of
 * "rdd1.cartesian(rdd2)", "shop" and "orders" of "ref('shop', 'orders')") are mostly names somebody
 * chose, where the call's own name says what is asked.
 */
export function writtenCalls(query: string): WrittenCall[] {
  return Array.from(query.slice(0, MAX_QUERY_CHARS).matchAll(CALL), ([, receiver = '', name = '', args = '']) => ({
    qualified: `${receiver}${name}`.toLowerCase(),
    name: name.toLowerCase(),
    operands: splitWords(`${receiver} ${args}`, false).map((word) => word.toLowerCase()),
    bare: /^\s*[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*$/.test(args) ? splitWords(args, false).map((word) => word.toLowerCase()) : [],
    quoted: Array.from(args.matchAll(/(?<!=\s*)(["'])([^"'\n]+)\1/g), (m) => m[2]!),
  }));
}

/** Whether a title holds every one of these (stemmed) words. */
export function titleHolds(title: string, words: readonly string[]): boolean {
  const held = new Set(tokenize(title));
  return words.every((w) => held.has(w));
}

/** Tokens of a question, bounded however long the input. */
export function tokenizeQuery(query: string): string[] {
  return queryWords(query).map((w) => w.token);
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

const LONG_STOPWORDS = [...STOPWORDS].filter((w) => w.length >= 4);

/**
 * A misspelt question word ("waht", "hwo", "shoud", "wat"): two letters swapped, or one letter off
 * a longer stopword with the same first letter. Only asked of words the knowledge base never wrote.
 */
export function misspeltStopword(word: string): boolean {
  if (word.length < 3 || /\d/.test(word)) return false;
  return swappedStopword(word) || LONG_STOPWORDS.some((w) => w[0] === word[0] && Math.abs(w.length - word.length) <= 1 && editDistance(w, word) <= 1);
}

/** A stopword with two neighbouring letters swapped ("waht", "hwo"). */
export function swappedStopword(word: string): boolean {
  return swaps(word).some((w) => STOPWORDS.has(w));
}

/** The word with two neighbouring letters swapped, each way it can be. */
export function swaps(word: string): string[] {
  return Array.from({ length: Math.max(0, word.length - 1) }, (_, i) => word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
}

/** A question reduced to its meaningful words, so that "whats flink??" and "what is Flink" count as one. */
export function normalizedQuestion(query: string): string {
  return tokenizeQuery(query).join(' ');
}
