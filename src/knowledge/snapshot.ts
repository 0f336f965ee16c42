import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { endianness, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../core/log.js';
import type { SearchIndex } from '../search/engine.js';
import type { KnowledgeBase } from './schema.js';
import { readSnapshotFile, SNAPSHOT_FORMAT, writeSnapshotFile, type SnapshotContent } from './snapshot-format.js';

/**
 * A compiled snapshot of the knowledge base: the cards and topics as parsed and validated, and the
 * search index built from them, in one file (see snapshot-format.ts). Reading the Markdown and YAML
 * of every card, validating it and indexing it takes seconds at real size and about a minute at
 * 30,000 cards; a snapshot is read in milliseconds.
 *
 * A snapshot is used only while it is current: its key is a hash of every file under the knowledge
 * folder (names and contents, topics.yaml and not-covered.yaml included) and of the code that
 * builds it (the modules this one imports, transitively, and the versions of the packages they
 * use), and it is looked up by that key. Anything else (a changed card, changed code, a cut or
 * damaged file) is never read: the knowledge files are loaded as before and a new snapshot is
 * written. Snapshots are written at build (`npm run build` runs snapshot-build.js after tsc and
 * the bundle: the code is then the bundle's files, bundle.mjs) and whenever a start finds
 * none that is current.
 *
 * Hashing every file is most of a start from a snapshot at 30,000 cards, so the hashes are also
 * remembered beside the snapshots, each with the stat signature of the files it covers (inode, size,
 * modification and change times, as git's index keeps them): while the signature is the same, no
 * file was written, replaced or touched since, and the hash is used without reading them. A hash
 * is remembered only when every file it covers was last changed long enough before (SETTLE_MS), so
 * that a change within the same tick of a coarse file clock cannot go unseen.
 */

const HERE = fileURLToPath(import.meta.url);
/** The package's folder (this file is src/knowledge/snapshot.ts or dist/knowledge/snapshot.js). */
const PACKAGE_ROOT = resolve(dirname(HERE), '..', '..');

/** Where snapshots are kept; `off` keeps none. */
export const CACHE_DIR_ENV = 'KNOWLEDGE_CACHE_DIR';
/** Snapshots nobody used or wrote for this long are removed when another is written. */
const UNUSED_DAYS = 30;
/** At most this many snapshots are kept in a folder (of other knowledge folders: tests write many); the least recently used go first. */
const MAX_KEPT = 64;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A snapshot read is marked used (its time set to now) when its time is older than this. */
const TOUCH_MS = 60 * 60 * 1000;
/** A file changed more recently than this may change again without its stat showing it: hashes covering it are not remembered. */
const SETTLE_MS = 2_000;

export interface SnapshotOptions {
  /**
   * The folder for snapshots, or false for none. Default: KNOWLEDGE_CACHE_DIR from the environment
   * ("off" for none), else node_modules/.cache/backfill in the package, else a private folder in
   * the system's temporary folder.
   */
  cacheDir?: string | false;
  env?: NodeJS.ProcessEnv;
  /** Why a snapshot was not used, where one was written: debug lines; a configured folder that cannot be written: a warning. */
  log?: Pick<Logger, 'debug' | 'warn'>;
  /** How long ago the files must have last changed for their hashes to be remembered (default SETTLE_MS; tests set 0). */
  settleMs?: number;
  /**
   * The bot's start: when some cards are invalid, load the others, say which were skipped (warnings
   * on `log`) and write no snapshot. Without it, any problem throws a KnowledgeError.
   */
  skipInvalidCards?: boolean;
}

/** The knowledge base and its search index, and where they came from. */
export interface OpenedKnowledge {
  kb: KnowledgeBase;
  search: SearchIndex;
  /** `snapshot` when read from a current snapshot, `files` when the knowledge files were read. */
  from: 'snapshot' | 'files';
  /** The snapshot read or written, if any. */
  snapshot?: string;
  /** With skipInvalidCards: how many cards were left out (never from a snapshot: one is only written of a knowledge base without problems). */
  skipped?: number;
}

interface CacheDirs {
  dirs: string[];
  /** Set by configuration (a failure to write there is a warning, not a debug line). */
  configured: boolean;
}

/** The folders a snapshot is looked for in, first one first, and written to (the first that works). */
export function snapshotDirs(options: Pick<SnapshotOptions, 'cacheDir' | 'env'> = {}): CacheDirs {
  if (options.cacheDir === false) return { dirs: [], configured: true };
  const configured = options.cacheDir ?? (options.env ?? process.env)[CACHE_DIR_ENV]?.trim();
  if (configured) return /^(off|none|false|0)$/i.test(configured) ? { dirs: [], configured: true } : { dirs: [resolve(configured)], configured: true };
  const dirs: string[] = [];
  if (existsSync(join(PACKAGE_ROOT, 'node_modules'))) dirs.push(join(PACKAGE_ROOT, 'node_modules', '.cache', 'backfill'));
  dirs.push(privateTmpDir());
  return { dirs, configured: false };
}

function privateTmpDir(): string {
  return join(tmpdir(), `backfill-snapshots-${process.getuid?.() ?? 'user'}`);
}

/** Loads the knowledge base and its search index: from a current snapshot, else from the files (then writing one). */
export async function openKnowledgeCached(dir: string, options: SnapshotOptions = {}): Promise<OpenedKnowledge> {
  const cache = prepare(dir, options);
  for (const file of cache.files) {
    const content = tryRead(file, cache.key!, true, options.log) as SnapshotContent | undefined;
    if (content) {
      const started = performance.now();
      try {
        const { SearchIndex } = await import('../search/engine.js');
        const kb = knowledgeBase(content);
        const search = SearchIndex.fromSnapshot(kb.concepts, content.index);
        options.log?.debug(`knowledge snapshot ${file}: ${kb.concepts.length} cards restored in ${(performance.now() - started).toFixed(0)} ms`);
        cache.remember?.();
        return { kb, search, from: 'snapshot', snapshot: file };
      } catch (err) {
        options.log?.debug(`knowledge snapshot ${file} ignored (${(err as Error).message}); reading the knowledge files`);
      }
    }
  }
  const fresh = await fromFiles(dir, options);
  if (fresh.partial) {
    // Never a snapshot of part of the knowledge base: it would be read later as if it were the whole.
    options.log?.debug('knowledge snapshot not written: some knowledge files were left out');
    return { kb: fresh.kb, search: fresh.search, from: 'files', skipped: fresh.skipped };
  }
  const written = cache.key ? save(dir, cache, { topics: fresh.kb.topics, concepts: fresh.kb.concepts, index: fresh.search.toSnapshot() }, options) : undefined;
  return { kb: fresh.kb, search: fresh.search, from: 'files', ...(written ? { snapshot: written } : {}), ...(options.skipInvalidCards ? { skipped: 0 } : {}) };
}

/** Only the cards and topics (for commands that do not search): from a current snapshot, else from the files. */
export async function loadKnowledgeBaseCached(dir: string, options: SnapshotOptions = {}): Promise<KnowledgeBase> {
  const cache = prepare(dir, options);
  for (const file of cache.files) {
    const content = tryRead(file, cache.key!, false, options.log);
    if (content) {
      cache.remember?.();
      return knowledgeBase(content);
    }
  }
  const fresh = await fromFiles(dir, options);
  if (cache.key && !fresh.partial) save(dir, cache, { topics: fresh.kb.topics, concepts: fresh.kb.concepts, index: fresh.search.toSnapshot() }, options);
  return fresh.kb;
}

/**
 * The knowledge files, read, validated and indexed as openKnowledge does; with skipInvalidCards,
 * without the invalid cards (`partial` when any file was left out), refusing only when none is valid.
 */
async function fromFiles(dir: string, options: Pick<SnapshotOptions, 'skipInvalidCards' | 'log'> = {}): Promise<{ kb: KnowledgeBase; search: SearchIndex; partial: boolean; skipped: number }> {
  // The YAML parser and the schema load only here: a start from a snapshot never needs them.
  const [{ loadKnowledge, KnowledgeError }, { readNotCovered }, { SearchIndex }, { readUsableKnowledge, skippedLines }] = await Promise.all([
    import('./load.js'),
    import('./not-covered.js'),
    import('../search/engine.js'),
    import('./usable.js'),
  ]);
  if (!options.skipInvalidCards) {
    const kb = loadKnowledge(dir);
    return { kb, search: new SearchIndex(kb.concepts, kb.topics, readNotCovered(dir)), partial: false, skipped: 0 };
  }
  const usable = readUsableKnowledge(dir);
  const notCovered = readNotCovered(dir);
  for (const line of skippedLines(usable)) options.log?.warn(line);
  const skipped = usable.skipped.length;
  if (skipped > 0 && usable.kb.concepts.length === 0) {
    throw new KnowledgeError([{ file: dir, field: '', message: `none of the ${usable.cards} cards is valid (each one's problem is above): fix them and run \`npm run backfill -- kb validate\`` }]);
  }
  const { kb } = usable;
  return { kb, search: new SearchIndex(kb.concepts, kb.topics, notCovered), partial: skipped > 0 || usable.ignored.length > 0 || usable.unlinked.length > 0 || usable.shared.length > 0, skipped };
}

function knowledgeBase(content: Pick<SnapshotContent, 'topics' | 'concepts'>): KnowledgeBase {
  return { topics: content.topics, concepts: content.concepts, byId: new Map(content.concepts.map((c) => [c.id, c])) };
}

interface Prepared extends CacheDirs {
  key?: string;
  /** Where a snapshot under `key` would be, per folder. */
  files: string[];
  /** Writes the hashes taken for `key`, to be remembered beside the snapshot read or written under it. */
  remember?: () => void;
}

function prepare(dir: string, options: SnapshotOptions): Prepared {
  const cache = snapshotDirs(options);
  if (cache.dirs.length === 0) return { ...cache, files: [] };
  let key: string;
  let memo: Memo | undefined;
  try {
    ({ key, memo } = rememberedKey(dir, cache, options));
  } catch (err) {
    // No folder, or one that cannot be read: the loader says what is wrong.
    options.log?.debug(`knowledge snapshot: no key for ${dir} (${(err as Error).message})`);
    return { ...cache, files: [] };
  }
  const remember = memo ? () => writeMemo(cache, dir, memo) : undefined;
  return { ...cache, key, files: cache.dirs.filter((d) => trusted(d)).map((d) => snapshotFile(d, dir, key)), ...(remember ? { remember } : {}) };
}

/** The snapshot in `file` (with the index's data when `index`), or undefined with a debug line saying why not. */
function tryRead(file: string, key: string, index: boolean, log: SnapshotOptions['log']): SnapshotContent | Omit<SnapshotContent, 'index'> | undefined {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    const content = index ? readSnapshotFile(file, key, { index: true }) : readSnapshotFile(file, key, { index: false });
    // A snapshot in use is kept: pruning removes those nobody touched for a month.
    if (Date.now() - mtime > TOUCH_MS) {
      try {
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // A read-only cache still serves.
      }
    }
    return content;
  } catch (err) {
    log?.debug(`knowledge snapshot ${file} ignored (${(err as Error).message}); reading the knowledge files`);
    return undefined;
  }
}

