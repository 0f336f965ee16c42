import cron, { type ScheduledTask } from 'node-cron';
import { DeliveryError } from '../core/delivery.js';
import type { User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import { LEASE_MS, type Delivery, type Outbox } from '../core/outbox.js';
import type { Clock, Messenger } from '../core/services.js';
import { conceptCard } from '../knowledge/cards.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { dailyQuizId, questionPostKey, type QuizService } from '../quiz/engine.js';
import type { Store } from '../store/store.js';
import type { DailyKind, DailyPost, Subscription } from '../store/types.js';
import { cronExpression, dueDate } from './clock.js';
import { nextConcept } from './concepts.js';

export interface DailyDeps {
  store: Store;
  knowledge: Knowledge;
  quizzes: QuizService;
  /** Which addresses this process can reach. */
  messenger: Messenger;
  /** Posts go out through it, each exactly once. */
  outbox: Outbox;
  clock: Clock;
  random: () => number;
  log: Logger;
  /** How long the quiz of the day stays open. */
  revealMinutes: number;
}

/** Minutes to wait before the next attempt after a transient failure, by attempts made so far. */
const BACKOFF_MINUTES = [1, 5, 15, 30, 60];
/**
 * A claim this old that never finished may belong to a process that died mid-send. Taking it up
 * is safe at any age: its post goes out through the outbox, which answers "busy" while a live
 * sender holds it and settles what a dead one left before sending anything. Soon is better, as
 * Discord's nonce only guards a repeat for a few minutes.
 */
const STALE_CLAIM_MS = LEASE_MS;

const DAILY_USER: User = { id: 'backfill:daily', name: 'Backfill daily', isManager: true };

/** A channel's concept-of-the-day post for a local date. */
export const conceptPostKey = (address: string, localDate: string) => `daily:concept:${localDate}:${address}`;

/**
 * Posts the concept and quiz of the day. Each post is claimed in the database per channel, kind
 * and local date, so doubled timers, restarts and several processes on one database start it once;
 * what it shows is recorded before it goes out (the concept; the quiz of the day has an id of its
 * own), and it goes out through the outbox, which settles an interrupted send before sending
 * again. node-cron fires each subscription at its local time; a sweep every minute, and one at
 * start, sends whatever is due and unclaimed (posts missed while the bot was down, times a
 * daylight-saving jump skipped), retries transient failures within the day and takes up claims
 * whose sender stopped.
 */
export class DailyService {
  private readonly tasks = new Map<string, ScheduledTask>();
  private sweeper?: ScheduledTask;

  constructor(private readonly deps: DailyDeps) {}

  /** Schedules every active subscription and runs the catch-up sweep. */
  async start(): Promise<void> {
    for (const sub of await this.deps.store.subscriptions('active')) this.schedule(sub);
    this.sweeper = cron.schedule('* * * * *', () => this.sweep(), { name: 'daily-sweep', noOverlap: true });
    await this.sweep();
  }

  stop(): void {
    for (const task of this.tasks.values()) void task.destroy();
    this.tasks.clear();
    void this.sweeper?.destroy();
    this.sweeper = undefined;
  }

  /** (Re)creates the node-cron task of a subscription, or removes it when it is not active. */
  schedule(sub: Subscription | undefined, address = sub?.address): ScheduledTask | undefined {
    if (!address) return undefined;
    void this.tasks.get(address)?.destroy();
    this.tasks.delete(address);
    if (!sub || sub.state !== 'active') return undefined;
    const task = cron.schedule(cronExpression(sub), () => this.run(sub.address), { timezone: sub.timezone, name: `daily:${sub.address}`, noOverlap: true });
    this.tasks.set(address, task);
    return task;
  }

  nextRun(address: string): Date | null {
    return this.tasks.get(address)?.getNextRun() ?? null;
  }

  /** One subscription's scheduled moment. */
  async run(address: string): Promise<void> {
    if (!this.reachable(address)) return;
    const sub = await this.deps.store.getSubscription(address);
    if (sub?.state === 'active') await this.postDue(sub);
  }

  /** A process posts only where its adapters reach; another process on the same database posts the rest. */
  private reachable(address: string): boolean {
    return this.deps.messenger.canReach?.(address) ?? true;
  }

  /** Sends everything due and unclaimed, then retries what is waiting for a retry. */
  async sweep(): Promise<void> {
    try {
      for (const sub of await this.deps.store.subscriptions('active')) if (this.reachable(sub.address)) await this.postDue(sub);
      await this.retry();
    } catch (err) {
      this.deps.log.error('daily sweep failed', err);
    }
  }

  private async postDue(sub: Subscription): Promise<void> {
    const date = dueDate(sub, this.deps.clock.now());
    if (!date) return;
    for (const kind of sub.kinds) {
      if (await this.deps.store.claimPost(sub.address, kind, date, this.deps.clock.now().toISOString())) {
        await this.send(sub, kind, date, 1);
      }
    }
  }

  private async retry(): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    for (const post of await store.retryablePosts(now.toISOString(), new Date(now.getTime() - STALE_CLAIM_MS).toISOString())) {
      if (!this.reachable(post.address)) continue;
      const sub = await store.getSubscription(post.address);
      if (!sub || sub.state !== 'active' || dueDate(sub, now) !== post.localDate) {
        // Too late to send; but a sender that died after the platform had it may have left it unrecorded.
        const out = await this.wentOut(post);
        if (out === 'sent') await store.updatePost(post.address, post.kind, post.localDate, { status: 'posted', postedAt: now.toISOString(), error: null, nextAttemptAt: null });
        else await store.updatePost(post.address, post.kind, post.localDate, { status: 'failed', error: out === 'unknown' ? 'outcome_unknown' : (post.error ?? 'the day ended before it could be sent'), nextAttemptAt: null });
        continue;
      }
      if (await store.reclaimPost(post, now.toISOString())) await this.send(sub, post.kind, post.localDate, post.attempts + 1, post.conceptId);
    }
  }

  /** What the outbox knows of a daily post: out there, possibly out there, or certainly not. */
  private async wentOut(post: DailyPost): Promise<'sent' | 'unknown' | 'no'> {
    const { store } = this.deps;
    const key = post.kind === 'concept' ? conceptPostKey(post.address, post.localDate) : questionPostKey(dailyQuizId(post.address, post.localDate), 0);
    const record = await store.getOutbox(key);
    if (record?.state === 'sent') return 'sent';
    return record?.state === 'sending' || record?.state === 'unknown' ? 'unknown' : 'no';
  }

  private async send(sub: Subscription, kind: DailyKind, date: string, attempt: number, chosen: string | null = null): Promise<void> {
    const { store, clock, log } = this.deps;
    try {
      const { state, conceptId } = kind === 'concept' ? await this.sendConcept(sub, date, chosen) : await this.sendQuiz(sub, date);
      if (state === 'sent') {
        await store.updatePost(sub.address, kind, date, { status: 'posted', conceptId, postedAt: clock.now().toISOString(), error: null });
      } else if (state === 'unknown') {
        log.warn(`daily ${kind} for ${sub.address} on ${date}: it is not known whether it arrived; it is not sent again`);
        await store.updatePost(sub.address, kind, date, { status: 'failed', conceptId, error: 'outcome_unknown' });
      }
      // Busy: a live process is sending it; the claim stays, and a later sweep looks again.
    } catch (err) {
      await this.failed(sub, kind, date, attempt, err);
    }
  }

  /** The concept is chosen once and recorded before it is sent, so another attempt sends the same card. */
  private async sendConcept(sub: Subscription, date: string, chosen: string | null): Promise<{ state: Delivery['state']; conceptId: string }> {
    const { store, knowledge, outbox, random } = this.deps;
    let concept = chosen ? knowledge.kb.byId.get(chosen) : undefined;
    if (!concept) {
      const history = (await store.postsOf(sub.address, 'concept')).filter((p) => p.status === 'posted' && p.conceptId).map((p) => p.conceptId!);
      // Nor show the concept the quiz of the day already asks about, when the quiz went first.
      const quizzed = (await store.questionsOf(dailyQuizId(sub.address, date))).map((q) => q.conceptId);
      concept = nextConcept(knowledge.kb, sub.topics, history, random, new Set(quizzed));
      if (!concept) throw new DeliveryError('no concepts in the chosen topics', 'no_content', true);
      await store.updatePost(sub.address, 'concept', date, { conceptId: concept.id });
    }
    const delivery = await outbox.deliver(conceptPostKey(sub.address, date), sub.address, conceptCard(knowledge.kb, concept, { heading: 'Concept of the day' }));
    return { state: delivery.state, conceptId: concept.id };
  }

  /** The quiz of the day has the id of its channel and date: another attempt continues it rather than starting a second. */
  private async sendQuiz(sub: Subscription, date: string): Promise<{ state: Delivery['state']; conceptId: string | null }> {
    // Never quiz the channel on the concept it was shown this morning: that tests reading, not memory.
    const todaysConcept = (await this.deps.store.postsOf(sub.address, 'concept')).find((p) => p.localDate === date)?.conceptId;
    const result = await this.deps.quizzes.start({
      avoidConcepts: todaysConcept ? [todaysConcept] : [],
      id: dailyQuizId(sub.address, date),
      address: sub.address,
      user: DAILY_USER,
      topics: sub.topics,
      count: 1,
      kind: 'daily',
      windowSeconds: this.deps.revealMinutes * 60,
    });
    if (result.failure) throw result.failure;
    if (result.posted === 'unknown') return { state: 'unknown', conceptId: null };
    if (!result.quiz || !result.posted) throw new DeliveryError(result.error ?? 'the quiz could not start', 'no_content', true);
    const [question] = await this.deps.store.questionsOf(result.quiz.id);
    return { state: result.posted, conceptId: question?.conceptId ?? null };
  }

  private async failed(sub: Subscription, kind: DailyKind, date: string, attempt: number, err: unknown): Promise<void> {
    const { store, clock, log } = this.deps;
    const code = err instanceof DeliveryError ? err.code : 'error';
    if (err instanceof DeliveryError && err.permanent) {
      log.warn(`daily ${kind} for ${sub.address}: ${err.message}; subscription paused`);
      // Refused for good: nothing went out, so no concept was shown.
      await store.updatePost(sub.address, kind, date, { status: 'failed', error: code, conceptId: null });
      await store.setSubscriptionState(sub.address, 'paused', `I could not post here (${code}) on ${date}. Fix my access to the channel, then \`/daily resume\`.`);
      this.schedule(undefined, sub.address);
      return;
    }
    const wait = BACKOFF_MINUTES[Math.min(attempt - 1, BACKOFF_MINUTES.length - 1)]!;
    log.warn(`daily ${kind} for ${sub.address} failed (attempt ${attempt}, ${code}); retrying in ${wait} min`, err instanceof Error ? err.message : err);
    const next = new Date(clock.now().getTime() + wait * 60_000).toISOString();
    await store.updatePost(sub.address, kind, date, { status: 'retry', nextAttemptAt: next, error: code });
  }

  async lastPosts(address: string): Promise<DailyPost[]> {
    return (await this.deps.store.postsOf(address)).slice(-4);
  }
}
