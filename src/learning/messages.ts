import { buttons, context, fields, notice, text, truncate, type Block, type Button, type Reply } from '../core/reply.js';
import { zoneLabel } from '../core/zones.js';
import { escapeRegExp, quoteUserText } from '../core/text.js';
import { explainButton, reportKindButton } from '../knowledge/buttons.js';
import { LETTERS } from '../quiz/messages.js';
import type { PersonalData, ReportKind } from '../store/types.js';
import { practiceButton, quizMeButton, reviewButton, type SessionStep } from './buttons.js';
import { BAR_LEGEND, bar, topicBar } from './progress.js';
import { MASTERED_STABILITY_DAYS } from './schedule.js';
import type { ChannelProgress, ConceptRef, DueReminder, PracticeView, Progress, ReminderSettings, ReviewSession } from './service.js';
import { describeWhen, percent } from './when.js';

/** What a reply needs to say times in the person's calendar. */
export interface Calendar {
  now: Date;
  timezone: string;
}

/** How many questions one `/review` asks before offering to go on. */
export const DEFAULT_SESSION = 10;
export const MAX_SESSION = 50;

export const MASTERED_RULE = `A concept is mastered once its FSRS stability (the days until recall falls to 90%) reaches ${MASTERED_STABILITY_DAYS} days.`;

const startReview = (label: string, size = DEFAULT_SESSION, style?: Button['style']): Button => ({ action: reviewButton.action({ answered: 0, size }), label, ...(style ? { style } : {}) });

/** A private practice question: four answers, lettered; `due`: the concepts due now, this one among them. */
export function practiceMessage(q: PracticeView, at: SessionStep, due: number, lead: Block[] = []): Reply {
  const fast = Math.round(q.windowSeconds / 2);
  return {
    // Below the last answer's feedback, the title would head that feedback: the next topic goes above its question instead.
    title: lead.length ? 'Review' : `Review · ${q.topicName}`,
    ephemeral: true,
    blocks: [
      ...lead,
      ...(lead.length ? [text(`**${q.topicName}**`)] : []),
      text(q.prompt),
      buttons(q.options.map((o, i) => ({ action: practiceButton.action({ id: q.id, choice: i, ...at }), label: truncate(`${LETTERS[i]}. ${o}`, 75), shortcut: LETTERS[i] }))),
      context(`Question ${at.answered + 1} of ${Math.min(at.size, at.answered + due)}, only for you. A right answer within ${fast} s brings this concept back later than a slower one.`),
    ],
  };
}

/** "Right" or "Not quite", with the answer and why. */
export function answerLines(q: PracticeView, choice: number, answer: number, why: string): Block[] {
  const right = choice === answer;
  const head = right ? `**Right: ${LETTERS[answer]}. ${q.options[answer]}**` : `**Not quite.** You chose ${LETTERS[choice]}; the answer is **${LETTERS[answer]}. ${q.options[answer]}**`;
  return [text(`${head}\n${why}`)];
}

export function nextReviewLine(ref: ConceptRef, due: string, cal: Calendar): Block {
  return context(`Next review of ${ref.title}: ${describeWhen(due, cal.now, cal.timezone)}.`);
}

/** The end of a session: nothing left, or the session's size reached with more due. */
export function sessionEnd(leftDue: number, at: SessionStep, nextDue: string | null, cal: Calendar): Block[] {
  if (leftDue > 0) return [text(`That makes ${at.answered} for now; ${leftDue} more ${leftDue === 1 ? 'is' : 'are'} due.`), buttons([startReview('Keep going', at.size, 'primary')])];
  const next = nextDue ? ` Your next review: ${describeWhen(nextDue, cal.now, cal.timezone)}.` : '';
  return [text(`All done: nothing else is due.${next}`), context('`/progress` shows how it is going.')];
}

