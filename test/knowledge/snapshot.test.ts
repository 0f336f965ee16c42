import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeKnowledgeDir } from '../../src/bench/knowledge-dir.js';
import { syntheticConcepts } from '../../src/bench/synthetic.js';
import { seededRandom } from '../../src/core/random.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { loadKnowledgeBaseCached, openKnowledgeCached, snapshotDirs, snapshotKey, type SnapshotOptions } from '../../src/knowledge/snapshot.js';
import type { SearchIndex, SearchResult } from '../../src/search/engine.js';
import { HELD_OUT_TUNING, loadQueryFile, loadQuerySet, QUERY_SET_DIR } from '../../src/search/query-set.js';
import { TypoCorrector } from '../../src/search/typo.js';
import { copyBuilt } from '../helpers/built-copy.js';
import { conceptFile, REAL_KNOWLEDGE_DIR, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** The snapshot files in a folder (beside them: the hashes remembered for their keys). */
function snapshotsIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.snap'));
}

/** A logger that keeps its debug and warning lines. */
function recorder(): Required<Pick<SnapshotOptions, 'log'>> & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: { debug: (m) => lines.push(`DEBUG ${m}`), warn: (m) => lines.push(`WARN ${m}`) } };
}

const CARDS: ConceptFixture[] = [
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] },
  { id: 'kafka/isr', title: 'In-sync replicas', aliases: ['ISR'] },
  { id: 'spark/rdd', title: 'Resilient distributed dataset', aliases: ['RDD'] },
];

/** What a person would see of a result: the card, the suggestions, and the scores. */
function outcome(r: SearchResult) {
  return {
    match: r.match ? [r.match.concept.id, r.match.score] : null,
    suggestions: r.suggestions.map((s) => [s.concept.id, s.score]),
    notCovered: r.notCovered,
    topics: r.topics,
  };
}

describe('a knowledge snapshot of the real knowledge base', async () => {
  const cacheDir = tempDir('backfill-cache-');
  const first = await openKnowledgeCached(REAL_KNOWLEDGE_DIR, { cacheDir });
  const restored = await openKnowledgeCached(REAL_KNOWLEDGE_DIR, { cacheDir });
  const fresh = openKnowledge(REAL_KNOWLEDGE_DIR);

  it('is written when none is current, then read', () => {
    expect(first.from).toBe('files');
    expect(restored.from).toBe('snapshot');
    expect(restored.snapshot).toBe(first.snapshot);
    expect(snapshotsIn(cacheDir)).toEqual([first.snapshot!.slice(cacheDir.length + 1)]);
  });

  it('holds the cards and topics as the files give them', () => {
    expect(restored.kb.concepts).toEqual(fresh.kb.concepts);
    expect(restored.kb.topics).toEqual(fresh.kb.topics);
    expect([...restored.kb.byId.keys()]).toEqual([...fresh.kb.byId.keys()]);
    for (const [id, concept] of restored.kb.byId) expect(concept).toBe(restored.kb.concepts.find((c) => c.id === id));
  });

  it('restores the same arrays, vocabulary, phrases and maps', () => {
    const a = fresh.search.toSnapshot();
    const b = restored.search.toSnapshot();
    expect(b.meta).toEqual(a.meta);
    expect(Object.keys(b.arrays).sort()).toEqual(Object.keys(a.arrays).sort());
    for (const [name, array] of Object.entries(a.arrays)) {
      expect(b.arrays[name]!.constructor, name).toBe(array.constructor);
      expect(Array.from(b.arrays[name]!), name).toEqual(Array.from(array));
    }
  });

  it('answers every labelled query as a fresh build does: same card, same suggestions', () => {
    const queries = [...loadQuerySet(QUERY_SET_DIR), ...loadQueryFile(HELD_OUT_TUNING)].map((q) => q.q);
    expect(queries.length).toBeGreaterThan(500);
    const answers = (index: SearchIndex) => queries.map((q) => outcome(index.search(q)));
    expect(answers(restored.search)).toEqual(answers(fresh.search));
    // Partly typed queries (autocomplete) and excluded cards read the same arrays another way.
    const typed = ['kaf', 'kafka ac', 'spark exec', 'hdfs sn', 'dbt incr', 'airflow x', 'terraform st', 'zookeeper'];
    expect(typed.map((q) => restored.search.complete(q).map((c) => c.id))).toEqual(typed.map((q) => fresh.search.complete(q).map((c) => c.id)));
    const notThat = new Set(['kafka/acks']);
    expect(outcome(restored.search.search('kafka acks', { exclude: notThat }))).toEqual(outcome(fresh.search.search('kafka acks', { exclude: notThat })));
  });

  it('gives the cards alone to commands that do not search', async () => {
    const kb = await loadKnowledgeBaseCached(REAL_KNOWLEDGE_DIR, { cacheDir });
    expect(kb.concepts).toEqual(fresh.kb.concepts);
  });
});

