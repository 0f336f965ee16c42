import type { Backfill } from '../../app.js';
import { context, type Reply } from '../../core/reply.js';
import { quizTopicLabel } from '../../quiz/engine.js';
import { questionMessage, seconds } from '../../quiz/messages.js';
import { openQuestion } from '../../quiz/open-question.js';

/** A message already posted (by an earlier run of the console), to print again with its buttons. */
export interface Reshown {
  reply: Reply;
  messageId: string;
}

/**
 * The open question of the quiz running at `address` (a quiz someone started, else the quiz of the
 * day), as it was posted, for a console that starts again while it goes on (after a crash or a
 * restart): the quiz resumes from the store and reveals the question in place when it closes, but
 * the terminal that showed it is gone with the old process.
 */
export async function openQuizQuestion(app: Pick<Backfill, 'store' | 'knowledge' | 'clock'>, address: string): Promise<Reshown | undefined> {
  const quiz = (await app.store.runningQuiz(address, 'quiz')) ?? (await app.store.runningQuiz(address, 'daily'));
  const open = quiz && (await openQuestion(app.store, quiz, app.clock.now()));
  if (!open) return undefined;
  const q = open.question;
  const topic = quizTopicLabel(app.knowledge, quiz);
  const posted = questionMessage(quiz, q, topic, seconds(open.secondsLeft));
  return {
    reply: { ...posted, blocks: [context(`${quiz.kind === 'daily' ? 'The quiz of the day is open here' : `A quiz is running here: question ${q.position + 1} of ${quiz.total}`}, shown again: this console started while it was open.`), ...posted.blocks] },
    messageId: open.messageId,
  };
}
