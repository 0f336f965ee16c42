import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKnowledge } from '../helpers/knowledge.js';
import { freePort, MainProcess, STACK_LINE } from '../helpers/spawn-main.js';

/** `npm start` (dist/main.js) as a real process, with credentials that cannot work. */

const dir = writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] }]);
const APPLICATION_ID = '100000000000000001';

describe('starting with missing or malformed credentials', () => {
  it('stops with one line naming the variable, before it creates or migrates the database', async () => {
    // Nothing listens there: a start that got as far as a platform fails another way, and reaches no real service.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const cases: Array<[Record<string, string>, string]> = [
      [{ SLACK_BOT_TOKEN: 'xoxb-', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: `${closed}/api/` }, 'SLACK_BOT_TOKEN: expected the Bot User OAuth Token'],
      [{ SLACK_BOT_TOKEN: 'xoxb-1 2', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `${closed}/api/`, PORT: String(await freePort()) }, 'SLACK_BOT_TOKEN: expected the Bot User OAuth Token'],
      [{ DISCORD_TOKEN: 'Bot abc.def.ghi', DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: closed }, 'DISCORD_TOKEN: expected the bot token'],
      [{ DISCORD_APPLICATION_ID: APPLICATION_ID }, 'DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set'],
    ];
    for (const [env, line] of cases) {
      const folder = join(mkdtempSync(join(tmpdir(), 'backfill-start-')), 'data');
      const database = join(folder, 'backfill.sqlite');
      const main = new MainProcess({ KNOWLEDGE_DIR: dir, SQLITE_PATH: database, ...env });
      const { code } = await main.exited;
      const what = JSON.stringify(env);
      expect(code, what).toBe(2);
      expect(main.stderr, what).toMatch(new RegExp(`^Configuration problem \\(see \\.env\\.example\\):\\n {2}${line}[^\\n]*\\n$`));
      expect(main.stderr, what).not.toMatch(STACK_LINE);
      // Not the file, nor the folder prepared for it.
      expect(existsSync(folder), what).toBe(false);
    }
  });
});
