/**
 * Runs a program of the bundle (dist/start/, bundle.mjs) with V8's code cache: a start that would
 * compile the bundle's code afresh reads what V8 compiled in an earlier run instead (a start from
 * the knowledge snapshot to the first answer: ×2.71 bare node compiling, ×2.50 from the cache;
 * ×2.09 with the small packages every start runs bundled in too).
 *
 * Only the bundle's own files are compiled here; packages load as Node loads them. Each file's cache
 * is named by a hash of its text, of the V8 version and of node's flags (V8 itself only checks the
 * text's length), so a changed file is never run from another's cache, and one V8 rejects is compiled
 * as usual and written anew. Caches are written when the process exits, of the files that had none:
 * after the run, so they hold the functions the run compiled, not only the top level. They live in
 * node_modules/.cache/backfill/code/ in the package (whoever can write there can change the code
 * itself); without node_modules, or where it cannot be written, the bundle runs uncached.
 *
 * Node 22.1 and later have this built in (module.enableCompileCache), which is used where it exists.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's own. This file is CommonJS (.cts): it
 * must be running before the bundle is compiled.
 */
import Module = require('node:module');
import crypto = require('node:crypto');
import fs = require('node:fs');
import path = require('node:path');
import vm = require('node:vm');

/** This file is dist/code-cache.cjs, beside the bundle's folder (dist/start/). */
const PACKAGE_ROOT = path.resolve(__dirname, '..');
const BUNDLE_DIR = path.join(__dirname, 'start') + path.sep;

/** The folder code caches are kept in; undefined when the package has no node_modules. */
function cacheDir(): string | undefined {
  const modules = path.join(PACKAGE_ROOT, 'node_modules');
  return fs.existsSync(modules) ? path.join(modules, '.cache', 'backfill', 'code') : undefined;
}

/** What a cache is named by: the text, and what V8 checks it against besides. */
function cacheName(source: string): string {
  return crypto.createHash('sha1').update(`${process.versions.v8}\0${process.execArgv.join(' ')}\0`).update(source).digest('hex');
}

interface Compiled {
  script: vm.Script;
  file: string;
}

type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;

/** Runs the bundle file `entry` (absolute), its files compiled with their caches from `dir`. */
function runCached(entry: string, dir = process.env['NODE_DISABLE_COMPILE_CACHE'] ? undefined : cacheDir()): void {
  const builtIn = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (dir && typeof builtIn === 'function') builtIn(dir);
  else if (dir) compileCached(dir);
  require(entry);
}

function compileCached(dir: string): void {
  const uncached: Compiled[] = [];
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const compile = prototype._compile;
  prototype._compile = function (this: Module, content: string, filename: string, format?: string) {
    if (!filename.startsWith(BUNDLE_DIR) || format === 'module') return compile.call(this, content, filename, format);
    const file = path.join(dir, cacheName(content));
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      // None yet: compiled as usual, and written at exit.
    }
    // A first line `#!...` (the CLI's) is kept as a comment: inside the wrapper it would not parse.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    // No import() may run here: Node 20 gives a vm.Script no loader for it without a flag (bundle.mjs turns every one into require).
    const script = new vm.Script(Module.wrap(source), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) uncached.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (uncached.length) write(dir, uncached);
  });
}

/** Writes each cache through a temporary file and a rename: a process starting meanwhile reads a whole one or none. */
function write(dir: string, compiled: Compiled[]): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return;
  }
  for (const { script, file } of compiled) {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, file);
    } catch {
      // A read-only or full disk: the next start compiles as this one did.
      try {
        fs.unlinkSync(tmp);
      } catch {
        // Never written.
      }
    }
  }
}

export = { runCached };
