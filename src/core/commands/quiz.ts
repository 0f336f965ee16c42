import type { KnowledgeBase } from '../../knowledge/schema.js';
import { resolveTopic } from '../../knowledge/topics.js';
import { leaderboard, parseLeaderboardArgs } from '../../quiz/leaderboard.js';
import { MAX_QUESTIONS, type QuizService } from '../../quiz/engine.js';
import { QUIZ_ACTION } from '../../quiz/messages.js';
import type { Store } from '../../store/store.js';
import { quoteUserText } from '../cards.js';
import type { ActionHandler, Command } from '../registry.js';
import { notice } from '../reply.js';
import type { Clock } from '../services.js';

export const DEFAULT_QUESTIONS = 5;

/** Words of a request in plain English that say nothing about the quiz: "quiz me on kafka". */
const FILLER = new Set(['me', 'us', 'on', 'about', 'in', 'of', 'a', 'an', 'the', 'some', 'please', 'pls', 'questions', 'question', 'with']);

/** Reads `[topic] [count]` in either order. */
export function parseQuizArgs(kb: KnowledgeBase, args: string): { topics: string[]; count: number } | string {
  let count = DEFAULT_QUESTIONS;
  const topics: string[] = [];
  for (const word of args.split(/\s+/).filter(Boolean)) {
    if (FILLER.has(word.toLowerCase())) continue;
    if (/^[+-]?\d+(\.\d+)?$/.test(word) || /^\d/.test(word)) {
      const n = Number(word);
      if (!Number.isInteger(n) || n < 1 || n > MAX_QUESTIONS) return `The number of questions must be a whole number from 1 to ${MAX_QUESTIONS} (got “${quoteUserText(word, 20)}”).`;
      count = n;
      continue;
    }
    const topic = resolveTopic(kb, word);
    if (!topic) return `Unknown topic “${quoteUserText(word, 30)}”. Topics: ${kb.topics.map((t) => t.id).join(', ')}. Usage: \`/quiz [topic] [count]\`.`;
    if (!topics.includes(topic)) topics.push(topic);
  }
  return { topics, count };
}

export function quizCommand(kb: KnowledgeBase, quizzes: QuizService, answerSeconds: number): Command {
  return {
    name: 'quiz',
    aliases: [],
    summary: 'Start a quiz in this channel, stop it, or review what you missed',
    usage: 'quiz [topic] [count] | quiz stop | quiz review',
    options: [{ name: 'args', description: 'A topic and/or number of questions (1-20), or stop / review', type: 'string', rest: true }],
    accepts: (args) => ['stop', 'review'].includes(args.trim().toLowerCase()) || typeof parseQuizArgs(kb, args) !== 'string',
    async run(request) {
      const sub = request.args.trim().toLowerCase();
      if (sub === 'stop') return quizzes.stop(request.address, request.user);
      if (sub === 'review') return quizzes.review(request.address, request.user);
      const parsed = parseQuizArgs(kb, request.args);
      if (typeof parsed === 'string') return notice(parsed);
      const { quiz, error } = await quizzes.start({ address: request.address, user: request.user, topics: parsed.topics, count: parsed.count, kind: 'quiz', windowSeconds: answerSeconds });
      if (!quiz) return notice(error ?? 'The quiz could not start.');
      return notice(`Started a ${quiz.total}-question quiz. Each question closes after ${answerSeconds} seconds; \`/quiz stop\` ends it early.`);
    },
  };
}

export function leaderboardCommand(store: Store, clock: Clock): Command {
  return {
    name: 'leaderboard',
    aliases: ['scores', 'top'],
    summary: 'Quiz standings: points, accuracy and streaks, in this channel or the whole server',
    usage: 'leaderboard [week|month|all] [channel|server]',
    options: [
      { name: 'period', description: 'week, month or all (default all)', type: 'string', choices: ['week', 'month', 'all'] },
      { name: 'where', description: 'channel (default) or server/workspace', type: 'string', choices: ['channel', 'server'] },
    ],
    accepts: (args) => typeof parseLeaderboardArgs(args) !== 'string',
    async run(request) {
      const args = parseLeaderboardArgs(request.args);
      if (typeof args === 'string') return notice(args);
      return leaderboard(store, clock, request.address, args);
    },
  };
}

export function quizActions(quizzes: QuizService): ActionHandler[] {
  return [{ prefix: QUIZ_ACTION, run: (request, argument) => quizzes.answer(request, argument) }];
}
