import { describe, expect, it } from 'vitest';
import { slashCommands } from '../../src/adapters/discord/commands.js';
import { slackManifest } from '../../src/adapters/slack/manifest.js';
import { integer } from '../../src/core/args.js';
import { defineButton } from '../../src/core/buttons.js';
import { arg, defineCommand } from '../../src/core/command.js';
import { assemble, type Feature } from '../../src/core/feature.js';
import { commandTable } from '../../src/core/help.js';
import { silentLogger } from '../../src/core/log.js';
import { buttons, notice, plainText, reply, text } from '../../src/core/reply.js';
import { testApp } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

const user = { id: 'u1', name: 'ana', isManager: false };

/** A whole feature in one declaration: a command with a typed argument, a button, and a lifecycle. */
function diceFeature(events: string[]): Feature {
  const rollAgain = defineButton<number>({ name: 'dice', encode: (sides) => [String(sides)], decode: ([s]) => (s && /^\d+$/.test(s) ? Number(s) : undefined), run: async (_r, sides) => notice(`rolled a d${sides} again`) });
  return {
    name: 'dice',
    commands: [
      defineCommand({
        name: 'roll',
        summary: 'Roll a die',
        args: { sides: arg(integer({ min: 2, max: 100, label: 'The number of sides' }), { description: 'How many sides', default: 6 }) },
        examples: ['20'],
        run: async ({ args }) => reply([text(`rolled a d${args.sides}`), buttons([{ action: rollAgain.action(args.sides), label: 'Again' }])]),
      }),
    ],
    buttons: [rollAgain],
    start: async () => void events.push('start'),
    stop: () => void events.push('stop'),
  };
}

describe('features own their commands', () => {
  it('the app is a list of features, each with its commands and buttons', async () => {
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    expect(app.features.map((f) => f.name)).toEqual(['knowledge', 'quiz', 'daily', 'learning', 'settings']);
    expect(app.features.map((f) => (f.commands ?? []).map((c) => c.name))).toEqual([['explain', 'topics', 'random'], ['quiz', 'leaderboard'], ['daily'], ['review', 'progress', 'report'], ['settings']]);
    expect(app.bot.commands.all().map((c) => c.name)).toEqual(['explain', 'topics', 'random', 'quiz', 'leaderboard', 'daily', 'review', 'progress', 'report', 'settings', 'help']);
    await app.close();
  });

  it('a new command is one declaration in its feature: it runs, and help, the README table, Slack and Discord know it', async () => {
    const events: string[] = [];
    const { bot, start, stop } = assemble([diceFeature(events)], silentLogger);
    await start();
    expect(plainText(await bot.handleText('console:local', user, '/roll 20'))).toBe('rolled a d20\n[Again]');
    expect(plainText(await bot.handleText('console:local', user, 'roll 20'))).toBe('rolled a d20\n[Again]');
    expect(plainText(await bot.handle({ kind: 'action', address: 'console:local', user, action: 'dice:20' }))).toBe('rolled a d20 again');
    expect(plainText(await bot.handleText('console:local', user, '/roll 1'))).toContain('The number of sides must be a whole number from 2 to 100 (got “1”).');
    const help = plainText(await bot.handleText('console:local', user, '/help roll'));
    expect(help).toContain('/roll [2-100]');
    expect(help).toContain('• **sides**: How many sides, 2 to 100 (default: 6)');
    expect(help).toContain('`/roll 20`');
    expect(commandTable(bot.commands)).toContain('| `/roll [2-100]` | anyone | Roll a die |');
    expect(slackManifest(bot.commands.all()).features?.slash_commands?.map((c) => c.command)).toEqual(['/roll', '/backfill']);
    expect(slashCommands(bot.commands)[0]).toMatchObject({ name: 'roll', options: [{ name: 'sides', type: 4, min_value: 2, max_value: 100 }] });
    await stop();
    expect(events).toEqual(['start', 'stop']);
  });

  it('refuses a feature listed twice, and two features declaring one command or button', () => {
    const events: string[] = [];
    expect(() => assemble([diceFeature(events), diceFeature(events)], silentLogger)).toThrow(/listed twice/);
    expect(() => assemble([diceFeature(events), { ...diceFeature(events), name: 'dice2', buttons: [] }], silentLogger)).toThrow(/registered twice/);
    expect(() => assemble([diceFeature(events), { ...diceFeature(events), name: 'dice2', commands: [] }], silentLogger)).toThrow(/declared twice/);
  });
});
