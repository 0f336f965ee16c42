import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKnowledge } from '../helpers/knowledge.js';

/** `npm start` as an operator's supervisor runs it: the signal it sends npm must reach the bot. */

const dir = writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] }]);

function descendants(pid: number): number[] {
  let listed = '';
  try {
    listed = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when no process matches.
  }
  const direct = listed.split('\n').map(Number).filter(Boolean);
  return direct.flatMap((child) => [child, ...descendants(child)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('npm start', () => {
  it('stops the bot when npm gets SIGTERM, leaving no process behind', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'backfill-npm-start-')), 'backfill.sqlite');
    // Input that stays open after the question, as a terminal's does: a shell that writes it, then waits.
    const typist = spawn('sh', ['-c', 'echo acks; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const npm = spawn('npm', ['start', '--silent'], { env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: database }, stdio: [typist.stdout!, 'pipe', 'pipe'] });
    let out = '';
    npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!out.includes('Producer acks') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('Producer acks');
    // npm's processes below it, whatever runs the script (a shell, or the bot itself).
    const children = descendants(npm.pid!);
    expect(children.length).toBeGreaterThan(0);
    const exited = once(npm, 'exit');
    npm.kill('SIGTERM');
    await exited;
    const gone = Date.now() + 10_000;
    while (children.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    typist.kill();
    expect(children.filter(alive)).toEqual([]);
  }, 40_000);
});

describe('npm start given arguments', () => {
  const start = (args: string[]) => spawnSync(process.execPath, ['dist/main.js', ...args], { env: { ...process.env, KNOWLEDGE_DIR: dir, SQLITE_PATH: ':memory:' }, input: '/explain acks\n', encoding: 'utf8', timeout: 20_000 });

  it('says what it runs and where its settings go for --help, and starts nothing', () => {
    const help = start(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm start/);
    // The file it names is the one npm start runs.
    const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(script).toContain(/\(or: node (\S+)\)/.exec(help.stdout)![1]);
    expect(help.stdout).toMatch(/\.env\.example/);
    expect(help.stdout).not.toMatch(/Producer acks/);
  });

  it('refuses an option with one line naming it, rather than ignoring it', () => {
    const refused = start(['--port', '80']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('npm start takes no options or arguments (got "--port"): its settings go in .env (see .env.example); "npm start -- --help" says more.\n');
    expect(refused.stdout).toBe('');
  });
});
