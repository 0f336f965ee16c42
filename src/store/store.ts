import type {
  Answer,
  ChannelActivity,
  DailyKind,
  DailyPost,
  LeaderboardScope,
  Learner,
  LearnerSettings,
  LearningCard,
  LearningReview,
  OutboxRecord,
  PersonalData,
  PracticeQuestion,
  Quiz,
  ReminderSend,
  Report,
  ScopeSetting,
  ScoreRow,
  StoredQuestion,
  Subscription,
  DueSubscription,
  PostClaim,
  SearchGap,
  SearchMiss,
} from './types.js';
import type { SlackInstallation } from './types.js';

/** How creating a quiz went: created; a quiz with that id exists already; another channel quiz is running there. */
export type CreateQuizResult = 'created' | 'exists' | 'running';

/** The fields of an outbox record a state change writes. */
export type OutboxSettlement = Pick<OutboxRecord, 'state'> & Partial<Pick<OutboxRecord, 'messageId' | 'error' | 'settledAt' | 'leaseUntil'>>;

/**
 * One review of a person's card: the review, the card after it, and the practice question it
 * answers, if any. Written all or nothing, and only onto the card version it was computed from
 * (`card.version - 1`; 0 for a card that did not exist).
 */
export interface ReviewChange {
  review: LearningReview;
  card: LearningCard;
  practice?: { id: string; choice: number; answeredAt: string };
}

/**
 * How applying a review went: recorded; `duplicate` when this person's review with that event key
 * (or that practice answer) was recorded already; `conflict` when the card changed since it was
 * read (another review won the race): read it again and recompute.
 */
export type ReviewResult = 'recorded' | 'duplicate' | 'conflict';

/**
 * Everything Backfill keeps. SQLite implements it for one process (or several on one machine);
 * a server database can implement the same interface for processes on several machines.
 */
export interface Store {
  /**
   * Creates a quiz with its questions, all or nothing. A channel holds at most one running quiz of
   * kind 'quiz' (a unique index, so concurrent starts on any number of processes cannot both win):
   * 'running' when another one holds the channel, 'exists' when this id was created already.
   */
  createQuiz(quiz: Quiz, questions: StoredQuestion[]): Promise<CreateQuizResult>;
  getQuiz(id: string): Promise<Quiz | undefined>;
  /** The running quiz of a kind in a channel, if any. */
  runningQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined>;
  runningQuizzes(): Promise<Quiz[]>;
  /**
   * Running quizzes whose current step was due before `before`, oldest first: an open question's
   * deadline, a closed question's close (the quiz did not move on), or, for a question not posted
   * yet, the close of the one before it (the quiz's creation for the first).
   */
  overdueQuizzes(before: string): Promise<Quiz[]>;
  /** The most recent quiz in a channel, running or not; with `answeredBy`, the most recent that person answered in. */
  latestQuiz(address: string, kind: Quiz['kind'], answeredBy?: string): Promise<Quiz | undefined>;
  updateQuiz(id: string, patch: Partial<Pick<Quiz, 'current' | 'state' | 'endReason' | 'idle'>>): Promise<void>;

  getQuestion(quizId: string, position: number): Promise<StoredQuestion | undefined>;
  questionsOf(quizId: string): Promise<StoredQuestion[]>;
  /** Records the posted message and deadline of a question once; false when it was opened already. */
  openQuestion(quizId: string, position: number, messageId: string, openedAt: string, deadlineAt: string): Promise<boolean>;
  /** Closes a question once; false when it was already closed (another timer or process won). */
  closeQuestion(quizId: string, position: number, closedAt: string): Promise<boolean>;

  /** Records an answer; false when this person already answered this question. */
  addAnswer(answer: Answer): Promise<boolean>;
  answersTo(quizId: string, position: number): Promise<Answer[]>;
  answersOfQuiz(quizId: string): Promise<Answer[]>;

  markSeen(address: string, questionKeys: string[], at: string): Promise<void>;
  /** When each question was last shown in a channel. */
  seenQuestions(address: string): Promise<Map<string, string>>;

  /**
   * Totals per person over answers that count: answers to revealed (closed) questions, in quizzes of
   * the day and quizzes two or more people played. An open question's answers show nowhere yet.
   */
  scores(where: LeaderboardScope, since?: string): Promise<ScoreRow[]>;
  /** Revealed answers of some people in a scope, oldest first, to work out streaks. */
  answerHistory(where: LeaderboardScope, userIds: string[], since?: string): Promise<Array<Pick<Answer, 'userId' | 'correct'>>>;

