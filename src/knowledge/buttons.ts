import { buttonKind } from '../core/buttons.js';
import { REPORT_KINDS, type ReportKind } from '../store/types.js';

/** A concept id as a button carries it (topic/slug). */
const CONCEPT_ID = /^[a-z0-9]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
const one = (parts: string[], pattern: RegExp) => (parts.length === 1 && pattern.test(parts[0]!) ? parts[0] : undefined);

/** Opens a concept card privately (related cards, suggestions, a quiz's reveal). */
export const explainButton = buttonKind<string>({ name: 'explain', encode: (id) => [id], decode: (parts) => one(parts, CONCEPT_ID) });

/** Posts a concept card in the channel for everyone, naming who shared it. */
export const shareButton = buttonKind<string>({ name: 'share', encode: (id) => [id], decode: (parts) => one(parts, CONCEPT_ID) });

/** A random concept of a topic or subtopic ('' for all). */
export const randomButton = buttonKind<string>({ name: 'random', encode: (topic) => [topic], decode: (parts) => one(parts, /^[a-z0-9-]*$/) });

/** "Not what I meant" on a card: the card, and as much of the question that found it as fits. */
export const notMeantButton = buttonKind<{ conceptId: string; query: string }>({
  name: 'notmeant',
  encode: ({ conceptId, query }) => [conceptId, query.replace(/\s+/g, ' ').trim()],
  decode: ([conceptId = '', ...rest]) => (CONCEPT_ID.test(conceptId) ? { conceptId, query: rest.join(':') } : undefined),
  cutLast: true,
});

/** A concept card or a quiz question reported: the concept id, with `#<question>` for a question (`kafka/acks#2`). */
const REPORT_TARGET = /^[a-z0-9]+\/[a-z0-9]+(?:-[a-z0-9]+)*(?:#(?:\d{1,3}|which))?$/;

/** "I knew this" on a card: the concept moves further out in the clicker's review schedule. */
export const knewButton = buttonKind<string>({ name: 'knew', encode: (id) => [id], decode: (parts) => one(parts, CONCEPT_ID) });

/** "Show me again" on a card: the concept comes back in the clicker's reviews tomorrow. */
export const againButton = buttonKind<string>({ name: 'again', encode: (id) => [id], decode: (parts) => one(parts, CONCEPT_ID) });

/** "Report a problem" on a card or a revealed question: asks what kind of problem. */
export const reportButton = buttonKind<string>({ name: 'report', encode: (target) => [target], decode: (parts) => one(parts, REPORT_TARGET) });

/** The kind of problem chosen: stores the report. */
export const reportKindButton = buttonKind<{ kind: ReportKind; target: string }>({
  name: 'reported',
  encode: ({ kind, target }) => [kind, target],
  decode(parts) {
    const [kind = '', target = '', ...extra] = parts;
    const k = REPORT_KINDS.find((n) => n === kind);
    return k && !extra.length && REPORT_TARGET.test(target) ? { kind: k, target } : undefined;
  },
});

/** The concept id and question key (or null) a report button carries. */
export function reportTarget(target: string): { conceptId: string; questionKey: string | null } {
  const [conceptId = target] = target.split('#');
  return { conceptId, questionKey: target.includes('#') ? target : null };
}
