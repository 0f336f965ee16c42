import { formatDuration } from '../core/calendar.js';
import { quoteUserText } from '../core/text.js';
import { explainButton, reportButton } from '../knowledge/buttons.js';
import { answerButton } from './buttons.js';
import { buttons, context, fields, text, truncate, type Reply } from '../core/reply.js';
import type { Answer, Quiz, StoredQuestion } from '../store/types.js';
import { places, type Standing } from './scoring.js';

export const QUIZ_ACTION = 'quiz';
export const LETTERS = ['A', 'B', 'C', 'D'] as const;

export function answerAction(quizId: string, position: number, choice: number): string {
  return answerButton.action({ quizId, position, choice });
}

/** An answer time as a sentence says it: "30 seconds", "10 minutes", "2m30s", "4.5 hours" (a quiz of the day). */
export function seconds(n: number): string {
  if (n < 120) return n === 1 ? '1 second' : `${n} seconds`;
  if (n >= 7200) return `${Math.round(n / 360) / 10} hours`;
  return n % 60 === 0 ? `${n / 60} minutes` : formatDuration(n);
}

/** Parses `quizId:position:choice`; undefined for anything a button of ours could not have sent. */
export function parseAnswerAction(argument: string): { quizId: string; position: number; choice: number } | undefined {
  return answerButton.decode(argument.split(':'));
}

const option = (q: StoredQuestion, i: number) => `${LETTERS[i]}. ${q.options[i]}`;

function heading(quiz: Quiz, q: StoredQuestion, topicName: string): string {
  return quiz.kind === 'daily' ? `Quiz of the day · ${topicName}` : `Question ${q.position + 1} of ${quiz.total} · ${topicName}`;
}

function names(list: Answer[]): string {
  return list.map((a) => quoteUserText(a.userName, 40)).join(', ');
}

export function questionMessage(quiz: Quiz, q: StoredQuestion, topicName: string, windowText: string): Reply {
  return {
    title: heading(quiz, q, topicName),
    blocks: [
      text(q.prompt),
      buttons(q.options.map((_, i) => ({ action: answerAction(quiz.id, q.position, i), label: truncate(option(q, i), 75), shortcut: LETTERS[i] }))),
      context(`Answer within ${windowText}. One answer each; the first right answers earn a speed bonus.`),
    ],
  };
}

export function revealMessage(quiz: Quiz, q: StoredQuestion, topicName: string, conceptTitle: string, answers: Answer[]): Reply {
  const right = answers.filter((a) => a.correct);
  return {
    title: heading(quiz, q, topicName),
    blocks: [
      text(q.prompt),
      text(`**Answer: ${option(q, q.correct)}**\n${q.why}`),
      answers.length
        ? fields([
            { label: 'Got it right', value: right.length ? names(right) : 'Nobody' },
            { label: 'Answers', value: `${answers.length} (${right.length} right)` },
          ])
        : context('Nobody answered this one.'),
      buttons([
        { action: explainButton.action(q.conceptId), label: truncate(`Explain: ${conceptTitle}`, 75) },
        { action: reportButton.action(q.questionKey), label: 'Report a problem' },
      ]),
    ],
  };
}

export function standingsMessage(quiz: Quiz, topicName: string, table: Standing[], reason: string | null): Reply {
  const place = places(table);
  const rows = table.slice(0, 10).map((s, i) => `${place[i]}. ${quoteUserText(s.userName, 40)}: ${s.points} pts (${s.correct}/${s.answers} right)`);
  const notes = [reason, table.length === 1 ? 'Played alone: practice, so it does not count on the leaderboard.' : null].filter((n): n is string => n !== null);
  return {
    title: `Quiz over · ${topicName}`,
    blocks: [
      ...notes.map(context),
      text(rows.length ? rows.join('\n') : 'Nobody answered this time.'),
      context('`/quiz review` shows the questions you missed; `/leaderboard` shows the standings over time.'),
    ],
  };
}

export function lockedIn(q: StoredQuestion, choice: number): string {
  return `Locked in: ${truncate(option(q, choice), 80)}. The answer is revealed when the question closes.`;
}
