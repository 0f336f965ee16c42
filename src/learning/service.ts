import { randomBytes } from 'node:crypto';
import type { Grade } from 'ts-fsrs';
import { DeliveryError } from '../core/delivery.js';
import type { Logger } from '../core/log.js';
import type { Clock, Timers } from '../core/services.js';
import { Sweep, UNSTOPPED, type SweepSignal } from '../core/sweep.js';
import { isTimeZone } from '../core/zones.js';
import { topicName } from '../knowledge/cards.js';
import { catalogOf } from '../knowledge/catalog.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { localTime, parseHHMM } from '../daily/clock.js';
import type { Concept } from '../knowledge/schema.js';
import { materialize, questionBank, type QuestionTemplate } from '../quiz/questions.js';
import type { ReviewChange, Store } from '../store/store.js';
import {
  REPORT_KINDS,
  type Answer,
  type LearnerSettings,
  type LearningCard,
  type LearningReview,
  type PersonalData,
  type PracticeQuestion,
  type Quiz,
  type Report,
  type ReportKind,
  type ReviewSource,
  type StoredQuestion,
} from '../store/types.js';
import { learnerOf, platformOfLearner, reminderPostKey, type Learner } from './learner.js';
import { countsOf, dayStreak, type Counts, type DayStreak } from './progress.js';
import { gradeAnswer, masteryOf, PRACTICE_WINDOW_SECONDS, Rating, ratingName, retrievability, review, type Mastery, type RatingName } from './schedule.js';

export interface LearningDeps {
  store: Store;
  knowledge: Knowledge;
  clock: Clock;
  random: () => number;
  log: Logger;
  /** For the reminder sweep started by `startReminders`. */
  timers?: Timers;
  /** The zone a person's days (streaks, reminders) are counted in until they choose one. */
  defaultTimezone?: string;
  /** The default zone at an address: its workspace's or server's `/settings`, before `defaultTimezone`. */
  defaultTimezoneAt?: (address: string) => Promise<string>;
}

/** A concept as the commands show it. */
export interface ConceptRef {
  conceptId: string;
  title: string;
  topic: string;
  topicName: string;
}

/** What one review did to a person's card. */
export interface ReviewOutcome {
  /** `duplicate`: this event had changed the schedule already; nothing changed now. */
  result: 'recorded' | 'duplicate';
  rating: RatingName;
  card: LearningCard;
}

/** An answer from anywhere (another kind of question than the quiz engine's, say), for `recordAnswer`. */
export interface AnswerEvent {
  learner: Learner;
  conceptId: string;
  correct: boolean;
  /** When the question was shown to the person, and when they answered. */
  shownAt: Date;
  answeredAt: Date;
  /** The question's window: the first half of it is fast. */
  windowSeconds: number;
  source: ReviewSource;
  /** Unique for this person and answer: the schedule changes once per key. */
  key: string;
  /** The channel, for channel answers. */
  address?: string | null;
}

export interface DueConcept extends ConceptRef {
  due: string;
  lapses: number;
  mastery: Mastery;
}

export interface ReviewSession {
  /** Due now, most overdue first (concepts still in the knowledge base). */
  due: DueConcept[];
  /** How many are due in all (`due` holds at most the limit). */
  dueCount: number;
  /** The next due time after now when nothing is due, or the earliest due time; null without cards. */
  nextDue: string | null;
  /** With nothing due: new concepts from the topics the person plays. */
  suggestions: ConceptRef[];
}

/** A practice question as a command shows it (the right option is not in it). */
export interface PracticeView extends ConceptRef {
  id: string;
  questionKey: string;
  prompt: string;
  options: string[];
  shownAt: string;
  windowSeconds: number;
}

export type PracticeResult =
  | {
      status: 'recorded';
      question: PracticeView;
      choice: number;
      correct: boolean;
      /** The right option, and why. */
      answer: number;
      why: string;
      rating: RatingName;
      card: LearningCard;
    }
  /** Answered before (one answer per practice question): what was answered then. */
  | { status: 'answered'; question: PracticeView; choice: number | null; correct: boolean | null; answer: number; why: string }
  /** Not this person's question, or no such question. */
  | { status: 'unknown' };

export interface TopicProgress extends Counts {
  topic: string;
  name: string;
  /** Concepts of the topic in the knowledge base. */
  total: number;
}