/** `/review` with nothing due: when the next is, and new concepts from the topics the person plays. */
export function nothingDue(session: ReviewSession, cal: Calendar): Reply {
  const blocks: Block[] = [
    text(
      session.nextDue
        ? `Nothing to review right now. Your next review: ${describeWhen(session.nextDue, cal.now, cal.timezone)}.`
        : 'Nothing to review yet. Concepts come back here after you answer quiz questions about them, or press **I knew this** or **Show me again** on a card.',
    ),
  ];
  if (session.suggestions.length) {
    blocks.push(text(session.nextDue ? 'Meanwhile, new concepts from the topics you play:' : 'Some concepts to start with:'));
    blocks.push(buttons(session.suggestions.map((s) => ({ action: explainButton.action(s.conceptId), label: truncate(conceptLabel(s, 'dot'), 75) }))));
  }
  blocks.push(context('`/review remind 08:30` sends you a direct message on days something is due.'));
  return { title: 'Review', ephemeral: true, blocks };
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "Producer acks · Apache Kafka" (or "(Apache Kafka)"), but the title alone when it names its tool
 * already: "Apache Kafka", "Kafka consumer lag", "dbt (data build tool)".
 */
function conceptLabel(c: Pick<ConceptRef, 'title' | 'topicName'>, style: 'dot' | 'parens'): string {
  const tool = c.topicName.replace(/^Apache\s+/i, '');
  if (new RegExp(`(^|[^\\w])${escapeRegExp(tool)}($|[^\\w])`, 'i').test(c.title)) return c.title;
  return style === 'dot' ? `${c.title} · ${c.topicName}` : `${c.title} (${c.topicName})`;
}

const JUST_REVIEWED_MS = 3_600_000;

/**
 * FSRS's estimate of recall now, labelled as one. Right after a review it is 100% whether the answer
 * was right or not (the answer was just shown), which beside "0 of 1 right" reads as a contradiction.
 */
function recallNow(w: Progress['weakest'][number], now: Date): string {
  if (w.lastReview && now.getTime() - Date.parse(w.lastReview) < JUST_REVIEWED_MS) return 'just reviewed';
  return `recall estimate now ${percent(w.retrievability)}`;
}

/** `/progress`: per topic bars, streak, accuracy, weakest concepts and next reviews. */
export function progressMessage(p: Progress, cal: Calendar, options: { heading?: string; forHome?: boolean; narrowed?: boolean } = {}): Reply {
  const blocks: Block[] = [];
  if (p.overall.seen === 0 && options.narrowed) {
    blocks.push(text('Nothing yet in the topics you named. A `/quiz` on them brings them here; `/progress` alone shows everything you have met.'));
  } else if (p.overall.seen === 0) {
    blocks.push(text('Nothing yet. Answer quiz questions (`/quiz`), press **I knew this** or **Show me again** on a card, or start with `/review`: what you meet comes back here.'));
  } else {
    const streak = p.streak.current ? `${count(p.streak.current, 'day')}${p.streak.today ? '' : ' (answer today to keep it)'}` : 'none yet';
    blocks.push(
      fields([
        { label: 'Day streak', value: `${streak} · best ${count(p.streak.best, 'day')}` },
        { label: 'Accuracy', value: p.overall.accuracy === null ? 'no answers yet' : `${percent(p.overall.accuracy)} of ${count(p.overall.answers, 'answer')}` },
        { label: 'Concepts', value: `${p.overall.seen} seen · ${p.overall.mastered} mastered · ${p.overall.learning} learning` },
        { label: 'Due now', value: p.overall.due ? `${p.overall.due} (\`/review\` practises them)` : 'nothing' },
      ]),
    );
    const rows = p.topics.map((t) => {
      const right = t.accuracy === null ? '' : ` · ${percent(t.accuracy)} right`;
      return `**${t.name}**\n${topicBar(t.mastered, t.learning, t.total)}  ${t.mastered} mastered · ${t.learning} learning · ${t.total - t.seen} not seen${right}`;
    });
    if (rows.length) blocks.push(text(rows.join('\n')), context(BAR_LEGEND));
    if (p.weakest.length) {
      blocks.push(
        text(
          `**Weakest**\n${p.weakest
            .map((w) => `- ${conceptLabel(w, 'parens')}: ${[w.answers ? `${w.correct} of ${count(w.answers, 'answer')} right` : '', recallNow(w, cal.now)].filter(Boolean).join(' · ')}`)
            .join('\n')}`,
        ),
      );
    }
    if (p.upcoming.length) blocks.push(text(`**Next reviews**\n${p.upcoming.map((u) => `- ${u.title}: ${describeWhen(u.due, cal.now, cal.timezone)}`).join('\n')}`));
  }
  const actions: Button[] = [startReview('Start a review', DEFAULT_SESSION, 'primary')];
  if (options.forHome) actions.push({ action: quizMeButton.action(true), label: 'Start a quiz' });
  blocks.push(buttons(actions));
  blocks.push(context(`${MASTERED_RULE} Days count in ${zoneLabel(p.timezone)}. Only you see this; \`/progress forget\` deletes it.`));
  return { title: options.heading ?? 'Your progress', ephemeral: true, blocks };
}

/** `/progress channel`: who took part here over the period, and what to explain next. */
export function channelProgressMessage(c: ChannelProgress): Reply {
  const blocks: Block[] = [
    fields([
      { label: 'People who answered', value: String(c.people) },
      { label: 'Quizzes', value: String(c.quizzes) },
      { label: 'Answers', value: c.accuracy === null ? '0' : `${c.answers} · ${percent(c.accuracy)} right` },
    ]),
  ];
  if (c.weakest.length) {
    blocks.push(text(`**Concepts this channel knows least**\n${c.weakest.map((w) => `- ${conceptLabel(w, 'parens')} ${bar(w.accuracy)} ${w.correct} of ${w.answers} right, ${count(w.people, 'person', 'people')}`).join('\n')}`));
    blocks.push(buttons(c.weakest.slice(0, 5).map((w) => ({ action: explainButton.action(w.conceptId), label: truncate(`Explain: ${w.title}`, 75) }))));
  } else {
    blocks.push(text(c.answers ? 'No concept was missed by enough people to stand out.' : 'No quiz answers here in that time.'));
  }
  blocks.push(context(`Revealed quiz answers and quizzes of the day in this channel over the last ${c.days} days. Only you see this.`));
  return { title: 'This channel’s progress', ephemeral: true, blocks };
}

const TABLES: Record<string, string> = {
  answers: 'quiz answers (yours, in every channel)',
  learning_cards: 'review schedules, one per concept',
  learning_reviews: 'review history (answers and card buttons)',
  learning_practice: 'private practice questions',
  learning_people: 'your settings (time zone, reminder)',
  learning_reminders: 'reminders sent',
  outbox: 'delivery records of your reminders',
  quizzes: 'quizzes you started (kept for the channel, your name removed)',
  daily_subscriptions: 'daily posts you set up (kept for the channel, your id removed)',
  slack_installations: 'Backfill installs you made (kept for the workspace with its bot token, so Backfill stays installed; your id and any token of yours removed)',
};

function dataLines(data: PersonalData): string {
  const lines = Object.entries(data)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `- ${n} × ${TABLES[table] ?? table}`);
  return lines.length ? lines.join('\n') : '- nothing';
}

