import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/delivery.js';
import { notice } from '../../src/core/reply.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { consoleDriver, discordDriver, slackDriver, type Driver } from './drivers.js';

/**
 * One contract, every platform: the same scenarios through the console, Slack over HTTP (a real
 * Bolt receiver and a fake Web API) and Discord (a real discord.js Client and a fake gateway).
 */
const quizzable = (id: string, title: string, extra: Partial<ConceptFixture> = {}): ConceptFixture => ({
  id,
  title,
  quiz: [{ question: `Which statement about ${title} holds?`, answer: `right about ${title}`, wrong: ['wrong one', 'wrong two', 'wrong three'], why: `Because of ${title}.` }],
  ...extra,
});
const dir = writeKnowledge([
  quizzable('kafka/acks', 'Producer acks', { aliases: ['acks'], related: ['kafka/isr'] }),
  quizzable('kafka/isr', 'In-sync replicas', { aliases: ['isr'] }),
  quizzable('spark/rdd', 'RDD', { aliases: ['resilient distributed dataset'] }),
]);

const DRIVERS: Array<[string, (dir: string) => Promise<Driver>]> = [
  ['console', consoleDriver],
  ['Slack', slackDriver],
  ['Discord', discordDriver],
];

describe.each(DRIVERS)('the platform contract: %s', (_name, make) => {
  let d: Driver;
  beforeAll(async () => {
    d = await make(dir);
  });
  afterAll(() => d?.close());

  it('answers /explain with a private card that can be shared or called not what was meant', async () => {
    const card = await d.command('explain', undefined, { query: 'kafka acks' });
    expect(card.private).toBe(true);
    expect(card.text).toContain('Producer acks');
    expect(card.buttons).toEqual(['explain:kafka/isr', 'share:kafka/acks', 'notmeant:kafka/acks:kafka acks', 'knew:kafka/acks', 'again:kafka/acks', 'report:kafka/acks']);
  });

  it('shares a card in the channel for everyone, naming who shared it', async () => {
    const shared = await d.click('share:kafka/acks', undefined, d.alice);
    expect(shared.private).toBe(false);
    expect(shared.text).toContain(`Shared by ${d.alice.shownAs}`);
    expect(shared.text).toContain('Producer acks');
    expect(shared.buttons).not.toContain('share:kafka/acks');
  });

  it('posts a quiz question with answer buttons, locks answers in privately, and reveals by editing that message', async () => {
    const started = await d.command('quiz', 'start', { topics: 'kafka', count: 1 });
    expect(started.private).toBe(true);
    expect(started.text).toContain('Started a 1-question quiz');
    const question = (await d.posts()).find((p) => p.text.includes('Question 1 of 1'))!;
    expect(question.buttons).toHaveLength(4);
    const quiz = (await d.app.store.latestQuiz(d.address, 'quiz'))!;
    const stored = (await d.app.store.getQuestion(quiz.id, 0))!;
    expect(stored.messageId).toBe(question.id);

    const right = await d.click(question.buttons[stored.correct]!, question.id, d.alice);
    expect(right.private).toBe(true);
    expect(right.text).toMatch(/Locked in: [A-D]\. right about/);
    const wrong = await d.click(question.buttons[(stored.correct + 1) % 4]!, question.id, d.bob);
    expect(wrong.text).toContain('Locked in');

    await d.time.advance(20_000);
    const reveal = (await d.edits()).find((e) => e.id === question.id)!;
    expect(reveal.text).toContain('Answer: ');
    expect(reveal.text).toContain(d.alice.shownAs);
    expect(reveal.buttons).toEqual([`explain:${stored.conceptId}`, `report:${stored.questionKey}`]);
    const late = await d.click(question.buttons[0]!, question.id, d.bob);
    expect(late.text).toContain('This question has closed');
    expect((await d.posts()).some((p) => p.text.includes('Quiz over'))).toBe(true);
  });

  it('lets a channel manager subscribe, and posts the concept of the day at its time', async () => {
    const before = (await d.posts()).length;
    const subscribed = await d.command('daily', 'subscribe', { kind: 'concept', time: '23:59', zone: 'UTC' }, undefined, true);
    expect(subscribed.text).toContain('a concept at 23:59 (UTC), every day, from all topics');
    await d.time.advanceTo(new Date(d.time.now().toISOString().slice(0, 10) + 'T23:59:00Z').toISOString());
    await d.app.daily.sweep();
    const daily = (await d.posts()).slice(before);
    expect(daily).toHaveLength(1);
    expect(daily[0]!.text).toContain('Concept of the day');
    const status = await d.command('daily', 'status', {});
    expect(status.text).toContain('concept: posted');
  });

  it('explains the console\'s own commands in the console only, and names the whole place as the platform does', async () => {
    const help = d.name === 'Slack' ? await d.command('backfill', 'help', { command: 'quit' }) : await d.command('help', undefined, { command: 'quit' });
    if (d.name === 'console') expect(help.text).toContain('Leave the console.');
    // Slack reads `/backfill help quit` as a question when no command is named; Discord refuses the option.
    else expect(help.text).toMatch(/^(There is no command “quit”\. Did you mean `\/help quiz`\?|I have no card that matches “help quit”\.)/);
    const place = { console: 'this console', Slack: 'this workspace', Discord: 'this server' }[d.name];
    const board = await d.command('leaderboard', undefined, { period: 'week', where: 'server' });
    expect(board.text).toContain(`Leaderboard · ${place} · the last 7 days`);
    expect(board.text).not.toContain('workspace/server');
  });

  it('maps a refusal to a permanent DeliveryError, and a server error to a transient one that may have posted', async () => {
    const refused = d.refusedForGood();
    const err = await d.send(refused.address, notice('hello')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ code: refused.code, permanent: true, maybePosted: false });
    if (!d.serverError) return; // the console cannot have a server error
    const down = d.serverError();
    const failed = await d.send(down.address, notice('hello')).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DeliveryError);
    expect(failed).toMatchObject({ code: down.code, permanent: false, maybePosted: true });
  });
});