export interface WeakConcept extends ConceptRef {
  stability: number;
  lapses: number;
  /** Probability of recall now, 0..1: 1 right after any review, right or wrong, since the answer was just seen. */
  retrievability: number;
  /** When it was last reviewed (ISO), if ever. */
  lastReview: string | null;
  answers: number;
  correct: number;
}

export interface Progress {
  learner: Learner;
  /** The zone the streak was counted in. */
  timezone: string;
  overall: Counts;
  /** Topics the person has met, most seen first. */
  topics: TopicProgress[];
  streak: DayStreak;
  /** Not yet mastered, least stable first. */
  weakest: WeakConcept[];
  /** The next reviews after now, soonest first. */
  upcoming: Array<ConceptRef & { due: string }>;
}

export interface ChannelProgress {
  address: string;
  days: number;
  since: string;
  /** People who answered at least one revealed question. */
  people: number;
  answers: number;
  correct: number;
  accuracy: number | null;
  quizzes: number;
  /** Concepts answered at least CHANNEL_MIN_ANSWERS times with some wrong, lowest accuracy first. */
  weakest: Array<ConceptRef & { answers: number; correct: number; accuracy: number; people: number }>;
}

export interface ReminderSettings {
  time: string;
  timezone: string;
  address: string;
}

/** A reminder to send: claimed for the person's local date, once. */
export interface DueReminder {
  learner: Learner;
  address: string;
  localDate: string;
  /** The outbox key to send it under. */
  postKey: string;
  dueCount: number;
  /** Up to three of the due concepts, most overdue first. */
  due: DueConcept[];
}

/**
 * How reminders go out: `deliver` posts one (through the outbox: `(await outbox.deliver(r.postKey,
 * r.address, reply)).state`), `canReach` says which addresses this process can post to.
 */
export interface ReminderSender {
  deliver(reminder: DueReminder): Promise<'sent' | 'unknown' | 'busy'>;
  canReach?(address: string): boolean;
}

export interface ReportInput {
  conceptId: string;
  questionKey?: string | null;
  kind: ReportKind;
  note?: string | null;
  platform: string;
  /** What makes two presses one report: the message the choice was pressed on, and its target. */
  pressKey?: string;
}

/** Reports of one concept, for authors. */
export interface ReportGroup {
  conceptId: string;
  count: number;
  kinds: Record<ReportKind, number>;
  questionKeys: string[];
  notes: string[];
  lastAt: string;
}

/** A reminder's delivery is tried again after these minutes, then given up for the day. */
const REMINDER_BACKOFF_MINUTES = [5, 15, 30];
/** A claim this old that never finished may belong to a process that died mid-send (the outbox lease). */
const STALE_REMINDER_MS = 30_000;
const REMINDER_SWEEP_MS = 60_000;
export const CHANNEL_MIN_ANSWERS = 2;
export const CHANNEL_DAYS = 30;
export const REPORT_NOTE_MAX = 500;
const MAX_RETRIES = 5;

/**
 * Each person's memory of each concept, with FSRS (ts-fsrs): every answer changes that person's
 * card for the concept, once. Channel quizzes and quizzes of the day report answers at their
 * reveal (`recordReveal`), so nothing about an answer shows before the channel sees the result;
 * private practice and card buttons change it at once.
 */
export class LearningService {
  private bankCache?: Map<string, QuestionTemplate[]>;
  private reminders: Sweep | undefined;

  constructor(private readonly deps: LearningDeps) {}

  /** The time on the service's clock. */
  now(): Date {
    return this.deps.clock.now();
  }

  private get kb() {
    return this.deps.knowledge.kb;
  }

  /** Question templates per concept. */
  private get bank(): Map<string, QuestionTemplate[]> {
    if (!this.bankCache) {
      this.bankCache = new Map();
      for (const t of questionBank(this.kb, this.deps.knowledge.search)) {
        const list = this.bankCache.get(t.concept.id) ?? [];
        list.push(t);
        this.bankCache.set(t.concept.id, list);
      }
    }
    return this.bankCache;
  }

  private ref(conceptId: string): ConceptRef {
    const concept = this.kb.byId.get(conceptId);
    const topic = concept?.topic ?? conceptId.split('/')[0] ?? '';
    return { conceptId, title: concept?.title ?? conceptId, topic, topicName: topicName(this.kb, topic) };
  }

