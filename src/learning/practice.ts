import { buttons, context, divider, notice, text, type Block, type Reply } from '../core/reply.js';
import { conceptCard } from '../knowledge/cards.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { reviewButton, type SessionStep } from './buttons.js';
import type { Learner } from './learner.js';
import { answerLines, nextReviewLine, nothingDue, practiceMessage, sessionEnd, type Calendar } from './messages.js';
import type { LearningService } from './service.js';

/**
 * A `/review` session: the person's due concepts one private question at a time, each answer graded
 * and applied at once. It keeps no state of its own: an answered concept is no longer due, so the
 * next question is always the most overdue concept left; the buttons carry how many were answered.
 */
export class PracticeSession {
  constructor(
    private readonly learning: LearningService,
    private readonly knowledge: Knowledge,
  ) {}

  /** `address`: where the person asks, whose default zone applies until they choose one. */
  private async calendar(learner: Learner, address: string): Promise<Calendar> {
    return { now: this.learning.now(), timezone: await this.learning.timezoneOf(learner, address) };
  }

  /** The next question of a session, or what ends it. */
  async next(learner: Learner, address: string, at: SessionStep, lead: Block[] = []): Promise<Reply> {
    const session = await this.learning.reviewSession(learner);
    const cal = await this.calendar(learner, address);
    if (session.dueCount === 0) {
      if (at.answered === 0 && lead.length === 0) return nothingDue(session, cal);
      return { title: 'Review', ephemeral: true, blocks: [...lead, ...sessionEnd(0, at, session.nextDue, cal)] };
    }
    if (at.answered >= at.size) return { title: 'Review', ephemeral: true, blocks: [...lead, ...sessionEnd(session.dueCount, at, session.nextDue, cal)] };
    const question = await this.learning.nextPractice(learner);
    if (question) return practiceMessage(question, at, session.dueCount, lead.length ? [...lead, divider()] : []);
    // Due, but without a question to ask (a card without quiz questions): the card itself, with its buttons.
    const due = session.due[0]!;
    const concept = this.knowledge.kb.byId.get(due.conceptId)!;
    const card = conceptCard(this.knowledge.kb, concept);
    return {
      title: concept.title,
      ephemeral: true,
      blocks: [...lead, ...(lead.length ? [divider()] : []), context('Due for review, with no question to ask: read it, then say whether you knew it.'), ...card.blocks],
    };
  }

  /** An answer: right, the next question at once; wrong, the card to read first, then a button for the next. */
  async answer(learner: Learner, address: string, value: SessionStep & { id: string; choice: number }): Promise<Reply> {
    const result = await this.learning.answerPractice(learner, value.id, value.choice);
    const at = { answered: value.answered + 1, size: value.size };
    if (result.status === 'unknown') return notice('That question is not one of yours, or it is gone. `/review` starts a new review.');
    if (result.status === 'answered') {
      const was = result.choice === null ? '' : ` (${result.correct ? 'right' : 'not quite'})`;
      return { ephemeral: true, blocks: [text(`You answered this one already${was}; each question counts once.`), buttons([{ action: reviewButton.action({ answered: value.answered, size: value.size }), label: 'Next question' }])] };
    }
    const cal = await this.calendar(learner, address);
    const lines = [...answerLines(result.question, result.choice, result.answer, result.why), nextReviewLine(result.question, result.card.due, cal)];
    if (result.correct) return this.next(learner, address, at, lines);
    const concept = this.knowledge.kb.byId.get(result.question.conceptId);
    const card = concept ? conceptCard(this.knowledge.kb, concept, { review: false }).blocks : [];
    const session = await this.learning.reviewSession(learner);
    const end =
      session.dueCount > 0 && at.answered < at.size
        ? [buttons([{ action: reviewButton.action(at), label: `Next question (${session.dueCount} due)`, style: 'primary' }])]
        : sessionEnd(session.dueCount, at, session.nextDue, cal);
    return {
      title: `Review · ${result.question.topicName}`,
      ephemeral: true,
      blocks: [...lines, divider(), text(`**${concept?.title ?? result.question.title}**`), ...card, divider(), ...end],
    };
  }
}
