import type { ScheduledTask } from 'node-cron';
import { DeliveryError } from '../core/delivery.js';
import { platformOf, scopeOf, type User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import { LEASE_MS, type Delivery, type Outbox } from '../core/outbox.js';
import type { Clock, Messenger } from '../core/services.js';
import { Sweep as PeriodicSweep, UNSTOPPED, type SweepSignal } from '../core/sweep.js';
import { conceptCard } from '../knowledge/cards.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { dailyQuizId, questionPostKey, type QuizService } from '../quiz/engine.js';
import { catalogOf, type TopicCatalog } from '../knowledge/catalog.js';
import type { Store } from '../store/store.js';
import type { DailyKind, DailyPost, DueSubscription, PostClaim, Subscription } from '../store/types.js';
import type { EffectiveSettings } from '../settings/service.js';
import { effectiveTopics } from '../settings/topics.js';
import { dueDate, nextDueAt } from './clock.js';
import { nextConcept } from './concepts.js';
import { PlatformSlots } from './slots.js';

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
  /** The settings of a channel's workspace or server (allowed topics); none: every topic. */
  settings?: { of(address: string): Promise<EffectiveSettings> };
  /** Posts in flight at once per platform (POSTS_IN_FLIGHT by default); each adapter's channel lanes pace each channel within it. */
  postsInFlight?: number;
}

/**
 * Posts in flight at once per platform, by default. Enough to keep a platform busy (with a 100 ms
 * round trip, 160 posts a second, over Discord's 50 requests a second, which discord.js waits out
 * by itself), few enough that 10,000 due channels never become 10,000 open requests.
 */
export const POSTS_IN_FLIGHT = 16;
/** Due subscriptions read from the store at a time. */
const PAGE = 200;
/**
 * How long a taken subscription is held by the process that took it: it works out the next due
 * time within moments, so only a process that died leaves it held this long; then another takes it.
 */
const HOLD_MS = 5 * 60_000;
/** The every-minute schedule is set up this long after a start (see start()). */
const SCHEDULE_AFTER_MS = 1_000;

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

/** What one sweep (or run) shares: each workspace's allowed topics, read once, and the posts it sent, recorded a batch at a time. */
interface Sweep {
  /** Stopping: no page is read and no post begun from then on. */
  signal: SweepSignal;
  topicsOf(address: string): Promise<readonly string[]>;
  posted: PostedMarks;
}

/** Posts recorded as posted per statement. */
const MARK_BATCH = 100;

/**
 * Posts that went out, recorded as posted a batch at a time rather than one statement each. Should
 * the process stop first, the posts stay claimed; the retry sweep finds the outbox has them as sent
 * and records them then.
 */
class PostedMarks {
  private pending: PostClaim[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  add(post: PostClaim): void {
    this.pending.push(post);
    if (this.pending.length >= MARK_BATCH) void this.flush();
  }

  /** Writes what is pending; resolves once everything added so far is written (or its failure logged). */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length) {
      this.writing = this.writing
        .then(() => this.store.markPosted(batch, this.clock.now().toISOString()))
        .catch((err: unknown) => this.log.error(`recording ${batch.length} daily posts as posted failed; the retry sweep records them`, err));
    }
    return this.writing;
  }
}

/** Rows by their channel, in order. */
function groupBy<T extends { address: string }>(rows: readonly T[]): Map<string, T[]> {
  const by = new Map<string, T[]>();
  for (const row of rows) {
    const list = by.get(row.address);
    if (list) list.push(row);
    else by.set(row.address, [row]);
  }
  return by;
}

/** A channel's concept-of-the-day post for a local date. */
export const conceptPostKey = (address: string, localDate: string) => `daily:concept:${localDate}:${address}`;

/**
 * Posts the concept and quiz of the day. Each post is claimed in the database per channel, kind
 * and local date, so doubled timers, restarts and several processes on one database start it once;
 * what it shows is recorded before it goes out (the concept; the quiz of the day has an id of its
 * own), and it goes out through the outbox, which settles an interrupted send before sending
 * again. Each subscription keeps when it is next due (its local time on its next chosen day, in
 * UTC); a sweep every minute (node-cron), and one at start, takes the due ones through an index,
 * so a minute with nothing due reads nothing, and sends what is due and unclaimed (posts missed
 * while the bot was down, times a daylight-saving jump skipped); then it retries transient
 * failures within the day and takes up claims whose sender stopped.
 */