  // ---- answers and buttons ---------------------------------------------------------------

  /**
   * The answers to a revealed question (a channel quiz or the quiz of the day) update each
   * answerer's schedule. Called by the quiz engine at the reveal, which may run again after a
   * restart: each answer counts once (its event key is the quiz and question). A failure is logged
   * per answer and never stops the quiz.
   */
  async recordReveal(quiz: Quiz, question: StoredQuestion, answers: readonly Answer[]): Promise<void> {
    for (const a of answers) {
      try {
        await this.recordAnswer({
          learner: learnerOf(a.address, a.userId),
          conceptId: question.conceptId,
          correct: a.correct,
          shownAt: new Date(question.openedAt ?? a.answeredAt),
          answeredAt: new Date(a.answeredAt),
          windowSeconds: quiz.windowSeconds,
          source: quiz.kind === 'daily' ? 'daily' : 'quiz',
          key: `quiz:${quiz.id}:${question.position}`,
          address: a.address,
        });
      } catch (err) {
        this.deps.log.warn(`learning: could not record ${a.userId}'s answer to quiz ${quiz.id} question ${question.position + 1}`, err);
      }
    }
  }

  /** One answer: right and fast = Good, right and slow = Hard, wrong = Again (see `gradeAnswer`). */
  async recordAnswer(e: AnswerEvent): Promise<ReviewOutcome> {
    const grade = gradeAnswer({ correct: e.correct, elapsedMs: e.answeredAt.getTime() - e.shownAt.getTime(), windowSeconds: e.windowSeconds });
    return this.apply(e.learner, e.conceptId, e.answeredAt, grade, { eventKey: e.key, source: e.source, correct: e.correct, address: e.address ?? null });
  }

  /**
   * "I knew this" on a concept card: Easy when the person has never met the concept (they knew it
   * before Backfill asked), Good when they have (a claim, not a test: the interval grows as for a
   * right answer, not more). A second press on the same card message, of either button, changes nothing.
   */
  async knewIt(learner: Learner, conceptId: string, messageId?: string): Promise<ReviewOutcome> {
    const card = await this.deps.store.learningCard(learner, conceptId);
    return this.cardButton(learner, conceptId, card?.lastReview ? Rating.Good : Rating.Easy, messageId);
  }

  /** "Show me again" on a concept card: Again, so the concept comes back tomorrow. */
  async showAgain(learner: Learner, conceptId: string, messageId?: string): Promise<ReviewOutcome> {
    return this.cardButton(learner, conceptId, Rating.Again, messageId);
  }

  private cardButton(learner: Learner, conceptId: string, grade: Grade, messageId: string | undefined): Promise<ReviewOutcome> {
    const now = this.deps.clock.now();
    // One press per card message, whichever button: two ratings of one reading at the same moment
    // would teach the schedule both. Without a message id, one press per concept and day.
    const key = `card:${conceptId}:${messageId ?? now.toISOString().slice(0, 10)}`;
    return this.apply(learner, conceptId, now, grade, { eventKey: key, source: 'card', correct: null, address: null });
  }

