import { buttonKind } from '../core/buttons.js';

/** Where a review session is: questions answered so far, and how many it asks at most. */
export interface SessionStep {
  answered: number;
  size: number;
}

const COUNT = /^\d{1,2}$/;
const step = (answered = '', size = ''): SessionStep | undefined =>
  COUNT.test(answered) && COUNT.test(size) && Number(size) >= 1 ? { answered: Number(answered), size: Number(size) } : undefined;

/** An answer to a private practice question: `practice:<id>:<choice>:<answered>:<size>`. */
export const practiceButton = buttonKind<SessionStep & { id: string; choice: number }>({
  name: 'practice',
  encode: ({ id, choice, answered, size }) => [id, String(choice), String(answered), String(size)],
  decode(parts) {
    if (parts.length !== 4) return undefined;
    const [id = '', choice = '', answered, size] = parts;
    const at = step(answered, size);
    return /^[0-9a-f]{16}$/.test(id) && /^[0-3]$/.test(choice) && at ? { id, choice: Number(choice), ...at } : undefined;
  },
});

/** Starts a review session, or goes on with one: `review:<answered>:<size>`. */
export const reviewButton = buttonKind<SessionStep>({
  name: 'review',
  encode: ({ answered, size }) => [String(answered), String(size)],
  decode: (parts) => (parts.length === 2 ? step(parts[0], parts[1]) : undefined),
});

/**
 * Confirms `/progress forget`. It carries a digest of whose data the confirmation listed, so a
 * click by anyone else (on a message they should not have seen) deletes nothing of theirs by surprise.
 */
export const forgetButton = buttonKind<string>({ name: 'forget', encode: (who) => [who], decode: (parts) => (parts.length === 1 && /^[0-9a-f]{12}$/.test(parts[0]!) ? parts[0] : undefined) });

/** Starts a quiz in the person's direct conversation (the Slack Home tab's "Start a quiz"). */
export const quizMeButton = buttonKind<true>({ name: 'quizme', encode: () => [], decode: (parts) => (parts.length === 0 || (parts.length === 1 && parts[0] === '') ? true : undefined) });
