import { buttonKind } from '../core/buttons.js';

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
