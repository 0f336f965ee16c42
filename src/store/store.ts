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
  ScoreRow,
  StoredQuestion,
  Subscription,
  SearchGap,
  SearchMiss,
} from './types.js';

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
  /** The most recent quiz in a channel, running or not. */
  latestQuiz(address: string, kind: Quiz['kind']): Promise<Quiz | undefined>;
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
   * quizzes they started and daily subscriptions they made (which are kept, without the id, by forgetPerson).
   */
  personalData(userId: string, platform: string): Promise<PersonalData>;
  /**
   * Deletes every row of that person on the platform, all or nothing: answers, learning cards,
   * reviews, practice, settings, reminders and their outbox records. Quizzes they started and
   * subscriptions they made belong to the channel: they stay, with the person's id and name blanked.
   * The rows it deleted or blanked, per table.
   */
  forgetPerson(userId: string, platform: string): Promise<PersonalData>;

  /** Records a problem report about a card or question. */
  addReport(report: Report): Promise<void>;
  /** Reports since a time (all when not given), newest first. */
  reports(since?: string, limit?: number): Promise<Report[]>;

  close(): Promise<void>;
}
