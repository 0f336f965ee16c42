/** Words that carry no meaning in a question about a concept. Domain words (state, plan, run, map, all, ...) are kept. */
const STOPWORDS = new Set(
  `a an the is are was were be been being am what whats which who whom whose how why when where
   do does did done doing can could should would will shall may might must i im me my we our us you your
   it its this that these those there here of in on at to for from by with without into onto about as
   and or but nor so if then than also too very really just
   explain explained explaining tell describe define definition meaning mean means show give please
   know learn understand understanding need want wanna help question thing things stuff something
   s t d ll re ve vs versus difference differences between compare compared comparison
   many much bad good better best happen happens happened go goes going get gets getting put puts`
    .split(/\s+/)
    .filter(Boolean),
);

/** Light English stemming: enough to meet "replicas" with "replica" and "caching" with "cache". */
export function stem(word: string): string {
  if (/^\d+$/.test(word) || word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length >= 6) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length >= 5) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** A question longer than this many meaningful words is cut: nobody asks that much at once. */
export const MAX_QUERY_TOKENS = 24;
const MAX_QUERY_CHARS = 2000;

/** Raw lowercase words of a text, punctuation and mention syntax removed. */
export function rawWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter(Boolean);
}

/** Meaningful, stemmed tokens of a text, in order. */
export function tokenize(text: string, maxTokens = Infinity): string[] {
  const out: string[] = [];
  for (const word of rawWords(text)) {
    if (STOPWORDS.has(word)) continue;
    if (word.length === 1 && !/\d/.test(word)) continue;
    out.push(stem(word));
    if (out.length >= maxTokens) break;
  }
  return out;
}

/** Tokens of a question, bounded however long the input. */
export function tokenizeQuery(query: string): string[] {
  return tokenize(query.slice(0, MAX_QUERY_CHARS), MAX_QUERY_TOKENS);
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