describe('a knowledge snapshot of text beyond ASCII', () => {
  it('gives back every character: accents, symbols, other scripts and emoji', async () => {
    const text = 'Naïve “quotes” — 2×3 → ≤ 5 µs; 日本語; Ωmega; 🚀 and 👩🏽‍💻';
    const dir = writeKnowledge([{ ...CARDS[0]!, title: 'Producer acks ✓', aliases: ['acks', 'Bestätigungsmodus'], summary: text }]);
    const cacheDir = tempDir('backfill-cache-');
    const written = await openKnowledgeCached(dir, { cacheDir });
    const read = await openKnowledgeCached(dir, { cacheDir });
    expect(read.from).toBe('snapshot');
    expect(read.kb.concepts).toEqual(written.kb.concepts);
    expect(read.kb.concepts[0]!.summary).toBe(text);
    expect(read.kb.concepts[0]!.title).toBe('Producer acks ✓');
    expect(read.search.search('bestätigungsmodus').match?.concept.id).toBe('kafka/acks');
  });
});

describe('a knowledge snapshot that does not match', () => {
  it('is not used after a card changes, is added or goes: the new card is searchable', async () => {
    const dir = writeKnowledge(CARDS);
    const cacheDir = tempDir('backfill-cache-');
    expect((await openKnowledgeCached(dir, { cacheDir })).from).toBe('files');
    expect((await openKnowledgeCached(dir, { cacheDir })).from).toBe('snapshot');

    writeFileSync(join(dir, 'kafka/acks.md'), conceptFile({ ...CARDS[0]!, title: 'Producer acknowledgements', aliases: ['acks', 'wombat setting'] }));
    const changed = await openKnowledgeCached(dir, { cacheDir });
    expect(changed.from).toBe('files');
    expect(changed.search.search('wombat setting').match?.concept.title).toBe('Producer acknowledgements');
    const again = await openKnowledgeCached(dir, { cacheDir });
    expect(again.from).toBe('snapshot');
    expect(again.search.search('wombat setting').match?.concept.title).toBe('Producer acknowledgements');
    // One snapshot per knowledge folder: the older one is gone.
    expect(snapshotsIn(cacheDir)).toHaveLength(1);

    writeFileSync(join(dir, 'spark/dag.md'), conceptFile({ id: 'spark/dag', title: 'DAG scheduler', aliases: ['stage boundaries'] }));
    const added = await openKnowledgeCached(dir, { cacheDir });
    expect(added.from).toBe('files');
    expect(added.search.search('stage boundaries').match?.concept.id).toBe('spark/dag');

    rmSync(join(dir, 'spark/dag.md'));
    const removed = await openKnowledgeCached(dir, { cacheDir });
    expect(removed.from).toBe('files');
    expect(removed.kb.byId.has('spark/dag')).toBe(false);
  });

  it('is not used after topics.yaml, not-covered.yaml or any other file there changes', async () => {
    const dir = writeKnowledge(CARDS);
    const cacheDir = tempDir('backfill-cache-');
    await openKnowledgeCached(dir, { cacheDir });
    const key = snapshotKey(dir);
    writeFileSync(join(dir, 'not-covered.yaml'), '- flink\n');
    expect(snapshotKey(dir)).not.toBe(key);
    const opened = await openKnowledgeCached(dir, { cacheDir });
    expect(opened.from).toBe('files');
    expect(opened.search.search('flink checkpoints').notCovered).toEqual(['flink']);
    for (const change of [() => writeFileSync(join(dir, 'topics.yaml'), `${readFileSync(join(dir, 'topics.yaml'), 'utf8')}\n# a comment\n`), () => writeFileSync(join(dir, 'README.md'), 'notes')]) {
      const before = snapshotKey(dir);
      change();
      expect(snapshotKey(dir)).not.toBe(before);
      expect((await openKnowledgeCached(dir, { cacheDir })).from).toBe('files');
      expect((await openKnowledgeCached(dir, { cacheDir })).from).toBe('snapshot');
    }
  });

  it('that is cut short, damaged or not a snapshot at all is ignored with a debug line, and written again', async () => {
    const dir = writeKnowledge(CARDS);
    const cacheDir = tempDir('backfill-cache-');
    const { snapshot } = await openKnowledgeCached(dir, { cacheDir });
    const size = readFileSync(snapshot!).length;
    const damage: Array<[string, () => void, RegExp]> = [
      ['cut short', () => truncateSync(snapshot!, Math.floor(size / 2)), /cut short/],
      ['a byte changed near the end', () => {
        const bytes = readFileSync(snapshot!);
        bytes[bytes.length - 5]! ^= 0xff;
        writeFileSync(snapshot!, bytes);
      }, /damaged \(checksum\)/],
      ['a byte changed in the cards', () => {
        const bytes = readFileSync(snapshot!);
        const at = bytes.indexOf('Producer acks');
        bytes[at]! ^= 0x20;
        writeFileSync(snapshot!, bytes);
      }, /damaged \(checksum\)/],
      ['empty', () => writeFileSync(snapshot!, ''), /cut short/],
      ['not a snapshot', () => writeFileSync(snapshot!, 'hello, world, this is not a snapshot'), /not a snapshot/],
    ];
    for (const [what, spoil, why] of damage) {
      spoil();
      const { lines, log } = recorder();
      const opened = await openKnowledgeCached(dir, { cacheDir, log });
      expect(opened.from, what).toBe('files');
      expect(lines.find((l) => l.includes('ignored')), what).toMatch(why);
      expect(lines.filter((l) => l.startsWith('DEBUG')).length, what).toBe(lines.length);
      expect(opened.search.search('producer acks').match?.concept.id).toBe('kafka/acks');
      expect((await openKnowledgeCached(dir, { cacheDir })).from, `${what}: written again`).toBe('snapshot');
    }
  });

  it('under a snapshot folder that cannot be written still opens, from the files', async () => {
    const dir = writeKnowledge(CARDS);
    const file = join(tempDir('backfill-cache-'), 'a-file');
    writeFileSync(file, '');
    const { lines, log } = recorder();
    const opened = await openKnowledgeCached(dir, { cacheDir: join(file, 'snapshots'), log });
    expect(opened.from).toBe('files');
    expect(lines.join('\n')).toMatch(/WARN knowledge snapshot not written .*ENOTDIR.*KNOWLEDGE_CACHE_DIR/);
  });

  it('keeps nothing when snapshots are off, and never writes into the knowledge folder', async () => {
    const dir = writeKnowledge(CARDS);
    expect(snapshotDirs({ env: { KNOWLEDGE_CACHE_DIR: 'off' } }).dirs).toEqual([]);
    expect(snapshotDirs({ env: { KNOWLEDGE_CACHE_DIR: 'snaps' } }).dirs).toEqual([resolve('snaps')]);
    const opened = await openKnowledgeCached(dir, { env: { KNOWLEDGE_CACHE_DIR: 'off' } });
    expect(opened.from).toBe('files');
    expect(opened.snapshot).toBeUndefined();
    const defaults = snapshotDirs({ env: {} }).dirs;
    expect(defaults[0]).toMatch(/node_modules\/\.cache\/backfill$/);
    expect(defaults.some((d) => d.startsWith(dir))).toBe(false);
  });

  it('leaves no more than 64 snapshots in a folder, and none unused for a month', async () => {
    const cacheDir = tempDir('backfill-cache-');
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    writeFileSync(join(cacheDir, 'aaaaaaaaaaaa-old.snap'), 'x');
    utimesSync(join(cacheDir, 'aaaaaaaaaaaa-old.snap'), old, old);
    for (let i = 0; i < 70; i++) {
      const file = join(cacheDir, `${String(i).padStart(12, '0')}-other.snap`);
      writeFileSync(file, 'x');
      const at = new Date(Date.now() - (70 - i) * 60_000);
      utimesSync(file, at, at);
    }
    writeFileSync(join(cacheDir, 'unrelated.txt'), 'kept');
    const { snapshot } = await openKnowledgeCached(writeKnowledge(CARDS), { cacheDir });
    const left = readdirSync(cacheDir);
    expect(left.filter((f) => f.endsWith('.snap'))).toHaveLength(64);
    expect(left).toContain(snapshot!.slice(cacheDir.length + 1));
    expect(left).toContain('unrelated.txt');
    expect(left).not.toContain('aaaaaaaaaaaa-old.snap');
    expect(left).not.toContain('000000000000-other.snap');
    expect(left).toContain('000000000069-other.snap');
  });

  it('kept inside the knowledge folder (if so configured) does not count as one of its files', async () => {
    const dir = writeKnowledge(CARDS);
    const cacheDir = join(dir, '.snapshots');
    expect((await openKnowledgeCached(dir, { cacheDir })).from).toBe('files');
    expect((await openKnowledgeCached(dir, { cacheDir })).from).toBe('snapshot');
  });

  it('is not written for a knowledge base with problems', async () => {
    const dir = writeKnowledge([{ id: 'kafka/a', title: 'A', related: ['kafka/zzz'] }]);
    const cacheDir = tempDir('backfill-cache-');
    await expect(openKnowledgeCached(dir, { cacheDir })).rejects.toThrow(/unknown concept id "kafka\/zzz"/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

/** The hashes remembered in a snapshot folder, if any. */
function memoIn(dir: string): { knowledge?: unknown; code?: { files: string[] } } | undefined {
  const name = readdirSync(dir).find((f) => f.endsWith('.fingerprints'));
  return name ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : undefined;
}

/** A file's modification time set to a whole second (which utimes can put back exactly), an hour ago. */
function wholeSecondTime(file: string): number {
  const at = Math.floor(Date.now() / 1000) - 3600;
  utimesSync(file, at, at);
  return at;
}

/** Rewrites a file with content of the same length, and puts back its modification time (a whole second). */
function sameSizeChange(file: string, from: string, to: string, at: number): void {
  expect(to.length).toBe(from.length);
  const before = statSync(file, { bigint: true });
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, at, at);
  const after = statSync(file, { bigint: true });
  expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
}

describe('hashes remembered beside a snapshot, so that a start need not read every file', () => {
  it('are remembered only for files that have not changed for a while, and only beside a snapshot', async () => {
    const dir = writeKnowledge(CARDS);
    const cacheDir = tempDir('backfill-cache-');
    // Just written: a change within the same tick of the file clock could leave the stat as it is.
    await openKnowledgeCached(dir, { cacheDir });
    expect(memoIn(cacheDir)?.knowledge).toBeUndefined();
    expect((await openKnowledgeCached(dir, { cacheDir, settleMs: 0 })).from).toBe('snapshot');
    expect(memoIn(cacheDir)?.knowledge).toBeDefined();
    expect((await openKnowledgeCached(dir, { cacheDir, settleMs: 0 })).from).toBe('snapshot');

    const broken = writeKnowledge([{ id: 'kafka/a', title: 'A', related: ['kafka/zzz'] }]);
    const empty = tempDir('backfill-cache-');
    await expect(openKnowledgeCached(broken, { cacheDir: empty, settleMs: 0 })).rejects.toThrow(/kafka\/zzz/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('are not used once a card changes, even to the same size with its old modification time', async () => {
    const dir = writeKnowledge(CARDS);
    const card = join(dir, 'kafka/acks.md');
    const at = wholeSecondTime(card);
    const cacheDir = tempDir('backfill-cache-');
    const options = { cacheDir, settleMs: 0 };
    await openKnowledgeCached(dir, options);
    expect((await openKnowledgeCached(dir, options)).from).toBe('snapshot');
    expect(memoIn(cacheDir)?.knowledge).toBeDefined();

    sameSizeChange(card, 'title: Producer acks', 'title: Producer wmbt', at);
    const changed = await openKnowledgeCached(dir, options);
    expect(changed.from).toBe('files');
    expect(changed.kb.byId.get('kafka/acks')?.title).toBe('Producer wmbt');
    expect((await openKnowledgeCached(dir, options)).kb.byId.get('kafka/acks')?.title).toBe('Producer wmbt');
  });

  it('that are damaged or missing are taken again', async () => {
    const dir = writeKnowledge(CARDS);
    const cacheDir = tempDir('backfill-cache-');
    const options = { cacheDir, settleMs: 0 };
    await openKnowledgeCached(dir, options);
    await openKnowledgeCached(dir, options);
    const name = readdirSync(cacheDir).find((f) => f.endsWith('.fingerprints'))!;
    for (const spoil of [() => writeFileSync(join(cacheDir, name), '{"format":'), () => rmSync(join(cacheDir, name))]) {
      spoil();
      expect((await openKnowledgeCached(dir, options)).from).toBe('snapshot');
      expect(memoIn(cacheDir)?.knowledge).toBeDefined();
    }
  });
});

describe('the benchmark at 30,000 cards', () => {
  it('writes card files that load as the cards it takes its snapshot of', () => {
    const real = openKnowledge(REAL_KNOWLEDGE_DIR).kb;
    const dir = join(tempDir('backfill-bench-'), 'knowledge');
    const written = writeKnowledgeDir(dir, REAL_KNOWLEDGE_DIR, real, syntheticConcepts(real.concepts, 60, seededRandom(42)));
    expect(written).toHaveLength(real.concepts.length + 60);
    expect(loadKnowledge(dir).concepts).toEqual(written);
  });
});

describe('typo correction', () => {
  it('builds a bucket of the vocabulary only when a word of its length and letter is looked up', () => {
    const words = ['kafka', 'kafkaesque', 'spark', 'sparkle', 'partition', 'replica', 'replicas', 'producer', 'consumer', 'topic'];
    const typos = new TypoCorrector(words);
    expect(typos.builtBuckets).toBe(0);
    expect(typos.corrections('kafak').map((c) => c.token)).toEqual(['kafka']);
    const afterOne = typos.builtBuckets;
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThan(words.length);
    typos.corrections('kafak');
    expect(typos.builtBuckets).toBe(afterOne);
  });
});

/**
 * The modules `node args` loads, as file URLs: ES modules by a module hook (Node 20.6+), CommonJS
 * ones (the bundle, and the packages it requires) from require's cache when the process exits.
 */
function loadedModules(args: string[], env: Record<string, string> = {}, input = ''): string[] {
  const dir = tempDir('backfill-hook-');
  writeFileSync(join(dir, 'hooks.mjs'), "export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }\n");
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  const preload = join(dir, 'required.cjs');
  writeFileSync(preload, `const { pathToFileURL } = require('node:url');\nprocess.on('exit', () => { for (const f of Object.keys(require.cache)) if (f !== __filename) process._rawDebug('LOADED ' + pathToFileURL(f).href); });\n`);
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), '--require', preload, ...args], { input, encoding: 'utf8', env: { ...process.env, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', SQLITE_PATH: ':memory:', ...env } });
  expect(r.status, r.stderr).toBe(0);
  return [...new Set(r.stderr.split('\n').flatMap((l) => (l.startsWith('LOADED ') ? [l.slice(7)] : [])))];
}

describe('what a command loads', () => {
  const packages = (modules: string[]) => [...new Set(modules.flatMap((m) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(m)?.[1] ?? []))].sort();
  /** A module of ours that holds the knowledge loader (in dist/knowledge/ as compiled, or a file of the bundle npm run build makes). */
  const holds = (text: string) => (url: string) => url.startsWith('file:') && !url.includes('/node_modules/') && readFileSync(fileURLToPath(url), 'utf8').includes(text);
  const holdsLoader = holds('function readKnowledge(');
  /** A file of the bundle that holds zod (bundled in: bundle.mjs, INLINED), which `packages` cannot see. */
  const holdsZod = holds('ZodType');

  // The snapshot is written by the built code itself (a key covers the code that builds it: the
  // sources these tests run are other code than dist/).
  it('--help and kb list (from a snapshot) load neither the YAML parser nor the schema library', () => {
    const env = { KNOWLEDGE_DIR: writeKnowledge(CARDS), KNOWLEDGE_CACHE_DIR: tempDir('backfill-cache-') };
    const help = loadedModules(['dist/cli/main.js', '--help']);
    expect(packages(help)).toEqual([]);
    expect(help.some(holdsZod)).toBe(false);
    const first = loadedModules(['dist/cli/main.js', 'kb', 'list'], env);
    expect(packages(first)).toContain('yaml');
    expect(first.some(holdsLoader)).toBe(true);
    expect(first.some(holdsZod)).toBe(true);
    const listed = loadedModules(['dist/cli/main.js', 'kb', 'list'], env);
    expect(packages(listed)).toEqual([]);
    expect(listed.some(holdsLoader)).toBe(false);
    expect(listed.some(holdsZod)).toBe(false);
  });

  it('npm start and backfill run the bundle of npm run build (a few files), not the modules of dist/ one by one', () => {
    const env = { KNOWLEDGE_DIR: writeKnowledge(CARDS), KNOWLEDGE_CACHE_DIR: tempDir('backfill-cache-') };
    for (const args of [['dist/cli/main.js', 'kb', 'list'], ['dist/main.js']]) {
      const ours = loadedModules(args, env, '/explain kafka acks\n').filter((m) => m.startsWith('file:') && !m.includes('/node_modules/'));
      const outside = ours.filter((m) => !m.includes('/dist/start/'));
      // The entry file tsc wrote, which only loads the launcher beside it, which runs the bundle through the code cache.
      const entry = resolve(args[0]!);
      expect(outside.sort(), args.join(' ')).toEqual([entry, entry.replace(/\.js$/, '.cjs'), resolve('dist/code-cache.cjs')].map((f) => pathToFileURL(f).href).sort());
      expect(ours.length, args.join(' ')).toBeGreaterThan(1);
      // Some 75 modules of dist/ at a start: a third of that or fewer.
      expect(ours.length, args.join(' ')).toBeLessThan(25);
    }
  });

  it('npm start from a snapshot does not load the YAML parser or the knowledge loader', () => {
    const env = { KNOWLEDGE_DIR: writeKnowledge(CARDS), KNOWLEDGE_CACHE_DIR: tempDir('backfill-cache-') };
    loadedModules(['dist/cli/main.js', 'kb', 'list'], env);
    const started = loadedModules(['dist/main.js'], env, '/explain kafka acks\n');
    expect(packages(started)).not.toContain('yaml');
    expect(started.some(holdsLoader)).toBe(false);
  });
});

describe('npm start with a snapshot', () => {
  const ask = (env: Record<string, string>, main = 'dist/main.js') =>
    spawnSync(process.execPath, [main], { input: '/explain kafka acks\nwhat is an xcom\n', encoding: 'utf8', env: { ...process.env, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug', ...env } });

  /**
   * A copy of the built code, so that a change to it is a change of the code that builds the index:
   * `engine` is the file of npm start's bundle (dist/start/, bundle.mjs) that holds the search index.
   */
  const distCopy = () => {
    const { root } = copyBuilt(tempDir('backfill-dist-'));
    const bundle = join(root, 'dist', 'start');
    const engines = readdirSync(bundle).map((f) => join(bundle, f)).filter((f) => readFileSync(f, 'utf8').includes('class SearchIndex'));
    expect(engines).toHaveLength(1);
    return { main: join(root, 'dist', 'main.js'), engine: engines[0]! };
  };

  it('answers from the snapshot as from the files, and rebuilds it when the code changes', () => {
    const { main, engine } = distCopy();
    const cacheDir = tempDir('backfill-cache-');
    const env = { KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, KNOWLEDGE_CACHE_DIR: cacheDir };

    const built = ask(env, main);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stderr).toMatch(/knowledge snapshot written to/);
    const read = ask(env, main);
    expect(read.stderr).toMatch(/knowledge snapshot .* restored/);
    expect(read.stderr).not.toMatch(/written/);
    expect(read.stdout).toBe(built.stdout);
    expect(read.stdout).toContain('Producer acks');
    const before = snapshotsIn(cacheDir);

    writeFileSync(engine, `${readFileSync(engine, 'utf8')}\n// changed\n`);
    const rebuilt = ask(env, main);
    expect(rebuilt.stderr).not.toMatch(/restored/);
    expect(rebuilt.stderr).toMatch(/knowledge snapshot written to/);
    expect(rebuilt.stdout).toBe(built.stdout);
    const after = snapshotsIn(cacheDir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('keeps apart two copies of the code sharing one cache folder: neither reads the other\'s snapshot', async () => {
    const copy = (changed: boolean) => {
      const { main, engine } = distCopy();
      if (changed) writeFileSync(engine, `${readFileSync(engine, 'utf8')}\n// another release\n`);
      return main;
    };
    const [a, b] = [copy(false), copy(true)];
    // Hashes are remembered only of files that have not changed for two seconds.
    await new Promise((r) => setTimeout(r, 2_100));
    const env = { KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, KNOWLEDGE_CACHE_DIR: tempDir('backfill-cache-') };
    expect(ask(env, a).stderr).toMatch(/knowledge snapshot written to/);
    const other = ask(env, b);
    expect(other.stderr).not.toMatch(/restored/);
    expect(other.stderr).toMatch(/knowledge snapshot written to/);
    expect(ask(env, a).stderr).toMatch(/knowledge snapshot .* restored/);
    expect(ask(env, b).stderr).toMatch(/knowledge snapshot .* restored/);
  });

  it('remembers the hashes of the code when a comment quotes words after "from" (no import)', async () => {
    const { main, engine } = distCopy();
    writeFileSync(engine, `${readFileSync(engine, 'utf8')}\n// a tool said after "in", "to" or "from", is a place ("in hdfs")\n`);
    const cacheDir = tempDir('backfill-cache-');
    // Hashes are remembered only of files that have not changed for two seconds.
    await new Promise((r) => setTimeout(r, 2_100));
    expect(ask({ KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, KNOWLEDGE_CACHE_DIR: cacheDir }, main).stderr).toMatch(/knowledge snapshot written to/);
    expect(memoIn(cacheDir)?.code?.files).toContain(engine);
  });

  it('rebuilds it when the code changes, also once the hashes of the code are remembered', async () => {
    const { main, engine } = distCopy();
    const cacheDir = tempDir('backfill-cache-');
    const env = { KNOWLEDGE_DIR: REAL_KNOWLEDGE_DIR, KNOWLEDGE_CACHE_DIR: cacheDir };
    const at = wholeSecondTime(engine);
    // Hashes are remembered only of files that have not changed for two seconds.
    await new Promise((r) => setTimeout(r, 2_100));
    const built = ask(env, main);
    expect(built.stderr).toMatch(/knowledge snapshot written to/);
    expect(memoIn(cacheDir)?.code?.files).toContain(engine);
    expect(ask(env, main).stderr).toMatch(/knowledge snapshot .* restored/);

    // A word of a comment: the code runs as before, and is other code all the same.
    const [line, lead, word] = /^( ?\* )([A-Za-z]{5,})/m.exec(readFileSync(engine, 'utf8'))!;
    sameSizeChange(engine, line, `${lead}${word!.slice(0, -1)}${word!.endsWith('Q') ? 'R' : 'Q'}`, at);
    const rebuilt = ask(env, main);
    expect(rebuilt.stderr).not.toMatch(/restored/);
    expect(rebuilt.stderr).toMatch(/knowledge snapshot written to/);
  });

  it('starts without one when snapshots are off', () => {
    const r = ask({ KNOWLEDGE_DIR: writeKnowledge(CARDS), KNOWLEDGE_CACHE_DIR: 'off' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Producer acks');
    expect(r.stderr).not.toMatch(/knowledge snapshot/);
    expect(existsSync(join(REAL_KNOWLEDGE_DIR, '.snapshot'))).toBe(false);
  });
});
