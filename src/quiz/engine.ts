import { randomBytes } from 'node:crypto';
import { topicName } from '../core/cards.js';
import { DeliveryError } from '../core/delivery.js';
import { scopeOf, type ActionRequest, type User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import { notice, type Reply } from '../core/reply.js';
import type { Clock, Knowledge, Messenger, Timers } from '../core/services.js';
import type { Store } from '../store/store.js';
import type { Quiz, StoredQuestion } from '../store/types.js';
import { lockedIn, parseAnswerAction, questionMessage, revealMessage, standingsMessage, LETTERS } from './messages.js';
import { materialize, pickQuestions, questionBank, type QuestionTemplate } from './questions.js';
import { pointsFor, standings } from './scoring.js';

export const MAX_QUESTIONS = 20;
/** A quiz ends by itself after this many questions in a row that nobody answered. */
export const IDLE_LIMIT = 2;

export interface QuizDeps {
  store: Store;
  knowledge: Knowledge;
  messenger: Messenger;
  clock: Clock;
  timers: Timers;
  random: () => number;
  log: Logger;
  answerSeconds: number;
}

export interface StartOptions {
  address: string;
  user: User;
  /** Topics to draw from; empty for all. */
  topics: string[];
  count: number;
  kind: Quiz['kind'];
  windowSeconds: number;
}

function describeWindow(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 360) / 10} hours`;
}

/**
 * Runs quizzes: one question at a time, each open for a window, then revealed. Every step is
 * written to the store before it is announced, so a restart resumes where the quiz was.
 */
export class QuizService {
  private readonly bank: QuestionTemplate[];
  private readonly armed = new Map<string, unknown>();

  constructor(private readonly deps: QuizDeps) {
    this.bank = questionBank(deps.knowledge.kb);
  }

  get questionCount(): number {
    return this.bank.length;
  }

  /** The questions a new quiz in this channel would get, without starting one. */
  async preview(address: string, topics: string[], count: number): Promise<QuestionTemplate[]> {
    return pickQuestions(this.pool(topics), await this.deps.store.seenQuestions(address), count, this.deps.random);
  }

  private pool(topics: string[]): QuestionTemplate[] {
    return topics.length ? this.bank.filter((q) => topics.includes(q.concept.topic)) : this.bank;
  }

  private topicLabel(quiz: Pick<Quiz, 'topic'>): string {
    return quiz.topic ? quiz.topic.split(',').map((t) => topicName(this.deps.knowledge.kb, t)).join(', ') : 'All topics';
  }

  /** Starts a quiz and posts its first question; a channel quiz refuses while another runs there. */
  async start(o: StartOptions): Promise<{ quiz?: Quiz; error?: string; failure?: DeliveryError }> {
    const { store, clock, random } = this.deps;
    if (o.kind === 'quiz') {
      const running = await store.runningQuiz(o.address, 'quiz');
      if (running) return { error: `A quiz is already running here (question ${running.current + 1} of ${running.total}). Answer it, or \`/quiz stop\` if you started it.` };
    }
    const seen = await store.seenQuestions(o.address);
    const picked = pickQuestions(this.pool(o.topics), seen, o.count, random);
    if (picked.length === 0) return { error: 'There are no quiz questions for that topic yet.' };
    const now = clock.now().toISOString();
    const quiz: Quiz = {
      id: randomBytes(6).toString('hex'),
      kind: o.kind,
      address: o.address,
      scope: scopeOf(o.address),
      topic: o.topics.length ? o.topics.join(',') : null,
      total: picked.length,
      current: 0,
      state: 'running',
      endReason: null,
      idle: 0,
      windowSeconds: o.windowSeconds,
      startedBy: o.user.id,
      startedByName: o.user.name,
      createdAt: now,
    };
    const questions: StoredQuestion[] = picked.map((t, position) => {
      const m = materialize(t, random);
      return { quizId: quiz.id, position, questionKey: m.key, conceptId: m.concept.id, prompt: m.prompt, options: m.options, correct: m.correct, why: m.why, messageId: null, openedAt: null, deadlineAt: null, closedAt: null };
    });
    await store.createQuiz(quiz, questions);
    await store.markSeen(o.address, picked.map((t) => t.key), now);
    try {
      await this.post(quiz, questions[0]!);
    } catch (err) {
      await store.updateQuiz(quiz.id, { state: 'finished', endReason: 'the first question could not be posted' });
      if (err instanceof DeliveryError) return { error: `I can't post in this channel (${err.code}). Invite me to it, or check my permissions.`, failure: err };
      throw err;
    }
    return { quiz };
  }

  private async post(quiz: Quiz, q: StoredQuestion): Promise<void> {
    const { messenger, store, clock } = this.deps;
    const reply = questionMessage(quiz, q, this.topicLabel(quiz), describeWindow(quiz.windowSeconds));
    const posted = await messenger.send(quiz.address, reply);
    const opened = clock.now();
    const deadline = new Date(opened.getTime() + quiz.windowSeconds * 1000);
    await store.openQuestion(quiz.id, q.position, posted.messageId, opened.toISOString(), deadline.toISOString());
    this.arm(quiz.id, q.position, deadline);
  }

  private arm(quizId: string, position: number, deadline: Date): void {
    const key = `${quizId}:${position}`;
    const wait = Math.max(0, deadline.getTime() - this.deps.clock.now().getTime());
    this.armed.set(
      key,
      this.deps.timers.set(() => {
        this.armed.delete(key);
        return this.close(quizId, position).catch((err: unknown) => this.deps.log.error(`closing quiz ${quizId} question ${position + 1} failed`, err));
      }, wait),
    );
  }

  /** A click on an answer button. */
  async answer(request: ActionRequest, argument: string): Promise<Reply> {
    const { store, clock } = this.deps;
    const parsed = parseAnswerAction(argument);
    const quiz = parsed && (await store.getQuiz(parsed.quizId));
    if (!parsed || !quiz || quiz.address !== request.address) return notice('That button does not belong to a quiz I know.');
    const q = await store.getQuestion(quiz.id, parsed.position);
    if (!q) return notice('That button does not belong to a quiz I know.');
    const now = clock.now();
    if (q.closedAt || !q.deadlineAt || !q.openedAt || now >= new Date(q.deadlineAt) || quiz.state !== 'running') {
      return notice('This question has closed; the answer is shown in the channel.');
    }
    const correct = parsed.choice === q.correct;
    const added = await store.addAnswer({
      quizId: quiz.id,
      position: q.position,
      userId: request.user.id,
      userName: request.user.name,
      address: quiz.address,
      scope: quiz.scope,
      choice: parsed.choice,
      correct,
      points: pointsFor(correct, now, new Date(q.deadlineAt), quiz.windowSeconds),
      answeredAt: now.toISOString(),
    });
    if (!added) {
      const mine = (await store.answersTo(quiz.id, q.position)).find((a) => a.userId === request.user.id);
      return notice(`You already answered${mine ? ` ${LETTERS[mine.choice]}` : ''}: one answer per question.`);
    }
    return notice(lockedIn(q, parsed.choice));
  }

  /** Closes a question at its deadline: reveal, then the next question or the final standings. */
  async close(quizId: string, position: number): Promise<void> {
    const { store, messenger, clock } = this.deps;
    const closedAt = clock.now().toISOString();
    if (!(await store.closeQuestion(quizId, position, closedAt))) return;
    const quiz = await store.getQuiz(quizId);
    const q = await store.getQuestion(quizId, position);
    if (!quiz || !q) return;
    const answers = await store.answersTo(quizId, position);
    const concept = this.deps.knowledge.kb.byId.get(q.conceptId);
    if (q.messageId) {
      await messenger
        .update({ address: quiz.address, messageId: q.messageId }, revealMessage(quiz, q, this.topicLabel(quiz), concept?.title ?? q.conceptId, answers))
        .catch((err: unknown) => this.deps.log.warn(`could not reveal quiz ${quizId} question ${position + 1}`, err));
    }
    if (quiz.state !== 'running') return;
    const idle = answers.length === 0 ? quiz.idle + 1 : 0;
    if (idle >= IDLE_LIMIT && quiz.kind === 'quiz') return this.finish(quiz, `Ended: nobody answered ${IDLE_LIMIT} questions in a row.`, idle);
    await this.advance(quiz, position, idle);
  }

  /** Posts the question after `position`, or the final standings when there is none. */
  private async advance(quiz: Quiz, position: number, idle: number): Promise<void> {
    const next = position + 1 < quiz.total ? await this.deps.store.getQuestion(quiz.id, position + 1) : undefined;
    if (!next) return this.finish(quiz, null, idle);
    await this.deps.store.updateQuiz(quiz.id, { current: next.position, idle });
    await this.postOrEnd({ ...quiz, current: next.position, idle }, next);
  }

  private async postOrEnd(quiz: Quiz, q: StoredQuestion): Promise<void> {
    try {
      await this.post(quiz, q);
    } catch (err) {
      this.deps.log.error(`quiz ${quiz.id}: could not post question ${q.position + 1}`, err);
      await this.deps.store.updateQuiz(quiz.id, { state: 'finished', endReason: 'a question could not be posted' });
    }
  }

  private async finish(quiz: Quiz, reason: string | null, idle = quiz.idle): Promise<void> {
    const { store, messenger } = this.deps;
    await store.updateQuiz(quiz.id, { state: 'finished', endReason: reason, idle });
    if (quiz.kind === 'daily') return;
    const table = standings(await store.answersOfQuiz(quiz.id));
    await messenger.send(quiz.address, standingsMessage(quiz, this.topicLabel(quiz), table, reason)).catch((err: unknown) => this.deps.log.warn(`could not post standings of quiz ${quiz.id}`, err));
  }

  /** Stops the channel's quiz: the open question is revealed, answers so far are kept. */
  async stop(address: string, user: User): Promise<Reply> {
    const { store } = this.deps;
    const quiz = await store.runningQuiz(address, 'quiz');
    if (!quiz) return notice('No quiz is running here. Start one with `/quiz [topic] [count]`.');
    if (quiz.startedBy !== user.id && !user.isManager) {
      return notice(`Only ${quiz.startedByName}, who started this quiz, or a channel manager can stop it.`);
    }
    const key = `${quiz.id}:${quiz.current}`;
    const handle = this.armed.get(key);
    if (handle !== undefined) this.deps.timers.clear(handle);
    this.armed.delete(key);
    await store.updateQuiz(quiz.id, { state: 'finished', endReason: `Stopped by ${user.name}.` });
    await this.close(quiz.id, quiz.current);
    await this.finish({ ...quiz, state: 'running' }, `Stopped by ${user.name}.`);
    return notice('Quiz stopped.');
  }

  /** What a person got wrong or missed in the channel's latest quiz. */
  async review(address: string, user: User): Promise<Reply> {
    const { store, knowledge } = this.deps;
    const quiz = await store.latestQuiz(address, 'quiz');
    if (!quiz) return notice('There has been no quiz here yet. Start one with `/quiz`.');
    const answers = (await store.answersOfQuiz(quiz.id)).filter((a) => a.userId === user.id);
    if (answers.length === 0) return notice('You did not answer any question of the latest quiz here.');
    const questions = (await store.questionsOf(quiz.id)).filter((q) => q.closedAt);
    const byPosition = new Map(answers.map((a) => [a.position, a]));
    const missed = questions.filter((q) => !byPosition.get(q.position)?.correct);
    if (missed.length === 0) return notice(`All ${answers.length} of your answers were right. Nothing to review!`);
    const lines = missed.map((q) => {
      const mine = byPosition.get(q.position);
      const title = knowledge.kb.byId.get(q.conceptId)?.title ?? q.conceptId;
      return `**Q${q.position + 1}.** ${q.prompt}\nYou: ${mine ? `${LETTERS[mine.choice]}. ${q.options[mine.choice]}` : 'no answer'} · Right: ${LETTERS[q.correct]}. ${q.options[q.correct]}\nRead: ${title}`;
    });
    return {
      title: `Your review: ${missed.length} to look at`,
      ephemeral: true,
      blocks: [
        { type: 'text', text: lines.join('\n\n') },
        { type: 'buttons', buttons: missed.slice(0, 5).map((q) => ({ action: `explain:${q.conceptId}`, label: `Explain: ${knowledge.kb.byId.get(q.conceptId)?.title ?? q.conceptId}`.slice(0, 75) })) },
      ],
    };
  }

  /** After a restart: re-arm open questions from their stored deadlines, finish what was due. */
  async resume(): Promise<number> {
    const { store, clock } = this.deps;
    const running = await store.runningQuizzes();
    for (const quiz of running) {
      const q = await store.getQuestion(quiz.id, quiz.current);
      if (!q) {
        await store.updateQuiz(quiz.id, { state: 'finished', endReason: 'its questions were missing' });
      } else if (!q.messageId || !q.deadlineAt) {
        await this.postOrEnd(quiz, q);
      } else if (!q.closedAt) {
        const deadline = new Date(q.deadlineAt);
        if (deadline <= clock.now()) await this.close(quiz.id, q.position);
        else this.arm(quiz.id, q.position, deadline);
      } else {
        // Closed before the restart, but the quiz had not moved on.
        await this.advance(quiz, quiz.current, quiz.idle);
      }
    }
    return running.length;
  }

  /** Clears timers; state stays in the store for the next start. */
  shutdown(): void {
    for (const handle of this.armed.values()) this.deps.timers.clear(handle);
    this.armed.clear();
  }
}
