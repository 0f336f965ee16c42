import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDatabase } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';
import { SIGNING_SECRET } from '../helpers/slack.js';
import { freePort, MainProcess, STACK_LINE } from '../helpers/spawn-main.js';
import { FakeSlack, slackSignature, slashCommandForm } from '../slack/fake-slack.js';

/**
 * A knowledge-base change with invalid cards, as an operator meets it: `npm start` (node
 * dist/main.js) starts on the valid cards and says which were skipped; `kb validate` still fails;
 * a knowledge base with no valid card, or an invalid topics.yaml, still stops the start.
 */

const home = mkdtempSync(join(tmpdir(), 'backfill-partial-'));
const cache = join(home, 'cache');

/** A copy of the shipped knowledge folder. */
function copyKnowledge(name: string): string {
  const dir = join(home, name);
  cpSync(REAL_KNOWLEDGE_DIR, dir, { recursive: true });
  return dir;
}

const cardFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /^[a-z0-9-]+\/[^/]+\.md$/.test(f));
const snapshots = () => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.snap')).sort() : []);

const edit = (dir: string, file: string, change: (text: string) => string) => writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
/** The card's body made longer than the 1,500 characters a body may have. */
const overlong = (text: string) => text.replace(/\n---\n/, `\n---\n${'A sentence that makes the body far too long. '.repeat(40)}\n`);

const LONG = 'kafka/acks-vs-min-insync-replicas.md';
const BAD_URL = 'spark/rdd.md';