  saveSubscription(sub: Subscription): Promise<void>;
  getSubscription(address: string): Promise<Subscription | undefined>;
  deleteSubscription(address: string): Promise<boolean>;
  subscriptions(state?: Subscription['state']): Promise<Subscription[]>;
  setSubscriptionState(address: string, state: Subscription['state'], reason: string | null): Promise<void>;

  /** Claims the post of a kind for a channel's local date; false when it was claimed already, by anyone. */
  claimPost(address: string, kind: DailyKind, localDate: string, at: string): Promise<boolean>;
  /** Takes a post that is waiting for a retry (or was abandoned mid-send) for another attempt; false if someone else did. */
  reclaimPost(post: DailyPost, at: string): Promise<boolean>;
  updatePost(address: string, kind: DailyKind, localDate: string, patch: Partial<Pick<DailyPost, 'status' | 'conceptId' | 'nextAttemptAt' | 'postedAt' | 'error'>>): Promise<void>;
  /** Posts waiting for another attempt at `now`, and claims older than `staleBefore` that never finished. */
  retryablePosts(now: string, staleBefore: string): Promise<DailyPost[]>;
  /** A channel's daily posts, oldest first. */
  postsOf(address: string, kind?: DailyKind): Promise<DailyPost[]>;

  /**
   * Active subscriptions due at `now` (their next due time has come), soonest first, a page of at
   * most `limit` after `after` (the last row of the previous page): read through the due index, so
   * a minute with nothing due reads nothing. Saving a subscription or changing its state makes it
   * due at the next look.
   */
  dueSubscriptions(now: string, limit: number, after?: DueSubscription): Promise<DueSubscription[]>;
  /**
   * Holds those of the named subscriptions that are still due at `now` until `holdUntil`, and
   * returns them: a process that takes a subscription this way is the only one to take it (another
   * process's look skips it until then, or until its next due time is set).
   */
  holdDueSubscriptions(addresses: readonly string[], now: string, holdUntil: string): Promise<Subscription[]>;
  /** Sets when a subscription is next due, if it is still held until `heldUntil` (changed since: false, and the next sweep looks again). */
  setNextDue(address: string, heldUntil: string, nextDueAt: string): Promise<boolean>;
  /** `setNextDue` for many subscriptions held until the same time, in one statement; how many were still held. */
  setNextDues(heldUntil: string, next: ReadonlyArray<DueSubscription>): Promise<number>;
  /**
   * Claims many posts at once, as `claimPost` does each (with the concept it will show, when chosen
   * already): the ones this call claimed, which nobody had claimed before.
   */
  claimPosts(claims: ReadonlyArray<PostClaim>, at: string): Promise<PostClaim[]>;
  /** Records sent posts as posted, with the concept each showed, in one statement (a batch of `updatePost`s). */
  markPosted(posts: ReadonlyArray<PostClaim>, postedAt: string): Promise<void>;
  /** The posted daily posts of some channels that showed a concept (concepts of the day, questions of the day), oldest first. */
  postedConcepts(addresses: readonly string[]): Promise<DailyPost[]>;
  /** When a subscription is next due ('' at the next sweep), or undefined when there is no such subscription. */
  nextDue(address: string): Promise<string | undefined>;

  /** The settings a workspace or server chose, by name. */
  scopeSettings(scope: string): Promise<ScopeSetting[]>;
  /** Creates or replaces one setting of a workspace or server. */
  saveScopeSetting(setting: ScopeSetting): Promise<void>;
  /** Removes settings of a workspace or server (the named ones, or all), so their defaults apply again; how many there were. */
  deleteScopeSettings(scope: string, names?: readonly string[]): Promise<number>;

  /** Records a post as being sent by `owner` until `leaseUntil`; false when the key is recorded already. */
  claimOutbox(postKey: string, address: string, owner: string, at: string, leaseUntil: string): Promise<boolean>;
  getOutbox(postKey: string): Promise<OutboxRecord | undefined>;
  /**
   * Takes a post over for another attempt, if it is still as `seen` (so one of several processes
   * wins); `restart` starts its window again (the last attempt certainly did not post it).
   */
  takeOverOutbox(seen: OutboxRecord, owner: string, at: string, leaseUntil: string, restart: boolean): Promise<boolean>;
  /** Changes a post that `owner` is sending; false when it is no longer theirs (taken over, or settled). */
  settleOutbox(postKey: string, owner: string, settlement: OutboxSettlement): Promise<boolean>;
  /** The outbox records of a channel, oldest first. */
  outboxOf(address: string): Promise<OutboxRecord[]>;

