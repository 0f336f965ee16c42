import { describe, expect, it } from 'vitest';
import { buttonKind, ButtonRouter, defineButton, MAX_ACTION_LENGTH } from '../../src/core/buttons.js';
import { notice } from '../../src/core/reply.js';
import { explainButton, notMeantButton, randomButton, shareButton } from '../../src/knowledge/buttons.js';
import { answerButton } from '../../src/quiz/buttons.js';
import { testApp } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

describe('buttons are declared: typed values in and out of an action id, limits checked once', () => {
  it('writes and reads back each kind of button, in the ids messages already carry', () => {
    expect(explainButton.action('kafka/acks')).toBe('explain:kafka/acks');
    expect(shareButton.action('kafka/acks')).toBe('share:kafka/acks');
    expect(randomButton.action('hive')).toBe('random:hive');
    expect(answerButton.action({ quizId: 'abc123', position: 2, choice: 3 })).toBe('quiz:abc123:2:3');
    expect(answerButton.decode(['abc123', '2', '3'])).toEqual({ quizId: 'abc123', position: 2, choice: 3 });
    expect(answerButton.decode(['../../etc', '99', '9'])).toBeUndefined();
    expect(notMeantButton.decode(['kafka/acks', 'what is', ' acks'])).toEqual({ conceptId: 'kafka/acks', query: 'what is: acks' });
  });

  it('cuts only free text to fit, and refuses any other id over the limit when it is made', () => {
    const long = notMeantButton.action({ conceptId: 'kafka/acks', query: 'why '.repeat(60) });
    expect(long.length).toBe(MAX_ACTION_LENGTH);
    expect(long.startsWith('notmeant:kafka/acks:why why')).toBe(true);
    expect(() => explainButton.action(`kafka/${'x'.repeat(120)}`)).toThrow(/longer than 100/);
    expect(() => explainButton.action('kafka:acks')).toThrow(/contains ":"/);
    expect(() => buttonKind({ name: 'Bad Name', encode: () => [], decode: () => undefined })).toThrow(/button name/);
  });

  it('refuses two buttons of one name, and says so for ids no button made', async () => {
    const one = defineButton<string>({ name: 'twin', encode: (v) => [v], decode: ([v]) => v, run: async () => notice('one') });
    expect(() => new ButtonRouter([one, one])).toThrow(/declared twice/);
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    expect(app.bot.buttons.names().sort()).toEqual(['again', 'explain', 'forget', 'knew', 'notmeant', 'practice', 'quiz', 'quizme', 'random', 'report', 'reported', 'review', 'share']);
    const user = { id: 'u', name: 'u', isManager: false };
    expect((await app.bot.handle({ kind: 'action', address: 'console:local', user, action: 'explain:not a concept' })).blocks[0]).toEqual({ type: 'text', text: 'That button is not one of mine, or it has expired.' });
    expect((await app.bot.handle({ kind: 'action', address: 'console:local', user, action: 'explain:kafka/gone' })).blocks[0]).toEqual({ type: 'text', text: 'That concept is no longer in the knowledge base.' });
    await app.close();
  });
});