function start(dir: string, input: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['dist/main.js'], {
    input,
    env: { ...process.env, KNOWLEDGE_DIR: dir, KNOWLEDGE_CACHE_DIR: cache, SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Starts on `dir` and asks for two cards that link to kafka/acks: both answer. The warning lines. */
function askLinkingCards(dir: string): string[] {
  const result = start(dir, '/explain acks vs min.insync.replicas\n/explain min.insync.replicas\n');
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('== acks vs min.insync.replicas ==');
  expect(result.stdout).toContain('== min.insync.replicas ==');
  return result.stderr.trimEnd().split('\n').map((l) => l.replace(/^\S+ WARN /, ''));
}

const broken = copyKnowledge('broken');
edit(broken, LONG, overlong);
edit(broken, BAD_URL, (t) => t.replace(/url: https:\/\//, 'url: http://'));
const total = cardFiles(broken).length;

describe('npm start with some invalid cards', () => {
  it('starts on the valid cards, says which were skipped and why, and writes no snapshot of the partial knowledge base', () => {
    // A current snapshot of the valid knowledge base exists; the changed files are another key.
    const valid = start(copyKnowledge('valid'), '');
    expect(valid.status, valid.stderr).toBe(0);
    expect(snapshots()).toHaveLength(1);
    const before = snapshots();

    const result = start(broken, '/explain kafka acks\n/explain acks vs min.insync.replicas\n/explain RDD\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('== Producer acks ==');
    expect(result.stdout).not.toContain('== acks vs min.insync.replicas ==');
    expect(result.stdout).not.toContain('== RDD (Resilient Distributed Dataset) ==');
    // One warning per skipped card, naming the file and the field (and the valid cards whose links to it are left out), then the summary.
    const lines = result.stderr.trimEnd().split('\n').map((l) => l.replace(/^\S+ WARN /, ''));
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^knowledge card ${LONG} skipped: body: must be at most 1500 characters; it has \\d{4} \\(the links to it from kafka/acks\\.md, kafka/min-insync-replicas\\.md are left out\\)$`)),
      expect.stringMatching(new RegExp(`^knowledge card ${BAD_URL} skipped: sources\\[0\\]\\.url: must be an https URL \\(the links to it from spark/[a-z-]+\\.md, spark/[a-z-]+\\.md, spark/[a-z-]+\\.md and \\d+ more are left out\\)$`)),
      `2 of ${total} cards skipped: fix them and run \`npm run backfill -- kb validate\``,
    ]);
    expect(result.stderr).not.toMatch(STACK_LINE);
    // No snapshot was written of the partial load: the next start reads the files (and warns) again.
    expect(snapshots()).toEqual(before);
    const again = start(broken, '');
    expect(again.stderr).toContain(`2 of ${total} cards skipped`);
  });

  it('keeps the cards that link to a deleted card, leaving the links out with one warning per missing id', () => {
    const dir = copyKnowledge('deleted-card');
    rmSync(join(dir, 'kafka/acks.md'));
    const lines = askLinkingCards(dir);
    expect(lines).toEqual([
      expect.stringMatching(/^knowledge cards link to kafka\/acks, which no card has \(deleted, renamed or misspelt\?\): the links from kafka\/acks-vs-min-insync-replicas\.md, .* are left out$/),
      'links to cards that no file holds left out: fix them and run `npm run backfill -- kb validate`',
    ]);
    expect(lines.join('\n')).not.toContain('skipped');
    // A card a subtopic of topics.yaml names (dbt/ref, in "dbt sources, seeds and refs"): the entry is left out too.
    const named = copyKnowledge('deleted-subtopic-card');
    rmSync(join(named, 'dbt/ref.md'));
    const started = start(named, '/explain dbt sources\n');
    expect(started.status, started.stderr).toBe(0);
    expect(started.stdout).toContain('== Sources and source freshness ==');
    expect(started.stderr).toMatch(/topics\.yaml \[\d+\]\.subtopics\[\d+\]\.concepts\[\d+\]: "ref" matches no concept of dbt \(subtopic [a-z-]+\) \(deleted, renamed or misspelt\?\): the entry is left out/);
    // kb validate still names every link.
    const validate = spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'validate'], { env: { ...process.env, KNOWLEDGE_DIR: dir, KNOWLEDGE_CACHE_DIR: cache }, encoding: 'utf8' });
    expect(validate.status).toBe(1);
    expect(validate.stdout + validate.stderr).toContain('kafka/min-insync-replicas.md: related[0]: unknown concept id "kafka/acks"');
  });

  it('keeps the cards that link to a card skipped for its file name (kafka/Acks.md says kafka/acks), leaving only the links out', () => {
    const dir = copyKnowledge('capitalised');
    cpSync(join(dir, 'kafka/acks.md'), join(dir, 'kafka/Acks.md'));
    rmSync(join(dir, 'kafka/acks.md'));
    expect(askLinkingCards(dir)).toEqual([
      expect.stringMatching(/^knowledge card kafka\/Acks\.md skipped: a card's file name must be lowercase .* \(the links to it from kafka\/acks-vs-min-insync-replicas\.md, .* are left out\)$/),
      `1 of ${total} cards skipped: fix them and run \`npm run backfill -- kb validate\``,
    ]);
  });

  it('keeps a card with a link written as a bare slug or an alias that reads as another card\'s name, leaving out only the link and the alias', () => {
    const dir = copyKnowledge('bare-slug');
    edit(dir, 'kafka/min-insync-replicas.md', (t) => t.replace('related: [kafka/acks,', 'related: [acks,'));
    edit(dir, 'spark/data-skew.md', (t) => t.replace('aliases: [data skew,', 'aliases: [shuffle, data skew,'));
    const result = start(dir, '/explain min.insync.replicas\n/explain spark data skew\n/explain spark shuffle\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('== min.insync.replicas ==');
    expect(result.stdout).toContain('== Spark data skew ==');
    expect(result.stdout).toContain('== Spark shuffle ==');
    expect(result.stderr).not.toContain('skipped');
    expect(result.stderr).toMatch(/knowledge card spark\/data-skew\.md aliases\[0\]: "shuffle" reads as the name of spark\/shuffle .* \(the alias is left out, the card kept\)/);
    expect(result.stderr).toMatch(/knowledge cards link to acks, which no card has .*: the links from kafka\/min-insync-replicas\.md are left out/);
    // kb validate says what the link was meant to be.
    const validate = spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'validate'], { env: { ...process.env, KNOWLEDGE_DIR: dir, KNOWLEDGE_CACHE_DIR: cache }, encoding: 'utf8' });
    expect(validate.status).toBe(1);
    expect(validate.stdout + validate.stderr).toContain('kafka/min-insync-replicas.md: related[0]: unknown concept id "acks" (did you mean "kafka/acks"?)');
  });

  it('starts Slack on the valid cards, with the same warnings', async () => {
    const fake = await new FakeSlack().start();
    try {
      const port = await freePort();
      const main = new MainProcess({ KNOWLEDGE_DIR: broken, KNOWLEDGE_CACHE_DIR: cache, SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port) });
      await main.waitForLog(/Slack started/, 60_000);
      expect(main.stderr).toContain(`knowledge card ${LONG} skipped: body: must be at most 1500 characters`);
      expect(main.stderr).toContain(`2 of ${total} cards skipped`);
      const body = slashCommandForm({ command: '/explain', text: 'kafka acks', responseUrl: fake.responseUrl('acks'), userId: 'UALICE', triggerId: 'acks.1.2' });
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SIGNING_SECRET, body) }, body });
      expect(res.status).toBe(200);
      expect(JSON.stringify((await fake.firstResponseTo('acks')).body)).toContain('Producer acks');
      main.kill('SIGTERM');
      expect((await main.exited).code, main.stderr).toBe(0);
      expect(main.stderr).not.toMatch(STACK_LINE);
    } finally {
      await fake.close();
    }
  }, 90_000);

  it('still fails `backfill kb validate`, naming every problem', () => {
    const result = spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'validate'], { env: { ...process.env, KNOWLEDGE_DIR: broken, KNOWLEDGE_CACHE_DIR: cache }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${LONG}: body: must be at most 1500 characters`);
    expect(result.stdout).toContain(`${BAD_URL}: sources[0].url: must be an https URL`);
  });

  it('still has the build say that no snapshot was written, without failing it (as before)', () => {
    const result = spawnSync(process.execPath, ['dist/knowledge/snapshot-build.js'], { env: { ...process.env, KNOWLEDGE_DIR: broken, KNOWLEDGE_CACHE_DIR: cache }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^knowledge snapshot: not written, the knowledge base in .* does not load .*; run "backfill kb validate"\n$/);
  });
});

describe('npm start refuses a knowledge base it cannot start on', () => {
  let allBroken: string;
  beforeAll(() => {
    allBroken = copyKnowledge('all-broken');
    for (const file of cardFiles(allBroken)) edit(allBroken, file, overlong);
  });

  it('when no card is valid: exit 1, one line saying so, no database folder, no stack trace', () => {
    const data = join(home, 'data-all-broken');
    const result = start(allBroken, '/explain kafka acks\n', { SQLITE_PATH: join(data, 'backfill.sqlite') });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const last = result.stderr.trimEnd().split('\n').at(-1);
    expect(last).toBe(`The knowledge base has a problem: ${allBroken}: none of the ${cardFiles(allBroken).length} cards is valid (each one's problem is above): fix them and run \`npm run backfill -- kb validate\``);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(data)).toBe(false);
  });

  it('when stderr is a pipe read slowly: the refusal, its last line, still comes out', () => {
    // Three copies of every broken card: more problems than a pipe holds (64 KiB), so the writes wait for the reader.
    const many = copyKnowledge('all-broken-many');
    for (const file of cardFiles(many)) {
      edit(many, file, overlong);
      for (const copy of ['x1', 'x2']) {
        const [topic, name] = file.split('/') as [string, string];
        const text = readFileSync(join(many, file), 'utf8').replace(/^id: .*$/m, `id: ${topic}/${copy}-${name.replace(/\.md$/, '')}`);
        writeFileSync(join(many, topic, `${copy}-${name}`), text);
      }
    }
    // Its stderr into a pipe whose reader starts reading 2 s later (as `npm start 2>&1 | tee` under a slow consumer).
    const result = spawnSync('sh', ['-c', `"${process.execPath}" dist/main.js 2>&1 >/dev/null </dev/null | (sleep 2; cat)`], {
      env: { ...process.env, KNOWLEDGE_DIR: many, KNOWLEDGE_CACHE_DIR: 'off', SQLITE_PATH: tempDatabase(), SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', LOG_LEVEL: 'info' },
      encoding: 'utf8',
      timeout: 50_000,
    });
    const stderr = result.stdout;
    expect(stderr.length).toBeGreaterThan(64 * 1024);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^The knowledge base has a problem: .*: none of the \d+ cards is valid/);
  }, 60_000);

  it('when topics.yaml is invalid', () => {
    const dir = copyKnowledge('bad-topics');
    edit(dir, 'topics.yaml', (t) => t.replace(/^(\s*)hosts:/m, '$1hostz:'));
    const result = start(dir, '/explain kafka acks\n');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/topics\.yaml: \[0\]: unknown field "hostz" \(did you mean "hosts"\?\)/);
    expect(result.stderr).not.toContain('cards skipped');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('when the knowledge folder is missing: one line', () => {
    const missing = join(home, 'no-such-knowledge');
    const result = start(missing, '');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`The knowledge base has a problem: ${missing}: knowledge directory not found (KNOWLEDGE_DIR sets where it is)\n`);
  });
});