export class DailyService {
  private cron?: ScheduledTask;
  private scheduling?: NodeJS.Timeout;
  private sweeper?: PeriodicSweep;
  private readonly catalog: TopicCatalog;

  constructor(private readonly deps: DailyDeps) {
    this.catalog = catalogOf(deps.knowledge.kb);
  }

  /** Starts the sweep every minute, and runs one now: posts missed while the bot was down go out. */
  async start(): Promise<void> {
    // Started again: the first sweep waits for the one under way to end.
    const previous = this.stop();
    const sweeper = (this.sweeper = new PeriodicSweep(
      'daily sweep',
      async (signal) => {
        await previous;
        await this.sweep(signal);
      },
      this.deps.log,
    ));
    // node-cron (~20 ms to load) and the schedule's first use of time zones (~15 ms) are taken after
    // the start's own sweep and the first answers: cron's next tick is at the next minute anyway,
    // and this sweep covers this one.
    this.scheduling = setTimeout(() => {
      this.scheduling = undefined;
      import('node-cron').then(
        ({ default: cron }) => {
          if (this.sweeper === sweeper) this.cron = cron.schedule('* * * * *', () => sweeper.run(), { name: 'daily-sweep', noOverlap: true });
        },
        (err: unknown) => this.deps.log.error('daily posts: node-cron could not be loaded; no post goes out until a restart', err),
      );
    }, SCHEDULE_AFTER_MS);
    this.scheduling.unref();
    await sweeper.run();
  }

  /** Stops the schedule; resolves once a sweep under way has ended its current step (what it claimed and did not begin stays for the retry sweep). */
  async stop(): Promise<void> {
    clearTimeout(this.scheduling);
    this.scheduling = undefined;
    void this.cron?.destroy();
    this.cron = undefined;
    const sweeper = this.sweeper;
    this.sweeper = undefined;
    await sweeper?.stop();
  }

  /**
   * A subscription was saved or resumed: works out when it is next due now rather than in the next
   * sweep. (The store already made it due at the next sweep, which would do the same.)
   */
  async scheduled(sub: Subscription | undefined): Promise<void> {
    if (sub?.state !== 'active') return;
    await this.deps.store.setNextDue(sub.address, '', nextDueAt(sub, this.deps.clock.now()).toISOString());
  }

  /** One subscription's posts that are due now (the sweep does this for every due one). */
  async run(address: string): Promise<void> {
    if (!this.reachable(address)) return;
    const sub = await this.deps.store.getSubscription(address);
    if (sub?.state !== 'active') return;
    const date = dueDate(sub, this.deps.clock.now());
    if (!date) return;
    const sweep = this.newSweep(UNSTOPPED);
    for (const kind of await this.claim(sub, date)) await this.send(sub, kind, date, 1, null, sweep);
    await sweep.posted.flush();
  }

  /** A process posts only where its adapters reach; another process on the same database posts the rest. */
  private reachable(address: string): boolean {
    return this.deps.messenger.canReach?.(address) ?? true;
  }

  /**
   * Sends everything due and unclaimed, then retries what is waiting for a retry. Due subscriptions
   * come from the store's due index a page at a time, each held by this process while it claims
   * their posts, so several processes share the work; the posts go out with at most
   * `postsInFlight` in flight per platform.
   */
  async sweep(signal: SweepSignal = UNSTOPPED): Promise<void> {
    const slots = new PlatformSlots(() => this.deps.postsInFlight ?? POSTS_IN_FLIGHT);
    const sweep = this.newSweep(signal);
    try {
      await this.postDue(slots, sweep);
      // What this sweep claimed has settled, and is recorded, before anything is looked at again.
      await slots.idle();
      await sweep.posted.flush();
      if (!signal.stopping) await this.retry(slots, sweep);
    } catch (err) {
      this.deps.log.error('daily sweep failed', err);
    } finally {
      await slots.idle();
      await sweep.posted.flush();
    }
  }

  /** Each workspace's settings read once per sweep, however many of its channels are due. */
  private newSweep(signal: SweepSignal): Sweep {
    const read = new Map<string, Promise<readonly string[]>>();
    const topicsOf = (address: string) => {
      const scope = scopeOf(address);
      let topics = read.get(scope);
      if (!topics) {
        topics = this.deps.settings ? this.deps.settings.of(address).then((s) => s.topics) : Promise.resolve([]);
        read.set(scope, topics);
      }
      return topics;
    };
    return { signal, topicsOf, posted: new PostedMarks(this.deps.store, this.deps.clock, this.deps.log) };
  }

