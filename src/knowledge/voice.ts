import type { Problem } from './load.js';
import type { Concept } from './schema.js';

/**
 * A card speaks to its reader, who has never seen the notes, write-ups or drafts it may have
 * started from. "Correction to the notes: ..." or "as the study notes say" argues with a text the
 * reader cannot see; the card should state the fact, or name the misconception as one.
 *
 * Technical uses stay allowed: release, upgrade, version and migration notes are public
 * documentation with a name, Airflow's DAG run and task instance notes are a feature, "note that"
 * is an ordinary verb, and "notebook", "seed" (dbt, random numbers) or "error correction" are
 * other words altogether. Code (fenced blocks and `inline`) is never read.
 */
interface VoiceRule {
  pattern: RegExp;
  /** Whether a match is a technical use after all; gets the whole text and the match's index. */
  allowed?: (text: string, index: number, match: string) => boolean;
  what: string;
}

const SUGGESTION = `state the fact, or say "A common misconception is ..."`;

/** Words before "notes" that make it documentation with a name, or Airflow's notes feature. */
const NAMED_NOTES = /\b(release|upgrade|upgrading|version|migration|compatibility|security|patch|errata|dag|dag run|run|task|task instance|instance)(?:'s|s')?\s+$/i;
/** Words after "notes" that make it a field or a screen (Airflow's run and task notes). */
const NOTES_FIELD = /^\s+(field|fields|column|tab|panel|attribute|property|parameter|argument|api|endpoint)\b/i;

/** Sources a reader has never seen, when a card names them. */
const UNSEEN = String.raw`(?:handouts?|lecture(?:\s+(?:notes|slides))?|slides|slide\s+deck|study\s+guide|course\s+(?:material|materials|text)|class\s+(?:material|materials)|source\s+(?:material|materials|text|document)|original\s+(?:wording|material|materials|claim|write-?up)|seed\s+(?:material|materials|document|cards?|draft))`;

/** Characters quoted either side of a match, cut at word boundaries. */
const CONTEXT = 24;

/** In this order: a later match overlapping an earlier one is the same place, reported once. */
const RULES: VoiceRule[] = [
  {
    // "Correction to the notes:", "Correction:", "a correction of ...": error correction is fine.
    pattern: /\bcorrections?\b(?:\s*:|\s+(?:to|of|on|for)(?:\s+(?:the|a|an|these|this|our|your|my|some|many))?(?:\s+(?:study|seed|lecture|course|class|old|common|popular|original))?(?:\s+(?:notes?|write-?ups?|seed|source|original|text|claim)\b)?)?/gi,
    allowed: (text, index) => /\berror[-\s]+$/i.test(text.slice(Math.max(0, index - 10), index)),
    what: 'corrects a source the reader has never seen',
  },
  {
    // "a common note", "the note says": the singular as a source, not "Note that".
    pattern: /\b(?:the|this|that|a|an|one|common|old|older|popular|your|our|my)\s+note\s+(?:says|said|claims|claimed|states|stated|calls|called|lists|listed|describes|described|puts|suggests|mentions|gets)\b/gi,
    what: 'addresses a note the reader has never seen',
  },
  {
    pattern: new RegExp(String.raw`\b(?:the|this|these|those|our|your|my|an?|many|some|old|older)\s+${UNSEEN}\b`, 'gi'),
    what: 'addresses a source the reader has never seen',
  },
  {
    // "the seed says", "as the seed puts it": dbt's "the seed file" and Spark's "the seed" stay fine.
    pattern: /\b(?:the|this|our)\s+seed\s+(?:says|said|claims|claimed|states|stated|calls|called|lists|listed|describes|described|puts|suggests|mentions|got|gets)\b/gi,
    what: 'addresses a seed text the reader has never seen',
  },
  {
    // "as the text says", "as the original puts it".
    pattern: /\b(?:as|like)\s+(?:the|this|our|your)\s+(?:text|original|source|author|authors)\s+(?:says|said|claims|claimed|states|stated|puts\s+it|suggests|mentions)\b/gi,
    what: 'addresses a text the reader has never seen',
  },
  {
    pattern: /\b(?:write-?ups?|writeups?)\b/gi,
    what: 'addresses a write-up the reader has never seen',
  },
  {
    // "the notes", "study notes", "Many notes still describe", "as the notes claim", "old notes".
    pattern: /\bnotes\b/gi,
    allowed: (text, index, match) =>
      NAMED_NOTES.test(text.slice(Math.max(0, index - 30), index)) ||
      NOTES_FIELD.test(text.slice(index + match.length)) ||
      // "Notes:" as a label at the start of a line.
      (/(^|\n)\s*$/.test(text.slice(0, index)) && text[index + match.length] === ':'),
    what: 'addresses notes the reader has never seen',
  },
];

/** Prose without fenced code blocks and inline code: a `notes` column in SQL is just code. */
function prose(text: string): string {
  return text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');
}

/** The match with a few words either side, within its sentence, so the author finds it in the file. */
function quote(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const sentenceStart = Math.max(before.lastIndexOf('\n'), ...[...before.matchAll(/[.!?;]\s/g)].map((x) => x.index + 1)) + 1;
  const stop = /[.!?;](?=\s|$)|\n/.exec(text.slice(end));
  const sentenceEnd = stop ? end + stop.index + (stop[0] === '\n' ? 0 : 1) : text.length;
  let from = sentenceStart;
  if (start - from > CONTEXT) {
    const space = text.indexOf(' ', start - CONTEXT);
    from = space >= 0 && space < start ? space + 1 : start;
  }
  let to = sentenceEnd;
  if (to - end > CONTEXT) {
    const space = text.lastIndexOf(' ', end + CONTEXT);
    to = space > end ? space : end;
  }
  return text.slice(from, to).replace(/\s+/g, ' ').trim();
}

/** The phrases of a text that address unseen notes, write-ups or sources, each with what it does. */
export function unseenSourcePhrases(text: string): Array<{ phrase: string; what: string }> {
  const found: Array<{ phrase: string; what: string; index: number; end: number }> = [];
  const clean = prose(text);
  for (const rule of RULES) {
    for (const m of clean.matchAll(rule.pattern)) {
      if (rule.allowed?.(clean, m.index, m[0])) continue;
      const end = m.index + m[0].length;
      const phrase = quote(clean, m.index, end);
      // One problem per place: "the lecture notes" is one phrase, not two.
      if (!found.some((f) => f.index < end && m.index < f.end)) found.push({ phrase, what: rule.what, index: m.index, end });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ phrase, what }) => ({ phrase, what }));
}

/** The texts of a card a reader sees, by field. */
function fields(c: Concept): Array<[string, string]> {
  const out: Array<[string, string]> = [['summary', c.summary], ['body', c.body]];
  if (c.example) out.push(['example', c.example]);
  c.quiz.forEach((q, i) => {
    out.push([`quiz[${i}].question`, q.question], [`quiz[${i}].answer`, q.answer]);
    q.wrong.forEach((w, j) => out.push([`quiz[${i}].wrong[${j}]`, w]));
    out.push([`quiz[${i}].why`, q.why]);
  });
  return out;
}

/** Problems for every place a card argues with notes, write-ups or sources its reader has not seen. */
export function checkVoice(c: Concept): Problem[] {
  return fields(c).flatMap(([field, text]) =>
    unseenSourcePhrases(text).map(({ phrase, what }) => ({ file: c.file, field, message: `${what} ("${phrase}"): ${SUGGESTION}` })),
  );
}