  /** Records a question search could not answer, or a card that was not what someone meant. */
  recordSearchMiss(miss: SearchMiss): Promise<void>;
  /** Misses since a time, grouped by what was asked, most frequent first. */
  searchGaps(since: string, limit: number): Promise<SearchGap[]>;

  /** A person's card for a concept. */
  learningCard(learner: Learner, conceptId: string): Promise<LearningCard | undefined>;
  /** All of a person's cards, soonest due first. */
  learningCards(learner: Learner): Promise<LearningCard[]>;
  /** A person's cards due at `now`, most overdue first. */
  dueLearningCards(learner: Learner, now: string, limit: number): Promise<LearningCard[]>;
  /** Records a review and the card after it, all or nothing; see ReviewResult. */
  applyReview(change: ReviewChange): Promise<ReviewResult>;
  /** A person's reviews (answers and card buttons), oldest first, since a time when given. */
  learningReviews(learner: Learner, since?: string): Promise<LearningReview[]>;

  addPractice(question: PracticeQuestion): Promise<void>;
  getPractice(id: string): Promise<PracticeQuestion | undefined>;

  getLearner(learner: Learner): Promise<LearnerSettings | undefined>;
  /** Creates or replaces a person's settings. */
  saveLearner(settings: LearnerSettings): Promise<void>;
  /** Everyone who opted into reminders. */
  remindedLearners(): Promise<LearnerSettings[]>;

  /** Claims a person's reminder for their local date; false when it was claimed already, by anyone. */
  claimReminder(learner: Learner, localDate: string, address: string, postKey: string, at: string): Promise<boolean>;
  /** Takes a reminder waiting for a retry (or abandoned mid-send) for another attempt; false if someone else did. */
  reclaimReminder(send: ReminderSend, at: string): Promise<boolean>;
  updateReminder(learner: Learner, localDate: string, patch: Partial<Pick<ReminderSend, 'status' | 'nextAttemptAt' | 'sentAt' | 'error'>>): Promise<void>;
  /** Reminders waiting for another attempt at `now`, and claims older than `staleBefore` that never finished. */
  retryableReminders(now: string, staleBefore: string): Promise<ReminderSend[]>;
  /** A person's reminders, oldest first. */
  remindersOf(learner: Learner): Promise<ReminderSend[]>;

  /** Revealed answers in a channel since a time: who took part, and how each concept went. */
  channelActivity(address: string, since: string): Promise<ChannelActivity>;

  /**
   * Rows that hold a person's user id on a platform (every workspace or server of it), per table:
   * answers, learning cards, reviews, practice, settings, reminders and their outbox posts, and the
   * quizzes they started and daily subscriptions they made, and on Slack the installations they made
   * (which are kept, without the id, by forgetPerson).
   */
  personalData(userId: string, platform: string): Promise<PersonalData>;
  /**
   * Deletes every row of that person on the platform, all or nothing: answers, learning cards,
   * reviews, practice, settings, reminders and their outbox records. Quizzes they started and
   * subscriptions they made belong to the channel, and a Slack installation they made (with its bot
   * token) to the workspace: they stay, with the person's id, name and user token blanked.
   * The rows it deleted or blanked, per table.
   */
  forgetPerson(userId: string, platform: string): Promise<PersonalData>;

  /**
   * Records a problem report about a card or question; with a `pressKey`, only the first report
   * under that key (false for a later one, which is not recorded).
   */
  addReport(report: Report, pressKey?: string): Promise<boolean>;
  /** Reports since a time (all when not given), newest first. */
  reports(since?: string, limit?: number): Promise<Report[]>;

  /** Creates or replaces a Slack installation (OAuth distribution) by its key; a replaced one keeps its first `installedAt`. */
  saveSlackInstallation(installation: SlackInstallation): Promise<void>;
  /** The installation of a workspace (key: its team id) or of an organization installed org-wide (key: its enterprise id). */
  slackInstallation(installKey: string): Promise<SlackInstallation | undefined>;
  /** The installation that serves a workspace: its own, else its organization's org-wide one (see `noteSlackOrgTeam`). */
  slackInstallationForTeam(teamId: string): Promise<SlackInstallation | undefined>;
  /** Records that requests from a workspace arrive under its organization's org-wide installation. */
  noteSlackOrgTeam(teamId: string, enterpriseId: string, at: string): Promise<void>;
  /** Deletes an installation with its tokens; false when there was none. */
  deleteSlackInstallation(installKey: string): Promise<boolean>;

  close(): Promise<void>;
}
