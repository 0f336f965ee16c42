// `npm run build` runs this after tsc: the programs people run (npm start, the backfill CLI, the
// snapshot written at build) bundled from dist/ into dist/start/ with rolldown. A start then loads a
// handful of files rather than some 75 modules one by one: an eighth less time (npm run bench,
// "Start": ×3.17 bare node before, ×2.79 after). The bundle is CommonJS, which Node loads faster
// than ES modules (×2.95 bare node as ES modules, ×2.71 as CommonJS, measured side by side), and
// dist/code-cache.cjs runs it with V8's code cache (×2.50). Built through rolldown's API: its CLI
// prints a line per file.
//
// Every file of the bundle sits two folders below the package, as the modules it comes from do
// (dist/<area>/<module>.js): code that finds the package from its own place (config/env.ts,
// knowledge/snapshot.ts, cli/main.ts) finds it the same way. Packages stay in node_modules, but for
// three small ones every start runs (INLINED).
// Each program then starts from a line that runs its bundle through the code cache, in a file
// beside the one tsc wrote (dist/main.cjs for dist/main.js); the file tsc wrote is replaced by one
// line that loads it, so every command, test and benchmark runs what npm start runs. dist/ keeps
// the other modules as built.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'rolldown';

const MARK = '// Replaced by npm run build: the bundle of this program, in dist/start/ (bundle.mjs).';
/** Where dist/code-cache.cjs keeps V8's caches: those of an earlier build are of other code. */
const CODE_CACHE = 'node_modules/.cache/backfill/code';

/** The programs, each with the file tsc wrote for it. `snapshot` is loaded by the benchmark, which writes snapshots the bundle reads. */
const ENTRIES = {
  main: 'dist/main.js',
  cli: 'dist/cli/main.js',
  'snapshot-build': 'dist/knowledge/snapshot-build.js',
  snapshot: 'dist/knowledge/snapshot.js',
};
const REPLACED = ['main', 'cli', 'snapshot-build'];
/** Packages bundled with our code (a start from the code cache: ×2.21 bare node with them in node_modules, ×2.09 bundled). */
const INLINED = /^(zod|fuse\.js|ts-fsrs)(\/|$)/;

const output = await build({
  input: ENTRIES,
  platform: 'node',
  // Bare specifiers (packages, node: built-ins) are loaded as they are, from node_modules, but for
  // the plain JavaScript packages every start runs (INLINED), which the code cache then holds too.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !INLINED.test(id),
  // cleanDir: no file of an earlier build (chunk names carry a hash of their content) is left beside this one's.
  // dynamicImportInCjs false: a package loaded on demand (node-cron) is require()d, as the bundle's own files are.
  output: { dir: 'dist/start', cleanDir: true, format: 'cjs', dynamicImportInCjs: false, entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
  plugins: [
    {
      name: 'entry-files',
      buildStart() {
        for (const name of REPLACED) {
          if (readFileSync(ENTRIES[name], 'utf8').includes(MARK)) this.error(`${ENTRIES[name]} already loads a bundle: compile first (npm run build runs tsc, then this)`);
        }
      },
      writeBundle() {
        for (const name of REPLACED) {
          const file = ENTRIES[name];
          const shebang = readFileSync(file, 'utf8').startsWith('#!') ? '#!/usr/bin/env node\n' : '';
          const up = '../'.repeat(file.split('/').length - 2);
          const launcher = file.replace(/\.js$/, '.cjs');
          writeFileSync(launcher, `// Written by npm run build (bundle.mjs): runs the bundle of this program with V8's code cache.\nrequire('${up || './'}code-cache.cjs').runCached(require.resolve('${up || './'}start/${name}.cjs'));\n`);
          writeFileSync(file, `${shebang}${MARK}\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./${launcher.split('/').pop()}');\n`);
        }
        rmSync(CODE_CACHE, { recursive: true, force: true });
      },
    },
  ],
});
process.stdout.write(`bundle: ${output.output.length} files in dist/start/\n`);
