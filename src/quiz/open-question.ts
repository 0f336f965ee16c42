import type { Store } from '../store/store.js';
import type { Quiz, StoredQuestion } from '../store/types.js';

/**
 * The question of `quiz` that is posted (as message `messageId`) and still takes answers at `now`,
 * with the whole seconds it has left; undefined when none is.
 */
export async function openQuestion(store: Pick<Store, 'getQuestion'>, quiz: Quiz, now: Date): Promise<{ question: StoredQuestion; messageId: string; secondsLeft: number } | undefined> {
  const question = await store.getQuestion(quiz.id, quiz.current);
  if (!question?.messageId || !question.openedAt || !question.deadlineAt || question.closedAt) return undefined;
  const secondsLeft = Math.ceil((Date.parse(question.deadlineAt) - now.getTime()) / 1000);
  return secondsLeft > 0 ? { question, messageId: question.messageId, secondsLeft } : undefined;
}
