import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BOT_EVENTS, BOT_SCOPES, manifestJson, slackManifest } from '../../src/adapters/slack/manifest.js';
import { EXPLAIN_SHORTCUT } from '../../src/adapters/slack/conventions.js';
import { slackCli } from '../../src/cli/slack.js';
import { UsageError } from '../../src/cli/errors.js';
import { loadConfig } from '../../src/config/env.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';
import { testApp } from '../helpers/app.js';

const COMMITTED = new URL('../../slack/manifest.json', import.meta.url);
const REGENERATE = 'npm run build && node dist/cli/main.js slack manifest > slack/manifest.json';

function registry() {
  const { app } = testApp(REAL_KNOWLEDGE_DIR);
  return { commands: app.bot.commands.all(), close: () => app.close() };
}

describe('Slack app manifest', () => {
  it('is committed exactly as the command registry generates it', async () => {
    const { commands, close } = registry();
    const generated = manifestJson(commands);
    await close();
    expect(readFileSync(COMMITTED, 'utf8'), `slack/manifest.json is out of date; run: ${REGENERATE}`).toBe(generated);
  });

  it('has one slash command per registry command, help as /backfill, within Slack limits', async () => {
    const { commands, close } = registry();
    const manifest = slackManifest(commands);
    await close();
    const slash = manifest.features?.slash_commands ?? [];
    expect(slash.map((c) => c.command)).toEqual(commands.map((c) => (c.name === 'help' ? '/backfill' : `/${c.name}`)));
    expect(slash.map((c) => c.command)).toContain('/explain');
    for (const c of slash) {
      expect(c.command.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.url).toBeUndefined();
    }
    expect(slash.find((c) => c.command === '/explain')?.usage_hint).toMatch(/^<concept or question>/);
    expect(manifest.oauth_config?.scopes?.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.settings).toMatchObject({ event_subscriptions: { bot_events: [...BOT_EVENTS] }, interactivity: { is_enabled: true }, socket_mode_enabled: true });
    expect(manifest.features?.app_home?.messages_tab_enabled).toBe(true);
  });

  it('points every request URL at /slack/events for HTTP mode, and OAuth back to /slack/oauth_redirect', () => {
    const manifest = slackManifest([], { httpUrl: 'https://bot.example.com/' });
    expect(manifest.settings).toMatchObject({
      event_subscriptions: { request_url: 'https://bot.example.com/slack/events' },
      interactivity: { is_enabled: true, request_url: 'https://bot.example.com/slack/events' },
      socket_mode_enabled: false,
    });
    expect(manifest.oauth_config?.redirect_urls).toEqual(['https://bot.example.com/slack/oauth_redirect']);
    expect(slackManifest([]).oauth_config?.redirect_urls).toBeUndefined();
  });

  it('describes the app at the length Slack asks, offers "Explain this" on messages, and can be installed org-wide', () => {
    const manifest = slackManifest([]);
    const long = manifest.display_information.long_description ?? '';
    expect(long.length).toBeGreaterThanOrEqual(174);
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(manifest.features?.shortcuts).toEqual([{ type: 'message', name: 'Explain this', callback_id: EXPLAIN_SHORTCUT, description: expect.any(String) }]);
    expect(manifest.features?.shortcuts?.[0]?.description.length).toBeLessThanOrEqual(150);
    expect(manifest.settings?.org_deploy_enabled).toBe(true);
    // With OAuth, an uninstall or a revoked token deletes that workspace's tokens.
    expect(manifest.settings?.event_subscriptions?.bot_events).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
  });

  it('is printed by `backfill slack manifest`, which refuses other arguments', async () => {
    const config = loadConfig({ KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR });
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString()));
    expect(await slackCli(['manifest'], 'https://bot.example.com', config, out)).toBe(0);
    expect(JSON.parse(printed).settings.socket_mode_enabled).toBe(false);
    await expect(slackCli(['manifesto'], undefined, config, out)).rejects.toBeInstanceOf(UsageError);
    // The same usage line as `backfill help` gives.
    await expect(slackCli(['manifesto'], undefined, config, out)).rejects.toThrow(/^Usage: backfill slack manifest \[--http URL\]$/);
    await expect(slackCli(['manifest'], 'http://insecure.example.com', config, out)).rejects.toThrow(/https URL/);
    // A base URL: Slack's paths are added to it, so a query or fragment would end up in front of them.
    await expect(slackCli(['manifest'], 'https://bot.example.com?a=1', config, out)).rejects.toThrow(/without \? or #/);
    await expect(slackCli(['manifest'], 'https://bot.example.com/#x', config, out)).rejects.toThrow(/without \? or #/);
  });

  it('is printed before any token exists: other settings that are wrong are warned about, not refused', () => {
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'slack', 'manifest'], { env: { ...process.env, ENV_FILE: 'off', KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, PORT: 'abc', SLACK_BOT_TOKEN: 'bad' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(COMMITTED, 'utf8'));
    expect(r.stderr).toContain('warning: PORT: expected a port number from 1 to 65535 (got "abc") (the manifest does not use it; npm start will refuse it)');
    expect(r.stderr).toContain('warning: SLACK_BOT_TOKEN:');
  });
});
