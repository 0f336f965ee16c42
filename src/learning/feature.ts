import type { Feature } from '../core/feature.js';
import { platformOf, type ActionRequest } from '../core/incoming.js';
import type { Outbox } from '../core/outbox.js';
import { notice, type Reply } from '../core/reply.js';
import type { Messenger } from '../core/services.js';
import { againButton, knewButton, reportButton, reportKindButton, reportTarget } from '../knowledge/buttons.js';
import { catalogOf } from '../knowledge/catalog.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { QuizService } from '../quiz/engine.js';
import type { SettingsService } from '../settings/service.js';
import { effectiveTopics } from '../settings/topics.js';
import { forgetButton, practiceButton, quizMeButton, reviewButton } from './buttons.js';
import { forgetDigest, personalProgress, progressCommand } from './commands/progress.js';
import { reportCommand } from './commands/report.js';
import { reviewCommand } from './commands/review.js';
import { learnerOf } from './learner.js';
import { forgotten, reportChooser, reportThanks } from './messages.js';
import { PracticeSession } from './practice.js';
import { reminderSender } from './reminders.js';
import type { LearningService } from './service.js';
import { describeWhen } from './when.js';

export interface LearningFeatureOptions {
  knowledge: Knowledge;
  learning: LearningService;
  quizzes: QuizService;
  /** Reminders go out through it, exactly once. */
  outbox: Outbox;
  /** Which addresses this process reaches, and how a person's DM is opened. */
  messenger: Pick<Messenger, 'canReach' | 'directAddress'>;
  /** The workspace's or server's answer time, allowed topics and zone (`/settings`). */
  settings: Pick<SettingsService, 'of' | 'defaults'>;
}

/** Questions in a quiz started from the Home tab. */
const HOME_QUIZ_QUESTIONS = 5;

/**
 * Learning that sticks: `/review` (private practice of what is due, and daily reminders),
 * `/progress` (yours, a channel's for its managers, and forgetting), `/report`, the card buttons
 * that feed a person's schedule, "Report a problem" on cards and reveals, and the Home page.
 */
export function learningFeature(o: LearningFeatureOptions): Feature {
  const { knowledge, learning, settings } = o;
  const catalog = catalogOf(knowledge.kb);
  const practice = new PracticeSession(learning, knowledge);
  const learnerAt = (req: ActionRequest) => learnerOf(req.address, req.user.id);
  const titleOf = (conceptId: string) => knowledge.kb.byId.get(conceptId)?.title;

  /** "I knew this" or "Show me again": the clicker's schedule, once per card message. */
  async function cardButton(req: ActionRequest, conceptId: string, press: 'knew' | 'again'): Promise<Reply> {
    const title = titleOf(conceptId);
    if (!title) return notice('That concept is no longer in the knowledge base.');
    const learner = learnerAt(req);
    const outcome = press === 'knew' ? await learning.knewIt(learner, conceptId, req.messageId) : await learning.showAgain(learner, conceptId, req.messageId);
    const when = describeWhen(outcome.card.due, learning.now(), await learning.timezoneOf(learner, req.address));
    if (outcome.result === 'duplicate') return notice(`Already noted for this card. ${title} comes back in your reviews ${when}.`);
    const said = outcome.rating === 'again' ? `${title} comes back in your reviews ${when}` : `Noted that you knew ${title}: it comes back in your reviews ${when}`;
    return notice(`${said}. \`/review\` practises what is due; \`/progress\` shows how it is going.`);
  }

  return {
    name: 'learning',
    commands: [reviewCommand({ learning, practice, messenger: o.messenger, defaults: settings.defaults }), progressCommand(knowledge, learning), reportCommand(knowledge, learning)],
    buttons: [
      practiceButton.handledBy((req, value) => practice.answer(learnerAt(req), req.address, value)),
      reviewButton.handledBy((req, at) => practice.next(learnerAt(req), req.address, at)),
      knewButton.handledBy((req, id) => cardButton(req, id, 'knew')),
      againButton.handledBy((req, id) => cardButton(req, id, 'again')),
      reportButton.handledBy(async (_req, target) => {
        const title = titleOf(reportTarget(target).conceptId);
        if (!title) return notice('That concept is no longer in the knowledge base.');
        return reportChooser(target, title, `/report ${target} unclear <your note>`);
      }),
      reportKindButton.handledBy(async (req, { kind, target }) => {
        const { conceptId, questionKey } = reportTarget(target);
        const title = titleOf(conceptId);
        if (!title) return notice('That concept is no longer in the knowledge base.');
        // One report per chooser message: it is the presser's own (ephemeral), so no user id is needed.
        const pressKey = req.messageId ? `${req.address}:${req.messageId}:${target}` : undefined;
        const { duplicate } = await learning.report({ conceptId, questionKey, kind, note: null, platform: platformOf(req.address), pressKey });
        if (duplicate) return notice(`Already reported: ${title} is on the authors' list once. To say more, use \`/report ${target} ${kind} <your note>\`.`);
        return reportThanks(kind, title, questionKey !== null);
      }),
      forgetButton.handledBy(async (req, digest) => {
        const learner = learnerAt(req);
        if (digest !== forgetDigest(learner)) return notice('This button was made for someone else: nothing was deleted. `/progress forget` shows what is kept about you.');
        return forgotten(await learning.forget(learner));
      }),
      quizMeButton.handledBy(async (req) => {
        const here = await settings.of(req.address);
        const played = (await learning.progress(learnerAt(req), { timezone: here.timezone, weakest: 0, upcoming: 0 })).topics.map((t) => t.topic);
        // The topics played that the workspace allows, else all it allows (as a daily post chooses).
        const topics = effectiveTopics(catalog, played, here.topics);
        const { quiz, error } = await o.quizzes.start({ address: req.address, user: req.user, topics, count: HOME_QUIZ_QUESTIONS, kind: 'quiz', windowSeconds: here.answerSeconds });
        return notice(quiz ? `Started a ${quiz.total}-question quiz here, just for you: it counts for your reviews, not the leaderboard.` : (error ?? 'The quiz could not start.'));
      }),
    ],
    home: (address, user) => personalProgress(learning, learnerOf(address, user.id), address, { forHome: true }),
    async start() {
      learning.startReminders(reminderSender(o.outbox, o.messenger));
    },
    stop: () => learning.stopReminders(),
  };
}
