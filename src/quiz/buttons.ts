import { buttonKind } from '../core/buttons.js';

export interface AnswerValue {
  quizId: string;
  position: number;
  choice: number;
}

/** An answer button of a quiz question: `quiz:<quizId>:<position>:<choice>`. */
export const answerButton = buttonKind<AnswerValue>({
  name: 'quiz',
  encode: ({ quizId, position, choice }) => [quizId, String(position), String(choice)],
  decode(parts) {
    if (parts.length !== 3) return undefined;
    const [quizId = '', position = '', choice = ''] = parts;
    if (!/^[a-z0-9]{6,32}$/.test(quizId) || !/^\d{1,2}$/.test(position) || !/^[0-3]$/.test(choice)) return undefined;
    return { quizId, position: Number(position), choice: Number(choice) };
  },
});
