import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { copyBuilt } from '../helpers/built-copy.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

/** The code cache npm start runs the bundle with (src/code-cache.cts), on a copy of the built code (see copyBuilt). */
function builtCopy(): { root: string; cache: string } {
  return copyBuilt(mkdtempSync(join(tmpdir(), 'backfill-code-cache-')));
}

const CONSOLE_ENV = { SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', SQLITE_PATH: ':memory:', KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, NODE_DISABLE_COMPILE_CACHE: '' };

function run(root: string, program: string[], input = '', env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, program[0]!), ...program.slice(1)], { input, encoding: 'utf8', env: { ...process.env, ...CONSOLE_ENV, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Each cache file and its modification time. */
function cached(cache: string): Map<string, number> {
  try {
    return new Map(readdirSync(cache).map((f) => [f, statSync(join(cache, f)).mtimeMs]));
  } catch {
    return new Map();
  }
}

describe.skipIf(process.platform === 'win32')('the code cache', () => {
  it('is written by the first start, of the bundle files it ran, and used by the next, which writes none', () => {
    const { root, cache } = builtCopy();
    const first = run(root, ['dist/main.cjs'], '/explain kafka acks\n');
    expect(first).toContain('Producer acks');
    const written = cached(cache);
    // The bundle's files a start runs (main, start, engine, ...), not the packages.
    expect(written.size).toBeGreaterThan(5);
    expect(written.size).toBeLessThan(readdirSync(join(root, 'dist', 'start')).length);
    const second = run(root, ['dist/main.cjs'], '/explain kafka acks\n');
    expect(second).toBe(first);
    expect(cached(cache)).toEqual(written);
  });

  it('never runs a changed file from the cache of its earlier text, even when the length is the same', () => {
    const { root, cache } = builtCopy();
    const cli = join(root, 'dist', 'start', 'cli.cjs');
    expect(run(root, ['dist/cli/main.cjs', '--help'])).toContain('data-engineering concept cards');
    const before = cached(cache).size;
    // V8 itself checks only the length of the text a cache was made of.
    const text = readFileSync(cli, 'utf8');
    expect(text).toContain('data-engineering concept cards');
    writeFileSync(cli, text.replace('data-engineering concept cards', 'DATA-ENGINEERING CONCEPT CARDS'));
    const changed = run(root, ['dist/cli/main.cjs', '--help']);
    expect(changed).toContain('DATA-ENGINEERING CONCEPT CARDS');
    expect(cached(cache).size).toBe(before + 1);
  });

  it('compiles as usual past damaged caches, and writes them anew', () => {
    const { root, cache } = builtCopy();
    const help = run(root, ['dist/cli/main.cjs', '--help']);
    const names = [...cached(cache).keys()];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) writeFileSync(join(cache, name), 'not a code cache at all, only bytes');
    expect(run(root, ['dist/cli/main.cjs', '--help'])).toBe(help);
    for (const name of names) expect(readFileSync(join(cache, name)).length, name).toBeGreaterThan(100);
    const rewritten = cached(cache);
    run(root, ['dist/cli/main.cjs', '--help']);
    expect(cached(cache)).toEqual(rewritten);
  });

  it('serves two starts at once, each writing whole caches the next start uses', async () => {
    const { root, cache } = builtCopy();
    const first = run(root, ['dist/main.cjs'], '/explain kafka acks\n');
    const start = () =>
      new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, [join(root, 'dist/main.cjs')], { env: { ...process.env, ...CONSOLE_ENV } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', fail);
        child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}`))));
        child.stdin.end('/explain kafka acks\n');
      });
    rmSync(cache, { recursive: true });
    expect(await Promise.all([start(), start()])).toEqual([first, first]);
    const written = cached(cache);
    expect(written.size).toBeGreaterThan(5);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(run(root, ['dist/main.cjs'], '/explain kafka acks\n')).toBe(first);
    expect(cached(cache)).toEqual(written);
  });

  it('finds no import() in the bundle, which code run from the cache could not load', () => {
    // Node 20 gives a vm.Script no loader for import() without a flag: bundle.mjs has rolldown write require() instead.
    const imports: string[] = [];
    for (const name of readdirSync(join('dist', 'start'))) {
      const file = join('dist', 'start', name);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) imports.push(`${name}: ${node.getText(source).slice(0, 80)}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(readdirSync(join('dist', 'start')).length).toBeGreaterThan(5);
    expect(imports).toEqual([]);
  });

  it('runs uncached where the cache folder cannot be made', () => {
    const { root, cache } = builtCopy();
    // A file where the folder would be: no folder can be read or made there, not even by root.
    mkdirSync(join(cache, '..'), { recursive: true });
    writeFileSync(cache, 'in the way');
    expect(run(root, ['dist/main.cjs'], '/explain kafka acks\n')).toContain('Producer acks');
    expect(readFileSync(cache, 'utf8')).toBe('in the way');
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE, as Node\'s own is', () => {
    const { root, cache } = builtCopy();
    expect(run(root, ['dist/main.cjs'], '/explain kafka acks\n', { NODE_DISABLE_COMPILE_CACHE: '1' })).toContain('Producer acks');
    expect(cached(cache).size).toBe(0);
  });
});
