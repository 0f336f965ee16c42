import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../src/core/help.js';
import { testApp } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

const README = new URL('../../README.md', import.meta.url);
const TABLE = /(<!-- commands:[^\n]*-->\n)([\s\S]*?)(\n<!-- \/commands -->)/;

describe('the README', () => {
  it('has the command table the declarations generate (BACKFILL_UPDATE_DOCS=1 rewrites it)', async () => {
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    const table = commandTable(app.bot.commands);
    await app.close();
    const readme = readFileSync(README, 'utf8');
    const found = TABLE.exec(readme);
    expect(found, 'README.md lost its <!-- commands --> markers').not.toBeNull();
    if (process.env['BACKFILL_UPDATE_DOCS'] === '1') writeFileSync(README, readme.replace(TABLE, (_, open: string, _old: string, close: string) => `${open}${table}${close}`));
    else expect(found![2], 'the README command table is out of date; run: BACKFILL_UPDATE_DOCS=1 npx vitest run test/docs').toBe(table);
  });

  it('lists every command and subcommand in that table', async () => {
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    const table = commandTable(app.bot.commands);
    await app.close();
    for (const command of app.bot.commands.all()) {
      for (const sub of command.subcommands) expect(table).toContain(`\`/${command.name}${sub.name && (sub.name !== command.defaultSubcommand || Object.keys(sub.args).length === 0) ? ` ${sub.name}` : ''}`);
    }
    // The commands the README promised before they were declared this way are still there.
    for (const promised of ['/explain <concept or question>', '/topics', '/random', '/quiz', '/quiz stop', '/quiz review', '/leaderboard [week\\|month\\|all] [channel\\|server]', '/daily subscribe', '/daily status', '/daily pause', '/daily resume', '/daily unsubscribe', '/help [command]']) {
      expect(table).toContain(`\`${promised}`);
    }
  });
});