/** `/progress forget`: what is kept, and a button to delete it. */
export function forgetPrompt(data: PersonalData, platformName: string, confirm: string): Reply {
  const any = Object.values(data).some((n) => n > 0);
  return {
    title: 'What Backfill keeps about you',
    ephemeral: true,
    blocks: [
      text(`On ${platformName}, under your user id:\n${dataLines(data)}`),
      ...(any
        ? [
            context('Deleting removes your answers from the leaderboards, your review schedules, history and settings, everywhere on this platform. It cannot be undone.'),
            buttons([{ action: confirm, label: 'Delete all of it', style: 'danger' as const }]),
          ]
        : [context('There is nothing to delete.')]),
    ],
  };
}

export function forgotten(data: PersonalData): Reply {
  return notice(`Deleted, or kept without your name or id where it says so:\n${dataLines(data)}\nBackfill keeps nothing else under your id. What you do from now on is kept again (see \`/progress forget\`).`);
}

/** The daily reminder, in the person's DM. */
export function reminderMessage(r: DueReminder): Reply {
  const names = r.due.map((d) => `- ${conceptLabel(d, 'parens')}`).join('\n');
  const more = r.dueCount > r.due.length ? `\n…and ${r.dueCount - r.due.length} more` : '';
  return {
    title: `${count(r.dueCount, 'concept')} to review`,
    blocks: [text(`Due today:\n${names}${more}`), buttons([startReview('Start a review', DEFAULT_SESSION, 'primary')]), context('A few questions, only for you. `/review remind off` stops these messages.')],
  };
}

export function reminderSet(r: ReminderSettings, given: string | undefined): Reply {
  const zone = given && given.toLowerCase() !== zoneLabel(r.timezone).toLowerCase() ? `, which “${quoteUserText(given, 30)}” stands for here` : '';
  return notice(`Reminders on: a direct message at ${r.time} (${zoneLabel(r.timezone)}${zone}) on days something is due for review, at most once a day. Your days (the streak) count in ${zoneLabel(r.timezone)} too. \`/review remind off\` stops them.`);
}

/** "What is wrong with it?": one button per kind; the note is a command away. */
export function reportChooser(target: string, title: string, noteCommand: string): Reply {
  const kinds: Array<{ kind: ReportKind; label: string }> = [
    { kind: 'wrong', label: 'It is wrong' },
    { kind: 'unclear', label: 'It is unclear' },
    { kind: 'outdated', label: 'It is out of date' },
  ];
  const what = target.includes('#') ? `this question about ${title}` : `the card ${title}`;
  return {
    ephemeral: true,
    blocks: [
      text(`What is the problem with ${what}?`),
      buttons(kinds.map((k) => ({ action: reportKindButton.action({ kind: k.kind, target }), label: k.label }))),
      context(`To say more, send it with a note instead: \`${noteCommand}\`. Reports keep no name or user id.`),
    ],
  };
}

/** `question`: a quiz question of the card was reported, not the card. */
export function reportThanks(kind: ReportKind, title: string, question = false): Reply {
  return notice(`Thanks: reported ${question ? `a quiz question about ${title}` : title} as ${kind}. The authors see it with \`backfill kb reports\`.`);
}