  /**
   * Walks the due subscriptions in index order, a page at a time, and holds those this process can
   * reach (its platforms, its Discord shards): the others stay due for the process that can.
   */
  private async postDue(slots: PlatformSlots, sweep: Sweep): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now().toISOString();
    let after: DueSubscription | undefined;
    for (;;) {
      // Take more only when most of what was taken has started: what is held should go out soon.
      await slots.room(PAGE / 2);
      if (sweep.signal.stopping) return;
      const page = await store.dueSubscriptions(now, PAGE, after);
      if (page.length === 0) return;
      after = page[page.length - 1];
      const mine = page.filter((due) => this.reachable(due.address)).map((due) => due.address);
      const heldUntil = new Date(clock.now().getTime() + HOLD_MS).toISOString();
      const held = await store.holdDueSubscriptions(mine, now, heldUntil);
      if (held.length) await this.claimHeld(held, heldUntil, slots, sweep);
    }
  }

  /**
   * For a page of held subscriptions, in a few statements rather than a few per channel: chooses
   * each channel's concept of the day (from its history), claims the posts due (recording the
   * concept with the claim, so any later attempt shows the same card), records when each is next
   * due, then hands what it claimed to the slots of its platform.
   */
  private async claimHeld(held: Subscription[], heldUntil: string, slots: PlatformSlots, sweep: Sweep): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const due = held.map((sub) => ({ sub, date: dueDate(sub, now) }));
    const shown = groupBy(await store.postedConcepts(due.filter((d) => d.date && d.sub.kinds.includes('concept')).map((d) => d.sub.address)));
    const claims: PostClaim[] = [];
    for (const { sub, date } of due) {
      if (!date) continue;
      for (const kind of sub.kinds) {
        const conceptId = kind === 'concept' ? await this.chooseConcept(sub, date, shown.get(sub.address) ?? [], sweep) : null;
        claims.push({ address: sub.address, kind, localDate: date, conceptId });
      }
    }
    const claimed = groupBy(await store.claimPosts(claims, now.toISOString()));
    await store.setNextDues(heldUntil, due.map(({ sub, date }) => ({ address: sub.address, nextDueAt: nextDueAt(sub, now, date).toISOString() })));
    for (const { sub, date } of due) {
      const mine = claimed.get(sub.address);
      if (!date || !mine) continue;
      // The quiz of the day avoids the concept the channel gets today (claimed now, or before).
      const todaysConcept = claims.find((c) => c.address === sub.address && c.kind === 'concept')?.conceptId;
      const known = mine.some((c) => c.kind === 'concept') ? todaysConcept : undefined;
      slots.run(platformOf(sub.address), async () => {
        try {
          // Stopping: claimed and not begun, it is the retry sweep's once its claim is stale.
          for (const post of mine) if (!sweep.signal.stopping) await this.send(sub, post.kind, date, 1, post.conceptId, sweep, known);
        } catch (err) {
          this.deps.log.error(`daily posts for ${sub.address} failed`, err);
        }
      });
    }
  }

  /**
   * The next concept of the day of a channel, from the concepts it was shown (none again before
   * every concept of its topics was), and not the one its quiz of the day asked that date, when
   * that went first. Null when its topics have no concepts: sending then says so.
   */
  private async chooseConcept(sub: Subscription, date: string, shown: readonly DailyPost[], sweep: Sweep): Promise<string | null> {
    const history = shown.filter((p) => p.kind === 'concept').map((p) => p.conceptId!);
    const quizzed = shown.filter((p) => p.kind === 'quiz' && p.localDate === date).map((p) => p.conceptId!);
    const topics = effectiveTopics(this.catalog, sub.topics, await sweep.topicsOf(sub.address));
    return nextConcept(this.deps.knowledge.kb, topics, history, this.deps.random, new Set(quizzed))?.id ?? null;
  }

  /**
   * The kinds of a channel's posts for a date this process claimed (none that anyone claimed before),
   * in one statement: two processes never split a day's concept and quiz, so they go out in order.
   */
  private async claim(sub: Subscription, date: string): Promise<DailyKind[]> {
    const claims = sub.kinds.map((kind) => ({ address: sub.address, kind, localDate: date, conceptId: null }));
    return (await this.deps.store.claimPosts(claims, this.deps.clock.now().toISOString())).map((c) => c.kind);
  }

  private async retry(slots: PlatformSlots, sweep: Sweep): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    for (const post of await store.retryablePosts(now.toISOString(), new Date(now.getTime() - STALE_CLAIM_MS).toISOString())) {
      if (!this.reachable(post.address)) continue;
      slots.run(platformOf(post.address), async () => {
        if (sweep.signal.stopping) return;
        await this.retryOne(post, now, sweep).catch((err: unknown) => this.deps.log.error(`daily retry for ${post.address} failed`, err));
      });
    }
  }

  private async retryOne(post: DailyPost, now: Date, sweep: Sweep): Promise<void> {
    const { store } = this.deps;
    const sub = await store.getSubscription(post.address);
    if (!sub || sub.state !== 'active' || dueDate(sub, now) !== post.localDate) {
      // Too late to send; but a sender that died after the platform had it may have left it unrecorded.
      const out = await this.wentOut(post);
      if (out === 'sent') await store.updatePost(post.address, post.kind, post.localDate, { status: 'posted', postedAt: now.toISOString(), error: null, nextAttemptAt: null });
      else await store.updatePost(post.address, post.kind, post.localDate, { status: 'failed', error: out === 'unknown' ? 'outcome_unknown' : (post.error ?? 'the day ended before it could be sent'), nextAttemptAt: null });
      return;
    }
    if (await store.reclaimPost(post, now.toISOString())) await this.send(sub, post.kind, post.localDate, post.attempts + 1, post.conceptId, sweep);
  }

  /** What the outbox knows of a daily post: out there, possibly out there, or certainly not. */
  private async wentOut(post: DailyPost): Promise<'sent' | 'unknown' | 'no'> {
    const { store } = this.deps;
    const key = post.kind === 'concept' ? conceptPostKey(post.address, post.localDate) : questionPostKey(dailyQuizId(post.address, post.localDate), 0);
    const record = await store.getOutbox(key);
    if (record?.state === 'sent') return 'sent';
    return record?.state === 'sending' || record?.state === 'unknown' ? 'unknown' : 'no';
  }

  /** `todaysConcept`: the concept the channel gets today, when known (else it is read). */
  private async send(sub: Subscription, kind: DailyKind, date: string, attempt: number, chosen: string | null, sweep: Sweep, todaysConcept?: string | null): Promise<void> {
    const { store, clock, log } = this.deps;
    try {
      const topics = effectiveTopics(this.catalog, sub.topics, await sweep.topicsOf(sub.address));
      const { state, conceptId } = kind === 'concept' ? await this.sendConcept(sub, topics, date, chosen) : await this.sendQuiz(sub, topics, date, todaysConcept);
      if (state === 'sent') {
        sweep.posted.add({ address: sub.address, kind, localDate: date, conceptId });
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
  private async sendConcept(sub: Subscription, topics: string[], date: string, chosen: string | null): Promise<{ state: Delivery['state']; conceptId: string }> {
    const { store, knowledge, outbox, random } = this.deps;
    let concept = chosen ? knowledge.kb.byId.get(chosen) : undefined;
    if (!concept) {
      const history = (await store.postsOf(sub.address, 'concept')).filter((p) => p.status === 'posted' && p.conceptId).map((p) => p.conceptId!);
      // Nor show the concept the quiz of the day already asks about, when the quiz went first.
      const quizzed = sub.kinds.includes('quiz') ? (await store.questionsOf(dailyQuizId(sub.address, date))).map((q) => q.conceptId) : [];
      concept = nextConcept(knowledge.kb, topics, history, random, new Set(quizzed));
      if (!concept) throw new DeliveryError('no concepts in the chosen topics', 'no_content', true);
      await store.updatePost(sub.address, 'concept', date, { conceptId: concept.id });
    }
    const delivery = await outbox.deliver(conceptPostKey(sub.address, date), sub.address, conceptCard(knowledge.kb, concept, { heading: 'Concept of the day' }));
    return { state: delivery.state, conceptId: concept.id };
  }

  /** The quiz of the day has the id of its channel and date: another attempt continues it rather than starting a second. */
  private async sendQuiz(sub: Subscription, topics: string[], date: string, known?: string | null): Promise<{ state: Delivery['state']; conceptId: string | null }> {
    // Never quiz the channel on the concept it was shown this morning: that tests reading, not memory.
    const todaysConcept = known !== undefined ? known : (await this.deps.store.postsOf(sub.address, 'concept')).find((p) => p.localDate === date)?.conceptId;
    const result = await this.deps.quizzes.start({
      avoidConcepts: todaysConcept ? [todaysConcept] : [],
      id: dailyQuizId(sub.address, date),
      address: sub.address,
      user: DAILY_USER,
      topics,
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
