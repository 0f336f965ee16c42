import { createHash, randomBytes } from 'node:crypto';
import { DeliveryError } from '../core/delivery.js';
import { InFlight } from '../core/in-flight.js';
import { scopeOf, type ActionRequest, type User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import type { Delivery, Outbox } from '../core/outbox.js';
import { notice, truncate, type Reply } from '../core/reply.js';
import type { Clock, Messenger, Timers } from '../core/services.js';
import { Sweep, UNSTOPPED, type SweepSignal } from '../core/sweep.js';
import { shortDate } from '../core/calendar.js';
import { catalogOf } from '../knowledge/catalog.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { LearningService } from '../learning/service.js';
import type { Store } from '../store/store.js';
import type { Quiz, StoredQuestion } from '../store/types.js';
import { answerButton, type AnswerValue } from './buttons.js';
import { explainButton } from '../knowledge/buttons.js';
import { lockedIn, questionMessage, revealMessage, seconds, standingsMessage, LETTERS } from './messages.js';
import { materialize, pickQuestions, questionBank, type QuestionTemplate } from './questions.js';
import { pointsFor, standings } from './scoring.js';

export const MAX_QUESTIONS = 20;
/** A quiz ends by itself after this many questions in a row that nobody answered. */
export const IDLE_LIMIT = 2;

export interface QuizDeps {
  store: Store;
  knowledge: Knowledge;
  /** Edits (reveals), and which addresses this process can reach. */
  messenger: Messenger;
  /** Posts (questions, standings): each exactly once. */
  outbox: Outbox;
  clock: Clock;
  timers: Timers;
  random: () => number;
  log: Logger;
  answerSeconds: number;
  /** Told each revealed question's answers, to update every answerer's review schedule (see reveal). */
  learning?: Pick<LearningService, 'recordReveal'>;
  /** Runs the takeover sweep (see watch); real time unless a test steps it. */
  sweepTimers?: Timers;
}

/** How long a step of a quiz may be overdue before another process takes the quiz over. */
export const TAKEOVER_GRACE_MS = 15_000;
const TAKEOVER_EVERY_MS = 10_000;

export interface StartOptions {
  /** A chosen id: starting again with it continues that quiz (a retried quiz of the day) instead of making another. */
  id?: string;
  address: string;
  user: User;
  /** Topics to draw from; empty for all. */
  topics: string[];
  count: number;
  kind: Quiz['kind'];
  windowSeconds: number;
  /** Concepts to leave out when others are left to ask about (the concept of the day, for the quiz of the day). */
  avoidConcepts?: string[];
}

export interface StartResult {
  quiz?: Quiz;
  error?: string;
  failure?: DeliveryError;
  /** What became of the first question's post. */
  posted?: Delivery['state'];
}

/** The idempotency keys of a quiz's posts. */
export const questionPostKey = (quizId: string, position: number) => `quiz:${quizId}:${position}`;
export const standingsPostKey = (quizId: string) => `quiz:${quizId}:end`;

/** The quiz id of a channel's quiz of the day: every attempt at that day's post continues the same quiz. */
export function dailyQuizId(address: string, localDate: string): string {
  return `d${createHash('sha256').update(`${address}\n${localDate}`).digest('hex').slice(0, 15)}`;
}

const alreadyRunning = (running: Quiz | undefined) =>
  `A quiz is already running here${running ? ` (question ${running.current + 1} of ${running.total})` : ''}. Answer it, or \`/quiz stop\` if you started it.`;

/** What a quiz's messages call its selection of topics ("All topics" for none). */
export function quizTopicLabel(knowledge: Pick<Knowledge, 'kb'>, quiz: Pick<Quiz, 'topic'>): string {
  return catalogOf(knowledge.kb).label(quiz.topic ? quiz.topic.split(',') : [], 'All topics');
}

/**
 * Runs quizzes: one question at a time, each open for a window, then revealed. Every step is
 * written to the store before it is announced, so a restart resumes where the quiz was.
 */
export class QuizService {
  private bankCache: QuestionTemplate[] | undefined;
  private readonly armed = new Map<string, unknown>();
  /** Timer callbacks under way (a question closing, a quiz continuing), which a shutdown waits for. */
  private readonly firing = new InFlight();
  private watcher: Sweep | undefined;

  constructor(private readonly deps: QuizDeps) {}

  /** Built on first use, not at start: a start answers its first question without paying for it. */
  private get bank(): QuestionTemplate[] {
    return (this.bankCache ??= questionBank(this.deps.knowledge.kb, this.deps.knowledge.search));
  }

  get questionCount(): number {
    return this.bank.length;
  }

  /** The questions a new quiz in this channel would get, without starting one. */
  async preview(address: string, topics: string[], count: number): Promise<QuestionTemplate[]> {
    return pickQuestions(this.pool(topics), await this.deps.store.seenQuestions(address), count, this.deps.random);
  }

  /** The questions about a selection of topics and subtopics (`[]`: all). */
  private pool(topics: string[]): QuestionTemplate[] {
    const catalog = catalogOf(this.deps.knowledge.kb);
    return topics.length ? this.bank.filter((q) => catalog.includes(topics, q.concept)) : this.bank;
  }

  private topicLabel(quiz: Pick<Quiz, 'topic'>): string {
    return quizTopicLabel(this.deps.knowledge, quiz);
  }

  /**
   * Starts a quiz and posts its first question. A channel holds one running quiz: the database
   * refuses a second one, however many processes start one at the same moment.
   */
  async start(o: StartOptions): Promise<StartResult> {
    const { store, clock, random } = this.deps;
    if (o.kind === 'quiz') {
      const running = await store.runningQuiz(o.address, 'quiz');
      if (running) return { error: alreadyRunning(running) };
    }
    if (o.id) {
      const existing = await store.getQuiz(o.id);
      if (existing) return this.again(existing);
    }
    const seen = await store.seenQuestions(o.address);
    const pool = this.pool(o.topics);
    const avoid = new Set(o.avoidConcepts ?? []);
    const allowed = pool.filter((q) => !avoid.has(q.concept.id));
    const picked = pickQuestions(allowed.length ? allowed : pool, seen, o.count, random);
    if (picked.length === 0) return { error: 'There are no quiz questions for that topic yet.' };
    const now = clock.now().toISOString();
    const quiz: Quiz = {
      id: o.id ?? randomBytes(6).toString('hex'),
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
    const created = await store.createQuiz(quiz, questions);
    if (created === 'running') return { error: alreadyRunning(await store.runningQuiz(o.address, 'quiz')) };
    if (created === 'exists') return this.again((await store.getQuiz(quiz.id))!);
    await store.markSeen(o.address, picked.map((t) => t.key), now);
    return this.openFirst(quiz, questions[0]!);
  }

  /** A start with the id of a quiz that exists: its first question, posted once whatever happened before. */
  private async again(quiz: Quiz): Promise<StartResult> {
    const first = await this.deps.store.getQuestion(quiz.id, 0);
    if (!first) return { error: 'That quiz has no questions.' };
    if (first.messageId) return { quiz, posted: 'sent' };
    if (quiz.state !== 'running') {
      // An earlier attempt could not post it and ended the quiz: this attempt reopens it.
      await this.deps.store.updateQuiz(quiz.id, { state: 'running', endReason: null });
      quiz = { ...quiz, state: 'running', endReason: null };
    }
    return this.openFirst(quiz, first);
  }

  private async openFirst(quiz: Quiz, first: StoredQuestion): Promise<StartResult> {
    const { store } = this.deps;
    try {
      const posted = await this.post(quiz, first);
      if (posted === 'unknown') {
        await store.updateQuiz(quiz.id, { state: 'finished', endReason: 'it is not known whether the first question reached the channel' });
        return { error: 'I could not confirm that the first question reached this channel, so the quiz is off. Start it again if it is not there.', posted };
      }
      return { quiz, posted };
    } catch (err) {
      await store.updateQuiz(quiz.id, { state: 'finished', endReason: 'the first question could not be posted' });
      if (err instanceof DeliveryError) return { error: `I can't post in this channel (${err.code}). Invite me to it, or check my permissions.`, failure: err };
      throw err;
    }
  }

  /**
   * Posts a question through the outbox, then opens it (message and deadline) and arms its close.
   * Busy: another process is posting it right now; this one looks again when that one's hold ends.
   */
  private async post(quiz: Quiz, q: StoredQuestion): Promise<Delivery['state']> {
    const { outbox, store, clock } = this.deps;
    const reply = questionMessage(quiz, q, this.topicLabel(quiz), seconds(quiz.windowSeconds));
    const delivery = await outbox.deliver(questionPostKey(quiz.id, q.position), quiz.address, reply);
    if (delivery.state === 'busy') {
      this.later(quiz.id, delivery.until);
      return 'busy';
    }
    if (delivery.state === 'unknown') return 'unknown';
    const opened = clock.now();
    const deadline = new Date(opened.getTime() + quiz.windowSeconds * 1000);
    if (await store.openQuestion(quiz.id, q.position, delivery.message.messageId, opened.toISOString(), deadline.toISOString())) {
      this.arm(quiz.id, q.position, deadline);
    } else {
      // Another process opened it first: keep its deadline.
      const stored = await store.getQuestion(quiz.id, q.position);
      if (stored?.deadlineAt && !stored.closedAt) this.arm(quiz.id, q.position, new Date(stored.deadlineAt));
    }
    return 'sent';
  }

  /** Looks at a quiz again once another process's hold on its post has run out. */
  private later(quizId: string, until: Date): void {
    const key = `${quizId}:later`;
    if (this.armed.has(key)) return;
    // A second past the hold, for clocks that differ between processes.
    const wait = Math.max(0, until.getTime() - this.deps.clock.now().getTime()) + 1000;
    this.armed.set(
      key,
      this.deps.timers.set(() => {
        this.armed.delete(key);
        return this.firing.track(
          (async () => {
            try {
              const quiz = await this.deps.store.getQuiz(quizId);
              if (quiz?.state === 'running') await this.proceed(quiz);
            } catch (err) {
              this.deps.log.error(`quiz ${quizId}: could not continue`, err);
            }
          })(),
        );
      }, wait),
    );
  }

  private arm(quizId: string, position: number, deadline: Date): void {
    const key = `${quizId}:${position}`;
    const armed = this.armed.get(key);
    if (armed !== undefined) this.deps.timers.clear(armed);
    const wait = Math.max(0, deadline.getTime() - this.deps.clock.now().getTime());
    this.armed.set(
      key,
      this.deps.timers.set(() => {
        this.armed.delete(key);
        return this.firing.track(this.close(quizId, position).catch((err: unknown) => this.deps.log.error(`closing quiz ${quizId} question ${position + 1} failed`, err)));
      }, wait),
    );
  }

  /** A click on an answer button. Nothing is recorded unless the question is open. */
  async answer(request: ActionRequest, value: AnswerValue | string): Promise<Reply> {
    const { store, clock } = this.deps;
    // A string is the part of an action id after `quiz:`.
    const parsed = typeof value === 'string' ? answerButton.decode(value.split(':')) : value;
    if (!parsed) return notice('That button does not belong to a quiz I know.');
    const quiz = await store.getQuiz(parsed.quizId);
    if (!quiz || quiz.address !== request.address) return notice('That button does not belong to a quiz I know.');
    const q = await store.getQuestion(quiz.id, parsed.position);
    if (!q) return notice('That button does not belong to a quiz I know.');
    const now = clock.now();
    // Posted but not yet opened: its sender stopped in between, and the next process (or this one,
    // once the post's lease runs out) opens it; until then a click counts for nothing.
    if (quiz.state === 'running' && !q.closedAt && !q.openedAt) return notice('This question is not open yet — try again in a few seconds.');
    if (q.closedAt || !q.deadlineAt || !q.openedAt || now >= new Date(q.deadlineAt) || quiz.state !== 'running') {
      return notice('This question has closed; its answer is revealed where the quiz runs.');
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

  /**
   * Closes a question at its deadline: reveal, then the next question or the final standings.
   * Closing is the reveal: only then do its answers count on leaderboards and in reviews.
   */
  async close(quizId: string, position: number, skipped = false): Promise<void> {
    const { store, clock } = this.deps;
    const closedAt = clock.now().toISOString();
    if (!(await store.closeQuestion(quizId, position, closedAt))) return;
    const quiz = await store.getQuiz(quizId);
    const q = await store.getQuestion(quizId, position);
    if (!quiz || !q) return;
    const answers = await this.reveal(quiz, q);
    if (quiz.state !== 'running') return;
    if (quiz.endReason !== null) return this.finish(quiz, quiz.endReason);
    // A question someone skipped was not left unanswered for want of people.
    const idle = answers.length === 0 && !skipped ? quiz.idle + 1 : 0;
    if (idle >= IDLE_LIMIT && quiz.kind === 'quiz') return this.finish(quiz, `Ended: nobody answered ${IDLE_LIMIT} questions in a row.`, idle);
    await this.advance(quiz, position, idle);
  }

  /** Edits a closed question's message into its reveal (an edit: doing it twice shows the same); its answers. */
  private async reveal(quiz: Quiz, q: StoredQuestion) {
    const answers = await this.deps.store.answersTo(quiz.id, q.position);
    const concept = this.deps.knowledge.kb.byId.get(q.conceptId);
    if (q.messageId) {
      await this.deps.messenger
        .update({ address: quiz.address, messageId: q.messageId }, revealMessage(quiz, q, this.topicLabel(quiz), concept?.title ?? q.conceptId, answers))
        .catch((err: unknown) => this.deps.log.warn(`could not reveal quiz ${quiz.id} question ${q.position + 1}`, err));
    }
    // Schedules change at the reveal, never before, so nothing tells an answer early; a reveal made
    // again after a restart changes each person's schedule once (keyed by quiz and question).
    await this.deps.learning?.recordReveal(quiz, q, answers).catch((err: unknown) => this.deps.log.warn(`learning: quiz ${quiz.id} question ${q.position + 1}`, err));
    return answers;
  }

  /** Posts the question after `position`, or the final standings when there is none (or the quiz is ending). */
  private async advance(quiz: Quiz, position: number, idle: number): Promise<void> {
    if (quiz.endReason !== null) return this.finish(quiz, quiz.endReason, idle);
    const next = position + 1 < quiz.total ? await this.deps.store.getQuestion(quiz.id, position + 1) : undefined;
    if (!next) return this.finish(quiz, null, idle);
    await this.deps.store.updateQuiz(quiz.id, { current: next.position, idle });
    await this.postOrEnd({ ...quiz, current: next.position, idle }, next);
  }

  private async postOrEnd(quiz: Quiz, q: StoredQuestion): Promise<void> {
    let posted: Delivery['state'];
    try {
      posted = await this.post(quiz, q);
    } catch (err) {
      this.deps.log.error(`quiz ${quiz.id}: could not post question ${q.position + 1}`, err);
      await this.deps.store.updateQuiz(quiz.id, { state: 'finished', endReason: 'a question could not be posted' });
      return;
    }
    if (posted === 'unknown') await this.finish(quiz, `Ended: I could not confirm that question ${q.position + 1} reached the channel.`);
  }

  /**
   * Ends a quiz: the reason is written first (a restart in between then finishes it rather than
   * moving on), the standings go out once, and only then is the quiz finished, so the channel is
   * free for the next one.
   */
  private async finish(quiz: Quiz, reason: string | null, idle = quiz.idle): Promise<void> {
    const { store, outbox, log } = this.deps;
    if (quiz.kind === 'daily') {
      await store.updateQuiz(quiz.id, { state: 'finished', endReason: reason, idle });
      return;
    }
    if (reason !== null || idle !== quiz.idle) await store.updateQuiz(quiz.id, { endReason: reason, idle });
    const table = standings(await store.answersOfQuiz(quiz.id));
    const delivery = await outbox.deliver(standingsPostKey(quiz.id), quiz.address, standingsMessage(quiz, this.topicLabel(quiz), table, reason)).catch((err: unknown) => {
      log.warn(`could not post standings of quiz ${quiz.id}`, err);
      return undefined;
    });
    if (delivery?.state === 'busy') {
      // Another process is posting them; it finishes the quiz, or this one looks again when its hold ends.
      this.later(quiz.id, delivery.until);
      return;
    }
    await store.updateQuiz(quiz.id, { state: 'finished', endReason: reason, idle });
  }

  /** The running channel quiz and whether this person may stop or skip it (who started it, or a manager). */
  private async controlled(address: string, user: User, what: string): Promise<{ quiz: Quiz } | { refusal: Reply }> {
    const quiz = await this.deps.store.runningQuiz(address, 'quiz');
    if (!quiz) return { refusal: notice('No quiz is running here. Start one with `/quiz [topics] [count]`.') };
    if (quiz.startedBy !== user.id && !user.isManager) return { refusal: notice(`Only ${quiz.startedByName}, who started this quiz, or a channel manager can ${what}.`) };
    return { quiz };
  }

  private disarm(quiz: Quiz): void {
    const key = `${quiz.id}:${quiz.current}`;
    const handle = this.armed.get(key);
    if (handle !== undefined) this.deps.timers.clear(handle);
    this.armed.delete(key);
  }

  /** Stops the channel's quiz: the open question is revealed, answers so far are kept. */
  async stop(address: string, user: User, reason = `Stopped by ${user.name}.`): Promise<Reply> {
    const { store } = this.deps;
    const found = await this.controlled(address, user, 'stop it');
    if ('refusal' in found) return found.refusal;
    const { quiz } = found;
    this.disarm(quiz);
    // Written first: whoever closes the open question (this call, a timer, a restart) ends the quiz then.
    await store.updateQuiz(quiz.id, { endReason: reason });
    await this.close(quiz.id, quiz.current);
    const after = await store.getQuiz(quiz.id);
    if (after?.state === 'running') await this.finish(after, reason);
    return notice('Quiz stopped.');
  }

  /** Closes the open question now: its reveal, then the next question (or the standings). */
  async skip(address: string, user: User): Promise<Reply> {
    const found = await this.controlled(address, user, 'skip a question');
    if ('refusal' in found) return found.refusal;
    const { quiz } = found;
    const q = await this.deps.store.getQuestion(quiz.id, quiz.current);
    if (!q?.messageId || q.closedAt) return notice('The question is not open yet; try again in a moment.');
    this.disarm(quiz);
    await this.close(quiz.id, quiz.current, true);
    return notice(`Skipped question ${quiz.current + 1} of ${quiz.total}: its answer is shown.`);
  }

  /**
   * What a person got wrong or missed in the latest quiz they played in the channel, over revealed questions only:
   * an answer to the open question says nothing until it closes.
   */
  async review(address: string, user: User, topics: string[] = []): Promise<Reply> {
    const { store, knowledge } = this.deps;
    const catalog = catalogOf(knowledge.kb);
    // The latest quiz here that this person played: another one started since without them does not hide it.
    const played = await store.latestQuiz(address, 'quiz', user.id);
    const latest = await store.latestQuiz(address, 'quiz');
    const quiz = played ?? latest;
    if (!quiz) return notice('There has been no quiz here yet. Start one with `/quiz`.');
    // ... and says so, or "all right" reads as a verdict on the quiz they just sat out.
    const since = played !== undefined && latest !== undefined && played.id !== latest.id;
    const inQuiz = since ? `in your quiz of ${shortDate(played.createdAt.slice(0, 10))} (you answered none of the one started since)` : 'in your latest quiz here';
    const which = since ? ` ${inQuiz}` : '';
    const mine = (await store.answersOfQuiz(quiz.id)).filter((a) => a.userId === user.id);
    if (mine.length === 0) return notice('You have not answered a quiz question here yet.');
    const revealed = (await store.questionsOf(quiz.id)).filter((q) => q.closedAt && q.openedAt);
    const positions = new Set(revealed.map((q) => q.position));
    const answers = mine.filter((a) => positions.has(a.position));
    const open = mine.length - answers.length;
    const pending = open ? ` Your answer to the open question is revealed when it closes.` : '';
    if (answers.length === 0) return notice(`Nothing to review yet: your answer is revealed when the question closes.`);
    const byPosition = new Map(answers.map((a) => [a.position, a]));
    const about = (q: StoredQuestion) => {
      const concept = knowledge.kb.byId.get(q.conceptId);
      return topics.length === 0 || (concept !== undefined && catalog.includes(topics, concept));
    };
    const missed = revealed.filter((q) => !byPosition.get(q.position)?.correct && about(q));
    if (missed.length === 0 && topics.length) return notice(`You missed nothing about ${catalog.label(topics)} ${inQuiz}.${pending}`);
    if (missed.length === 0) return notice(`All ${answers.length} of your answers were right${which}. Nothing to review!${pending}`);
    const lines = missed.map((q) => {
      const mine = byPosition.get(q.position);
      const title = knowledge.kb.byId.get(q.conceptId)?.title ?? q.conceptId;
      return `**Q${q.position + 1}.** ${q.prompt}\nYou: ${mine ? `${LETTERS[mine.choice]}. ${q.options[mine.choice]}` : 'no answer'} · Right: ${LETTERS[q.correct]}. ${q.options[q.correct]}\nRead: ${title}`;
    });
    return {
      title: `Your review: ${missed.length} to look at${which}`,
      ephemeral: true,
      blocks: [
        { type: 'text', text: lines.join('\n\n') + (pending ? `\n\n${pending.trim()}` : '') },
        // One button per card, however many of its questions were missed: a platform refuses two buttons with one action.
        { type: 'buttons', buttons: [...new Set(missed.map((q) => q.conceptId))].slice(0, 5).map((id) => ({ action: explainButton.action(id), label: truncate(`Explain: ${knowledge.kb.byId.get(id)?.title ?? id}`, 75) })) },
      ],
    };
  }

  /**
   * After a restart: every running quiz this process can reach continues from the store. Open
   * questions re-arm from their stored deadlines, what was due closes, and a post that was being
   * sent is settled by the outbox before anything is sent again.
   */
  async resume(): Promise<number> {
    const running = (await this.deps.store.runningQuizzes()).filter((quiz) => this.reachable(quiz.address));
    for (const quiz of running) {
      await this.proceed(quiz).catch((err: unknown) => this.deps.log.error(`quiz ${quiz.id}: could not resume`, err));
    }
    return running.length;
  }

  /**
   * Several processes share the running quizzes: each runs the ones it started or resumed on its
   * own timers, and every few seconds also takes over a quiz whose next step is overdue by more than
   * TAKEOVER_GRACE_MS (the process running it died or stalled). A question closes by a conditional
   * write and every post goes through the outbox, so two takers still close once and post once.
   */
  async takeOver(signal: SweepSignal = UNSTOPPED): Promise<number> {
    const { store, clock } = this.deps;
    const cutoff = new Date(clock.now().getTime() - TAKEOVER_GRACE_MS).toISOString();
    let taken = 0;
    for (const quiz of await store.overdueQuizzes(cutoff)) {
      if (signal.stopping) break;
      if (!this.reachable(quiz.address) || this.runsHere(quiz.id)) continue;
      taken++;
      await this.proceed(quiz).catch((err: unknown) => this.deps.log.error(`quiz ${quiz.id}: could not take over`, err));
    }
    return taken;
  }

  /** Runs takeOver every few seconds until shutdown. */
  watch(): void {
    // Watching again: the first sweep waits for the one under way to end.
    const previous = this.stopWatching();
    this.watcher = new Sweep(
      'quiz takeover sweep',
      async (signal) => {
        await previous;
        const taken = await this.takeOver(signal);
        if (taken) this.deps.log.info(`took over ${taken} quiz(zes) another process had left`);
      },
      this.deps.log,
    ).every(this.deps.sweepTimers ?? this.deps.timers, TAKEOVER_EVERY_MS);
  }

  private async stopWatching(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.stop();
  }

  /** This process has a timer for the quiz (a question's close, or a look once another's hold ends). */
  private runsHere(quizId: string): boolean {
    for (const key of this.armed.keys()) if (key.startsWith(`${quizId}:`)) return true;
    return false;
  }

  private reachable(address: string): boolean {
    return this.deps.messenger.canReach?.(address) ?? true;
  }

  /** The next step of a running quiz, from what the store says. */
  private async proceed(quiz: Quiz): Promise<void> {
    const { store, clock } = this.deps;
    const q = await store.getQuestion(quiz.id, quiz.current);
    if (!q) {
      await store.updateQuiz(quiz.id, { state: 'finished', endReason: 'its questions were missing' });
    } else if (!q.messageId || !q.deadlineAt) {
      if (quiz.endReason !== null) await this.finish(quiz, quiz.endReason);
      else await this.postOrEnd(quiz, q);
    } else if (!q.closedAt) {
      const deadline = new Date(q.deadlineAt);
      if (deadline <= clock.now()) await this.close(quiz.id, q.position);
      else this.arm(quiz.id, q.position, deadline);
    } else {
      // Closed before the restart, but the quiz had not moved on: the reveal may not have been made.
      await this.reveal(quiz, q);
      await this.advance(quiz, quiz.current, quiz.idle);
    }
  }

  /**
   * Clears timers, and resolves once a takeover sweep under way has ended its current step and the
   * timers that fired (a question closing) have done their work; state stays in the store for the
   * next start.
   */
  async shutdown(): Promise<void> {
    this.disarmAll();
    await Promise.all([this.stopWatching(), this.firing.settle()]);
    // The step a sweep or a timer had under way may have armed its quiz's next deadline meanwhile.
    this.disarmAll();
  }

  private disarmAll(): void {
    for (const handle of this.armed.values()) this.deps.timers.clear(handle);
    this.armed.clear();
  }
}