/** Writes the snapshot to the first folder that takes it, unless the files changed while they were read. */
function save(dir: string, cache: Prepared, content: SnapshotContent, options: SnapshotOptions): string | undefined {
  const log = options.log;
  let now: string;
  try {
    now = snapshotKey(dir, cache.dirs);
  } catch {
    return undefined;
  }
  if (now !== cache.key) {
    log?.debug('knowledge snapshot not written: the knowledge files changed while they were read');
    return undefined;
  }
  const problems: string[] = [];
  for (const folder of cache.dirs) {
    try {
      makeDirs(folder);
      if (!trusted(folder)) throw new Error('the folder belongs to another user or others may write to it');
      const file = snapshotFile(folder, dir, now);
      const started = performance.now();
      const bytes = writeSnapshotFile(file, now, content);
      log?.debug(`knowledge snapshot written to ${file} (${content.concepts.length} cards, ${(bytes / 2 ** 20).toFixed(1)} MiB, ${(performance.now() - started).toFixed(0)} ms)`);
      prune(folder, file, dirTag(dir));
      cache.remember?.();
      return file;
    } catch (err) {
      problems.push(`${folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  const line = `knowledge snapshot not written (${problems.join('; ')}); the next start reads the knowledge files again`;
  if (cache.configured) log?.warn(`${line}. Set ${CACHE_DIR_ENV} to a writable folder, or to "off".`);
  else log?.debug(line);
  return undefined;
}

/** The folders of `path` that are missing, one level at a time (a recursive mkdir can hang under /proc). */
function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let dir = path; !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Whether snapshots in a folder may be read: the shared temporary folder only when the folder is
 * this user's and nobody else may write to it (a snapshot becomes the cards people are shown).
 */
function trusted(folder: string): boolean {
  if (folder !== privateTmpDir()) return true;
  try {
    const st = statSync(folder);
    return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
  } catch {
    return true; // Not there yet: it is created private.
  }
}

/**
 * Removes this knowledge folder's older snapshots, snapshots unused for a month, the least recently
 * used beyond MAX_KEPT, and leftover temporary files.
 */
function prune(folder: string, keep: string, tag: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  const now = Date.now();
  const kept: Array<{ path: string; mtime: number }> = [];
  for (const name of names) {
    const path = join(folder, name);
    if (MEMO.test(name)) {
      // Remembered hashes written a month ago go (the next start hashes again); leftover temporary files after a day.
      try {
        if (now - statSync(path).mtimeMs > (name.endsWith('.tmp') ? DAY_MS : UNUSED_DAYS * DAY_MS)) unlinkSync(path);
      } catch {
        // Gone already.
      }
      continue;
    }
    if (path === keep || !/\.snap(\.[^/]*\.tmp)?$/.test(name)) continue;
    try {
      const mtime = statSync(path).mtimeMs;
      const age = now - mtime;
      const tmp = name.endsWith('.tmp');
      if ((!tmp && name.startsWith(`${tag}-`)) || age > UNUSED_DAYS * DAY_MS || (tmp && age > DAY_MS)) unlinkSync(path);
      else if (!tmp) kept.push({ path, mtime });
    } catch {
      // Another process pruned it first.
    }
  }
  kept.sort((a, b) => b.mtime - a.mtime);
  for (const { path } of kept.slice(MAX_KEPT - 1)) {
    try {
      unlinkSync(path);
    } catch {
      // Gone already.
    }
  }
}

/** A hash, and the stat signature of the files it covers when it was taken. */
interface Remembered {
  signature: string;
  fingerprint: string;
}

/** What is remembered beside the snapshots of one knowledge folder. */
interface Memo {
  format: number;
  knowledge?: Remembered;
  /** The code's files, as the code fingerprint read them. */
  code?: Remembered & { files: string[] };
}

const MEMO_SUFFIX = '.fingerprints';
const MEMO = /\.fingerprints(\.\d+\.tmp)?$/;

function memoFile(folder: string, knowledgeDir: string): string {
  return join(folder, `${dirTag(knowledgeDir)}${MEMO_SUFFIX}`);
}

function readMemo(cache: CacheDirs, knowledgeDir: string): Memo | undefined {
  for (const folder of cache.dirs) {
    if (!trusted(folder)) continue;
    try {
      const memo = JSON.parse(readFileSync(memoFile(folder, knowledgeDir), 'utf8')) as Memo;
      if (memo.format === SNAPSHOT_FORMAT) return memo;
    } catch {
      // None here, or unreadable: the hashes are taken again.
    }
  }
  return undefined;
}

/** Writes the memo to the first folder that takes it (through a temporary file and a rename); a failure only costs the next start a hash. */
function writeMemo(cache: CacheDirs, knowledgeDir: string, memo: Memo): void {
  for (const folder of cache.dirs) {
    try {
      makeDirs(folder);
      if (!trusted(folder)) continue;
      const file = memoFile(folder, knowledgeDir);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(memo), { mode: 0o644 });
      renameSync(tmp, file);
      return;
    } catch {
      // Try the next folder.
    }
  }
}

/** The stat signature of files, and whether every one of them last changed at least `settleMs` ago. */
function signatureOf(entries: Iterable<{ kind: string; name: string; path: string }>, settleMs: number): { signature: string; settled: boolean } {
  const hash = createHash('sha256');
  const before = BigInt(Date.now() - settleMs) * 1_000_000n;
  let settled = true;
  for (const { kind, name, path } of entries) {
    if (kind !== 'f') {
      hash.update(`${kind}\0${name}\0`);
      continue;
    }
    let st;
    try {
      st = statSync(path, { bigint: true });
    } catch {
      hash.update(`?\0${name}\0`);
      settled = false;
      continue;
    }
    hash.update(`f\0${name}\0${st.dev}\0${st.ino}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0`);
    if (st.ctimeNs >= before || st.mtimeNs >= before) settled = false;
  }
  return { signature: hash.digest('hex'), settled };
}

const asFiles = (files: string[]) => files.map((path) => ({ kind: 'f', name: path, path }));

/**
 * The key of the knowledge folder and the code as they are now: from the hashes remembered beside
 * the snapshots while the files they cover sign the same, else hashed again; with the memo to
 * write when hashes were taken of files that have settled.
 */
function rememberedKey(knowledgeDir: string, cache: CacheDirs, options: SnapshotOptions): { key: string; memo?: Memo } {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const memo = readMemo(cache, knowledgeDir);
  let changed = false;

  // Signed before its files are read: a file written while they are read signs differently next time.
  const entries: Array<{ kind: string; name: string; path: string }> = [];
  walkKnowledge(knowledgeDir, cache.dirs, (kind, name, path) => entries.push({ kind, name, path }));
  const signed = signatureOf(entries, settleMs);
  let knowledgeMemo = memo?.knowledge?.signature === signed.signature ? memo.knowledge : undefined;
  if (!knowledgeMemo) {
    const fingerprint = knowledgeFingerprint(knowledgeDir, cache.dirs);
    knowledgeMemo = { signature: signed.signature, fingerprint };
    if (signed.settled) changed = true;
    else knowledgeMemo = { ...knowledgeMemo, signature: '' };
  }

  let codeMemo = memo?.code && signatureOf(asFiles(memo.code.files), settleMs).signature === memo.code.signature ? memo.code : undefined;
  if (!codeMemo) {
    const read = codeFiles();
    const now = signatureOf(asFiles(read.files), settleMs);
    codeMemo = { signature: '', fingerprint: read.fingerprint, files: read.files };
    // The code's files are known only once read, so they are signed after: read once more, the
    // same hash shows that none changed in between.
    if (now.settled && read.complete && codeFiles().fingerprint === read.fingerprint) {
      codeMemo.signature = now.signature;
      changed = true;
    }
  }

  const key = keyOf(codeMemo.fingerprint, knowledgeMemo.fingerprint);
  if (!changed) return { key };
  return {
    key,
    memo: {
      format: SNAPSHOT_FORMAT,
      ...(knowledgeMemo.signature ? { knowledge: knowledgeMemo } : {}),
      ...(codeMemo.signature ? { code: codeMemo } : {}),
    },
  };
}

/** The file a snapshot of `knowledgeDir` under `key` is kept in. */
export function snapshotFile(folder: string, knowledgeDir: string, key: string): string {
  return join(folder, `${dirTag(knowledgeDir)}-${key.slice(0, 32)}.snap`);
}

/**
 * Names the snapshots and remembered hashes of a knowledge folder as read by this copy of the code:
 * another copy sharing the cache folder (the sources under test, another checkout) keeps its own,
 * so neither takes the other's remembered code hashes for its own nor prunes the other's snapshot.
 */
function dirTag(knowledgeDir: string): string {
  return createHash('sha256').update(`${resolve(knowledgeDir)}\0${HERE}`).digest('hex').slice(0, 12);
}

/** The key a snapshot of this knowledge folder is taken and looked up under. */
export function snapshotKey(knowledgeDir: string, skip: string[] = []): string {
  return keyOf(codeFingerprint(), knowledgeFingerprint(knowledgeDir, skip));
}

function keyOf(code: string, knowledge: string): string {
  return createHash('sha256')
    .update(`backfill knowledge snapshot, format ${SNAPSHOT_FORMAT}\0node ${process.version}\0${endianness()}\0`)
    .update(`code ${code}\0knowledge ${knowledge}\0`)
    .digest('hex');
}

/**
 * Every file and folder under `dir`, in sorted order, except the folders in `skip` (a snapshot
 * folder inside the knowledge folder): kind (`f` file, `d` folder, `o` other, `?` a broken link),
 * path relative to `dir`, and path.
 */
function walkKnowledge(dir: string, skip: string[], visit: (kind: string, name: string, path: string) => void): void {
  const skipped = new Set(skip.map((s) => resolve(s)));
  const walk = (folder: string, rel: string) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      let kind = entry.isDirectory() ? 'd' : entry.isFile() ? 'f' : '';
      if (!kind) {
        try {
          const st = statSync(path);
          kind = st.isDirectory() ? 'd' : st.isFile() ? 'f' : 'o';
        } catch {
          kind = '?'; // A broken link: its name still counts.
        }
      }
      if (kind === 'd' && skipped.has(resolve(path))) continue;
      visit(kind, name, path);
      if (kind === 'd') walk(path, name);
    }
  };
  walk(resolve(dir), '');
}

/**
 * A hash of every file and folder under `dir` (names, kinds and contents, in sorted order), except
 * the folders in `skip` (a snapshot folder inside the knowledge folder).
 */
export function knowledgeFingerprint(dir: string, skip: string[] = []): string {
  const hash = createHash('sha256');
  walkKnowledge(dir, skip, (kind, name, path) => {
    if (kind === 'f') {
      const data = readFileSync(path);
      hash.update(`f\0${name}\0${data.length}\0`);
      hash.update(data);
    } else hash.update(`${kind}\0${name}\0`);
  });
  return hash.digest('hex');
}

let codeHash: string | undefined;

/** import/export ... from '...', import '...', import('...'), and require('...') in the bundle (CommonJS). */
const IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"]([^'"\s]+)['"]/g;

/**
 * A hash of the code that parses, validates and indexes the knowledge base: this module and every
 * module it imports, transitively (the compiled .js files when running from dist, the .ts sources
 * under tests), and the name and version of each package they import (yaml, zod, ...).
 */
export function codeFingerprint(): string {
  return (codeHash ??= codeFiles().fingerprint);
}

/**
 * The code fingerprint, and every file it read (the modules, and the manifests of the packages);
 * not `complete` when a package has no manifest to find (a signature could not see it installed).
 */
function codeFiles(): { fingerprint: string; files: string[]; complete: boolean } {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [HERE];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    hash.update(`${relative(PACKAGE_ROOT, file).split(sep).join('/')}\0${text.length}\0`).update(text);
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) {
        const target = sourceFile(resolve(dirname(file), spec));
        if (target) queue.push(target);
      } else if (!isBuiltin(spec)) {
        const found = packageVersion(spec, dirname(file));
        packages.set(found.version, found.manifest);
      }
    }
  }
  hash.update(`packages\0${[...packages.keys()].sort().join('\0')}`);
  const manifests = [...new Set(packages.values())];
  return { fingerprint: hash.digest('hex'), files: [...seen, ...manifests.filter((m) => m !== '')], complete: !manifests.includes('') };
}

function sourceFile(path: string): string | undefined {
  for (const candidate of [path, path.replace(/\.js$/, '.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Try the next.
    }
  }
  return undefined;
}

/** `name@version` of the package `spec` names, as found from `from`, and its manifest's path ('' when there is none). */
function packageVersion(spec: string, from: string): { version: string; manifest: string } {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      try {
        return { version: `${name}@${(JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '?'}`, manifest };
      } catch {
        return { version: `${name}@?`, manifest };
      }
    }
    if (dirname(dir) === dir) return { version: `${name}@?`, manifest: '' };
  }
}

/**
 * KNOWLEDGE_DIR as the configuration reads it (src/config/env.ts), for commands that need nothing
 * else and so need not load the whole configuration: relative to the working folder, default the
 * package's knowledge folder.
 */
export function configuredKnowledgeDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const value = env['KNOWLEDGE_DIR']?.trim();
  return value ? resolve(cwd, value) : resolve(PACKAGE_ROOT, 'knowledge');
}
