import cron, { type ScheduledTask } from 'node-cron';
import { conceptCard } from '../core/cards.js';
import { DeliveryError } from '../core/delivery.js';
import type { User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import type { Clock, Knowledge, Messenger } from '../core/services.js';
import type { QuizService } from '../quiz/engine.js';
import type { Store } from '../store/store.js';
import type { DailyKind, DailyPost, Subscription } from '../store/types.js';
import { cronExpression, dueDate } from './clock.js';
import { nextConcept } from './concepts.js';

export interface DailyDeps {
  store: Store;
  knowledge: Knowledge;
  quizzes: QuizService;
  messenger: Messenger;
  clock: Clock;
  random: () => number;
  log: Logger;
  /** How long the quiz of the day stays open. */
  revealMinutes: number;
}

/** Minutes to wait before the next attempt after a transient failure, by attempts made so far. */
const BACKOFF_MINUTES = [1, 5, 15, 30, 60];
/** A claim this old that never finished belongs to a process that died mid-send. */
const STALE_CLAIM_MS = 10 * 60_000;

const DAILY_USER: User = { id: 'backfill:daily', name: 'Backfill daily', isManager: true };

/**
 * Posts the concept and quiz of the day. Each post is claimed in the database before it is sent
 * (one per channel, kind and local date), so doubled timers, restarts and several processes on one
 * database never post twice. node-cron fires each subscription at its local time; a sweep every
 * minute, and one at start, sends whatever is due and unclaimed (posts missed while the bot was
 * down, times a daylight-saving jump skipped) and retries transient failures within the day.
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
    const sub = await this.deps.store.getSubscription(address);
    if (sub?.state === 'active') await this.postDue(sub);
  }

  /** Sends everything due and unclaimed, then retries what is waiting for a retry. */
  async sweep(): Promise<void> {
    try {
      for (const sub of await this.deps.store.subscriptions('active')) await this.postDue(sub);
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
      const sub = await store.getSubscription(post.address);
      if (!sub || sub.state !== 'active' || dueDate(sub, now) !== post.localDate) {
        await store.updatePost(post.address, post.kind, post.localDate, { status: 'failed', error: post.error ?? 'the day ended before it could be sent', nextAttemptAt: null });
        continue;
      }
      if (await store.reclaimPost(post, now.toISOString())) await this.send(sub, post.kind, post.localDate, post.attempts + 1);
    }
  }

  private async send(sub: Subscription, kind: DailyKind, date: string, attempt: number): Promise<void> {
    const { store, clock } = this.deps;
    try {
      const conceptId = kind === 'concept' ? await this.sendConcept(sub) : await this.sendQuiz(sub);
      await store.updatePost(sub.address, kind, date, { status: 'posted', conceptId, postedAt: clock.now().toISOString(), error: null });
    } catch (err) {
      await this.failed(sub, kind, date, attempt, err);
    }
  }

  private async sendConcept(sub: Subscription): Promise<string> {
    const { store, knowledge, messenger, random } = this.deps;
    const history = (await store.postsOf(sub.address, 'concept')).filter((p) => p.status === 'posted' && p.conceptId).map((p) => p.conceptId!);
    const concept = nextConcept(knowledge.kb, sub.topics, history, random);
    if (!concept) throw new DeliveryError('no concepts in the chosen topics', 'no_content', true);
    await messenger.send(sub.address, conceptCard(knowledge.kb, concept, { heading: 'Concept of the day' }));
    return concept.id;
  }

  private async sendQuiz(sub: Subscription): Promise<string> {
    const result = await this.deps.quizzes.start({ address: sub.address, user: DAILY_USER, topics: sub.topics, count: 1, kind: 'daily', windowSeconds: this.deps.revealMinutes * 60 });
    if (result.failure) throw result.failure;
    if (!result.quiz) throw new DeliveryError(result.error ?? 'the quiz could not start', 'no_content', true);
    const [question] = await this.deps.store.questionsOf(result.quiz.id);
    return question?.conceptId ?? '';
  }

  private async failed(sub: Subscription, kind: DailyKind, date: string, attempt: number, err: unknown): Promise<void> {
    const { store, clock, log } = this.deps;
    const code = err instanceof DeliveryError ? err.code : 'error';
    if (err instanceof DeliveryError && err.permanent) {
      log.warn(`daily ${kind} for ${sub.address}: ${err.message}; subscription paused`);
      await store.updatePost(sub.address, kind, date, { status: 'failed', error: code });
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