  /** Reads the card, computes the review, writes both if the card is still as read; again if not. */
  private async apply(
    learner: Learner,
    conceptId: string,
    at: Date,
    grade: Grade,
    event: Pick<LearningReview, 'eventKey' | 'source' | 'correct' | 'address'>,
    practice?: ReviewChange['practice'],
  ): Promise<ReviewOutcome> {
    const { store, clock } = this.deps;
    const who = { scope: learner.scope, userId: learner.userId, conceptId };
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const before = await store.learningCard(learner, conceptId);
      const card = review(before, who, at, grade);
      const result = await store.applyReview({
        review: {
          ...event,
          scope: learner.scope,
          userId: learner.userId,
          conceptId,
          rating: grade,
          answeredAt: at.toISOString(),
          recordedAt: clock.now().toISOString(),
          scheduledDays: card.scheduledDays,
          stability: card.stability,
          due: card.due,
        },
        card,
        ...(practice ? { practice } : {}),
      });
      if (result === 'recorded') return { result, rating: ratingName(grade), card };
      if (result === 'duplicate') return { result, rating: ratingName(grade), card: (await store.learningCard(learner, conceptId)) ?? card };
    }
    throw new Error(`learning: ${learner.userId}'s card for ${conceptId} kept changing`);
  }

  // ---- what is due, what is new -----------------------------------------------------------

  /** The person's due concepts now, most overdue first (only concepts still in the knowledge base). */
  async due(learner: Learner, limit = 10): Promise<DueConcept[]> {
    const cards = await this.deps.store.dueLearningCards(learner, this.deps.clock.now().toISOString(), 1000);
    return cards
      .filter((c) => this.kb.byId.has(c.conceptId))
      .slice(0, limit)
      .map((c) => ({ ...this.ref(c.conceptId), due: c.due, lapses: c.lapses, mastery: masteryOf(c) }));
  }

  /** When the person's next review is due (in the past when something is due now); null without cards. */
  async nextDue(learner: Learner): Promise<string | null> {
    const cards = (await this.deps.store.learningCards(learner)).filter((c) => this.kb.byId.has(c.conceptId));
    return cards[0]?.due ?? null;
  }

  /**
   * Concepts the person has not met, from the topics they play (the topics of their cards, most
   * played first; every topic when they have none), prerequisites they have not met last, and only
   * concepts that have a question to practise with.
   */
  async newConcepts(learner: Learner, limit = 3): Promise<ConceptRef[]> {
    const cards = await this.deps.store.learningCards(learner);
    const met = new Set(cards.map((c) => c.conceptId));
    const played = new Map<string, number>();
    for (const c of cards) {
      const topic = this.ref(c.conceptId).topic;
      played.set(topic, (played.get(topic) ?? 0) + 1);
    }
    const order = (c: Concept) => (played.size ? -(played.get(c.topic) ?? 0) : 0);
    const candidates = this.kb.concepts.filter((c) => !met.has(c.id) && (played.size === 0 || played.has(c.topic)) && this.bank.has(c.id));
    const ready = (c: Concept) => (c.prerequisites.every((p) => met.has(p) || !this.kb.byId.has(p)) ? 0 : 1);
    return candidates
      .map((c, i) => ({ c, i }))
      .sort((a, b) => ready(a.c) - ready(b.c) || order(a.c) - order(b.c) || a.i - b.i)
      .slice(0, limit)
      .map(({ c }) => this.ref(c.id));
  }

  /** What `/review` starts from: the due concepts, or when the next is due and what is new. */
  async reviewSession(learner: Learner, limit = 10): Promise<ReviewSession> {
    const all = await this.due(learner, 1000);
    const nextDue = await this.nextDue(learner);
    return { due: all.slice(0, limit), dueCount: all.length, nextDue, suggestions: all.length ? [] : await this.newConcepts(learner) };
  }

  // ---- private practice (/review) ---------------------------------------------------------

  /** A new practice question about a concept for the person, stored so its answer is graded once. */
  async practiceQuestion(learner: Learner, conceptId: string): Promise<PracticeView | undefined> {
    const templates = this.bank.get(conceptId);
    if (!templates?.length) return undefined;
    // Another question than the one asked last time, when the card has one: the same words every
    // day teach the answer's text rather than the concept.
    const last = templates.length > 1 ? await this.lastPracticeKey(learner, conceptId) : undefined;
    const fresh = templates.filter((t) => t.key !== last);
    const template = fresh[Math.floor(this.deps.random() * fresh.length)]!;
    const m = materialize(template, this.deps.random);
    const question: PracticeQuestion = {
      id: randomBytes(8).toString('hex'),
      scope: learner.scope,
      userId: learner.userId,
      conceptId,
      questionKey: m.key,
      prompt: m.prompt,
      options: m.options,
      correct: m.correct,
      why: m.why,
      shownAt: this.deps.clock.now().toISOString(),
      windowSeconds: PRACTICE_WINDOW_SECONDS,
      choice: null,
      answeredAt: null,
    };
    await this.deps.store.addPractice(question);
    return this.view(question);
  }

  /** The key of the question last asked and answered in the person's private practice of a concept. */
  private async lastPracticeKey(learner: Learner, conceptId: string): Promise<string | undefined> {
    const practised = (await this.deps.store.learningReviews(learner)).filter((r) => r.conceptId === conceptId && r.source === 'practice');
    const id = practised.at(-1)?.eventKey.slice('practice:'.length);
    return id === undefined ? undefined : (await this.deps.store.getPractice(id))?.questionKey;
  }

  /** A practice question on the most overdue concept that is not in `exclude`; undefined when nothing (else) is due. */
  async nextPractice(learner: Learner, exclude: readonly string[] = []): Promise<PracticeView | undefined> {
    const skip = new Set(exclude);
    for (const d of await this.due(learner, 1000)) {
      if (skip.has(d.conceptId) || !this.bank.has(d.conceptId)) continue;
      return this.practiceQuestion(learner, d.conceptId);
    }
    return undefined;
  }

  /** The person's answer to a practice question: graded and applied once. */
  async answerPractice(learner: Learner, practiceId: string, choice: number): Promise<PracticeResult> {
    const q = await this.deps.store.getPractice(practiceId);
    if (!q || q.scope !== learner.scope || q.userId !== learner.userId || !Number.isInteger(choice) || choice < 0 || choice > 3) return { status: 'unknown' };
    const answered = () => this.answeredBefore(practiceId);
    if (q.answeredAt !== null) return answered();
    const now = this.deps.clock.now();
    const correct = choice === q.correct;
    const grade = gradeAnswer({ correct, elapsedMs: now.getTime() - Date.parse(q.shownAt), windowSeconds: q.windowSeconds });
    const outcome = await this.apply(
      learner,
      q.conceptId,
      now,
      grade,
      { eventKey: `practice:${q.id}`, source: 'practice', correct, address: null },
      { id: q.id, choice, answeredAt: now.toISOString() },
    );
    if (outcome.result === 'duplicate') return answered();
    return { status: 'recorded', question: this.view(q), choice, correct, answer: q.correct, why: q.why, rating: outcome.rating, card: outcome.card };
  }

  private async answeredBefore(id: string): Promise<PracticeResult> {
    const q = await this.deps.store.getPractice(id);
    if (!q) return { status: 'unknown' };
    return { status: 'answered', question: this.view(q), choice: q.choice, correct: q.choice === null ? null : q.choice === q.correct, answer: q.correct, why: q.why };
  }

  private view(q: PracticeQuestion): PracticeView {
    return { ...this.ref(q.conceptId), id: q.id, questionKey: q.questionKey, prompt: q.prompt, options: q.options, shownAt: q.shownAt, windowSeconds: q.windowSeconds };
  }

  // ---- progress ---------------------------------------------------------------------------

  /**
   * The zone a person's days are counted in: theirs, else the default where they ask (`address`,
   * the request's: a Discord person's scope names no server, so only the request can say which
   * server's setting applies), else the default of their scope (a Slack person's workspace).
   */
  async timezoneOf(learner: Learner, address?: string): Promise<string> {
    const own = (await this.deps.store.getLearner(learner))?.timezone;
    return own ?? (await this.deps.defaultTimezoneAt?.(address ?? learner.scope)) ?? this.deps.defaultTimezone ?? 'UTC';
  }

  /**
   * A person's progress, per topic and overall, with their day streak, weakest concepts and next
   * reviews. With `topics` (topic or subtopic ids), one row per topic named and only their concepts;
   * the streak counts every answer.
   */
  async progress(learner: Learner, options: { timezone?: string; weakest?: number; upcoming?: number; topics?: readonly string[] } = {}): Promise<Progress> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const catalog = catalogOf(this.kb);
    const selected = catalog.normalize(options.topics ?? []);
    const inSelection = (conceptId: string) => {
      const concept = this.kb.byId.get(conceptId);
      return concept !== undefined && catalog.includes(selected, concept);
    };
    const cards = (await store.learningCards(learner)).filter((c) => inSelection(c.conceptId));
    const reviews = await store.learningReviews(learner);
    const known = reviews.filter((r) => inSelection(r.conceptId));
    const timezone = options.timezone ?? (await this.timezoneOf(learner));
    const rows = selected.length ? selected : [...new Set(cards.map((c) => this.ref(c.conceptId).topic))];
    const topics = rows.map((topic) => {
      const inRow = (conceptId: string) => catalog.includes([topic], this.kb.byId.get(conceptId)!);
      return {
        topic,
        name: topicName(this.kb, topic),
        total: catalog.concepts([topic]).length,
        ...countsOf(
          cards.filter((c) => inRow(c.conceptId)),
          known.filter((r) => inRow(r.conceptId)),
          now,
        ),
      };
    });
    if (!selected.length) topics.sort((a, b) => b.seen - a.seen || a.name.localeCompare(b.name));
    const byConcept = new Map<string, { answers: number; correct: number }>();
    for (const r of known) {
      if (r.correct === null) continue;
      const s = byConcept.get(r.conceptId) ?? { answers: 0, correct: 0 };
      s.answers++;
      if (r.correct) s.correct++;
      byConcept.set(r.conceptId, s);
    }
    // Weak means missed: a wrong answer or "Show me again" (rated Again). A concept answered right
    // every time, however new, is not listed.
    const missedOnce = new Set(known.filter((r) => r.rating === Rating.Again).map((r) => r.conceptId));
    const missed = (c: LearningCard) => c.lapses > 0 || missedOnce.has(c.conceptId);
    const weakest = cards
      .filter((c) => masteryOf(c) !== 'mastered' && missed(c))
      .sort((a, b) => a.stability - b.stability || b.lapses - a.lapses || a.conceptId.localeCompare(b.conceptId))
      .slice(0, options.weakest ?? 3)
      .map((c) => ({ ...this.ref(c.conceptId), stability: c.stability, lapses: c.lapses, retrievability: retrievability(c, now), lastReview: c.lastReview, ...(byConcept.get(c.conceptId) ?? { answers: 0, correct: 0 }) }));
    const upcoming = cards
      .filter((c) => Date.parse(c.due) > now.getTime())
      .slice(0, options.upcoming ?? 5)
      .map((c) => ({ ...this.ref(c.conceptId), due: c.due }));
    return {
      learner,
      timezone,
      overall: countsOf(cards, known, now),
      topics,
      streak: dayStreak(
        reviews.filter((r) => r.correct !== null).map((r) => r.answeredAt),
        timezone,
        now,
      ),
      weakest,
      upcoming,
    };
  }

  /** For leads: who took part in a channel's quizzes over the last days, and the concepts it knows least. */
  async channelProgress(address: string, days = CHANNEL_DAYS, limit = 5): Promise<ChannelProgress> {
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - days * 86_400_000).toISOString();
    const activity = await this.deps.store.channelActivity(address, since);
    const weakest = activity.concepts
      .filter((c) => c.answers >= CHANNEL_MIN_ANSWERS && c.correct < c.answers)
      .map((c) => ({ ...this.ref(c.conceptId), answers: c.answers, correct: c.correct, accuracy: c.correct / c.answers, people: c.people }))
      .sort((a, b) => a.accuracy - b.accuracy || b.answers - a.answers || a.conceptId.localeCompare(b.conceptId))
      .slice(0, limit);
    return {
      address,
      days,
      since,
      people: activity.people,
      answers: activity.answers,
      correct: activity.correct,
      accuracy: activity.answers ? activity.correct / activity.answers : null,
      quizzes: activity.quizzes,
      weakest,
    };
  }

  // ---- reminders --------------------------------------------------------------------------

  async reminder(learner: Learner): Promise<ReminderSettings | null> {
    const s = await this.deps.store.getLearner(learner);
    return s?.remindAt && s.timezone && s.remindAddress ? { time: s.remindAt, timezone: s.timezone, address: s.remindAddress } : null;
  }

  /**
   * Opts a person into a daily reminder at a local time (HH:MM) in a zone, sent to `address` (a
   * direct message) once something is due. The zone is also the one their streak is counted in.
   */
  async setReminder(learner: Learner, settings: ReminderSettings): Promise<ReminderSettings> {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(settings.time)) throw new RangeError(`not a time of day (HH:MM): ${settings.time}`);
    if (!isTimeZone(settings.timezone)) throw new RangeError(`not a time zone: ${settings.timezone}`);
    await this.saveSettings(learner, { timezone: settings.timezone, remindAt: settings.time, remindAddress: settings.address });
    return settings;
  }

  /** Stops a person's reminders (the zone stays); whether they were on. */
  async stopReminder(learner: Learner): Promise<boolean> {
    const was = await this.reminder(learner);
    if (was) await this.saveSettings(learner, { remindAt: null, remindAddress: null });
    return was !== null;
  }

  /** Sets the zone a person's days are counted in. */
  async setTimezone(learner: Learner, timezone: string): Promise<void> {
    if (!isTimeZone(timezone)) throw new RangeError(`not a time zone: ${timezone}`);
    await this.saveSettings(learner, { timezone });
  }

  private async saveSettings(learner: Learner, patch: Partial<Pick<LearnerSettings, 'timezone' | 'remindAt' | 'remindAddress'>>): Promise<void> {
    const { store, clock } = this.deps;
    const current = await store.getLearner(learner);
    await store.saveLearner({
      scope: learner.scope,
      userId: learner.userId,
      timezone: current?.timezone ?? null,
      remindAt: current?.remindAt ?? null,
      remindAddress: current?.remindAddress ?? null,
      ...patch,
      updatedAt: clock.now().toISOString(),
    });
  }

  /**
   * Sends the reminders that are due: a person's reminder is due from their local time until their
   * local midnight, once something of theirs is due (not on the day they opted in after that time). Each is claimed per person and local date in
   * the database first (like daily posts), so two processes, a doubled timer or a daylight-saving
   * hour that repeats never send two; a time that a jump skips is due when the clock passes it.
   * Then transient failures are tried again within the day. How many went out.
   */
  async sweepReminders(sender: ReminderSender, signal: SweepSignal = UNSTOPPED): Promise<number> {
    const { store, clock } = this.deps;
    let sent = 0;
    for (const settings of await store.remindedLearners()) {
      if (signal.stopping) return sent;
      const address = settings.remindAddress!;
      if (sender.canReach && !sender.canReach(address)) continue;
      const now = clock.now();
      const local = localTime(now, settings.timezone!);
      const at = parseHHMM(settings.remindAt!);
      if (local.minutes < at) continue;
      // Opted in (or changed) today after the time: the first reminder is tomorrow's, not one right away.
      const changed = localTime(new Date(settings.updatedAt), settings.timezone!);
      if (changed.date === local.date && changed.minutes >= at) continue;
      const learner = { scope: settings.scope, userId: settings.userId };
      const due = await this.due(learner, 1000);
      if (due.length === 0) continue;
      const postKey = reminderPostKey(learner, local.date);
      if (!(await store.claimReminder(learner, local.date, address, postKey, now.toISOString()))) continue;
      if (await this.sendReminder(sender, { learner, address, localDate: local.date, postKey, dueCount: due.length, due: due.slice(0, 3) }, 1)) sent++;
    }
    return sent + (await this.retryReminders(sender, signal));
  }

  private async retryReminders(sender: ReminderSender, signal: SweepSignal): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    let sent = 0;
    if (signal.stopping) return sent;
    for (const send of await store.retryableReminders(now.toISOString(), new Date(now.getTime() - STALE_REMINDER_MS).toISOString())) {
      if (signal.stopping) return sent;
      if (sender.canReach && !sender.canReach(send.address)) continue;
      const learner = { scope: send.scope, userId: send.userId };
      const settings = await this.reminder(learner);
      const due = await this.due(learner, 1000);
      const tooLate = !settings || localTime(now, settings.timezone).date !== send.localDate;
      if (tooLate || due.length === 0) {
        // Taken up only to close it: the outbox still answers whether an earlier attempt went out.
        const record = await store.getOutbox(send.postKey);
        await store.updateReminder(learner, send.localDate, record?.state === 'sent' ? { status: 'sent', sentAt: now.toISOString(), error: null, nextAttemptAt: null } : { status: 'failed', error: send.error ?? (tooLate ? 'the day ended before it could be sent' : 'nothing was due any more'), nextAttemptAt: null });
        continue;
      }
      if (!(await store.reclaimReminder(send, now.toISOString()))) continue;
      if (await this.sendReminder(sender, { learner, address: send.address, localDate: send.localDate, postKey: send.postKey, dueCount: due.length, due: due.slice(0, 3) }, send.attempts + 1)) sent++;
    }
    return sent;
  }

  private async sendReminder(sender: ReminderSender, r: DueReminder, attempt: number): Promise<boolean> {
    const { store, clock, log } = this.deps;
    try {
      const state = await sender.deliver(r);
      if (state === 'sent') {
        await store.updateReminder(r.learner, r.localDate, { status: 'sent', sentAt: clock.now().toISOString(), error: null, nextAttemptAt: null });
        return true;
      }
      // Unknown: never sent again. Busy: a live process is sending it; the claim goes stale if it dies.
      if (state === 'unknown') await store.updateReminder(r.learner, r.localDate, { status: 'failed', error: 'outcome_unknown' });
      return false;
    } catch (err) {
      const code = err instanceof DeliveryError ? err.code : 'error';
      const wait = REMINDER_BACKOFF_MINUTES[attempt - 1];
      if ((err instanceof DeliveryError && err.permanent) || wait === undefined) {
        log.warn(`reminder for ${r.learner.userId} on ${r.localDate} not sent (${code})`, err instanceof Error ? err.message : err);
        await store.updateReminder(r.learner, r.localDate, { status: 'failed', error: code, nextAttemptAt: null });
      } else {
        await store.updateReminder(r.learner, r.localDate, { status: 'retry', error: code, nextAttemptAt: new Date(clock.now().getTime() + wait * 60_000).toISOString() });
      }
      return false;
    }
  }

  /** Sweeps reminders every minute (on the injected timers) and once now. */
  startReminders(sender: ReminderSender): void {
    const timers = this.deps.timers;
    if (!timers) throw new Error('startReminders needs timers');
    // Started again: the first sweep waits for the one under way to end.
    const previous = this.stopReminders();
    this.reminders = new Sweep(
      'reminder sweep',
      async (signal) => {
        await previous;
        await this.sweepReminders(sender, signal);
      },
      this.deps.log,
    ).every(timers, REMINDER_SWEEP_MS, 0);
  }

  /** Stops the reminder sweep; resolves once a sweep under way has ended its current step. */
  async stopReminders(): Promise<void> {
    const sweep = this.reminders;
    this.reminders = undefined;
    await sweep?.stop();
  }

  // ---- privacy ----------------------------------------------------------------------------

  /**
   * What Backfill keeps about a person: rows per table holding their user id on this platform
   * (answers, learning cards, reviews, practice, settings, reminders and their outbox posts; quizzes
   * they started and daily subscriptions they made).
   */
  async personalData(learner: Learner): Promise<PersonalData> {
    return this.deps.store.personalData(learner.userId, platformOfLearner(learner));
  }

  /**
   * `/progress forget`: deletes every row of the person on this platform (every workspace or
   * server of it, as a user id there is one person); quizzes and subscriptions they made stay for
   * the channel with their id and name blanked. Search misses and reports never had a user id.
   */
  async forget(learner: Learner): Promise<PersonalData> {
    return this.deps.store.forgetPerson(learner.userId, platformOfLearner(learner));
  }

  // ---- problem reports --------------------------------------------------------------------

  /** Records a report; `duplicate` when a press with the same key was recorded already. */
  async report(input: ReportInput): Promise<Report & { duplicate: boolean }> {
    if (!(REPORT_KINDS as readonly string[]).includes(input.kind)) throw new RangeError(`not a report kind: ${input.kind}`);
    const note = input.note?.trim().slice(0, REPORT_NOTE_MAX) || null;
    const report: Report = { conceptId: input.conceptId, questionKey: input.questionKey ?? null, kind: input.kind, note, at: this.deps.clock.now().toISOString(), platform: input.platform };
    const recorded = await this.deps.store.addReport(report, input.pressKey);
    return { ...report, duplicate: !recorded };
  }

  /** Reports, newest first: all, or of the last `days`. */
  async reports(options: { days?: number; limit?: number } = {}): Promise<Report[]> {
    const since = options.days === undefined ? undefined : new Date(this.deps.clock.now().getTime() - options.days * 86_400_000).toISOString();
    return this.deps.store.reports(since, options.limit);
  }
}

/** Reports grouped by concept, most reported first: what `backfill kb reports` shows authors. */
export function groupReports(reports: readonly Report[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup>();
  for (const r of reports) {
    let g = groups.get(r.conceptId);
    if (!g) {
      g = { conceptId: r.conceptId, count: 0, kinds: { wrong: 0, unclear: 0, outdated: 0 }, questionKeys: [], notes: [], lastAt: r.at };
      groups.set(r.conceptId, g);
    }
    g.count++;
    g.kinds[r.kind]++;
    if (r.questionKey && !g.questionKeys.includes(r.questionKey)) g.questionKeys.push(r.questionKey);
    if (r.note) g.notes.push(r.note);
    if (r.at > g.lastAt) g.lastAt = r.at;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt) || a.conceptId.localeCompare(b.conceptId));
}
