// `npm run build` runs this after tsc: the programs people run (npm start, the backfill CLI, the
// snapshot written at build) bundled from dist/ into dist/start/ with rolldown. A start then loads a
// handful of files rather than some 75 modules one by one: an eighth less time (npm run bench,
// "Start": ×3.17 bare node before, ×2.79 after). Built through rolldown's API: its CLI prints a
// line per file.
//
// Every file of the bundle sits two folders below the package, as the modules it comes from do
// (dist/<area>/<module>.js): code that finds the package from its own place (config/env.ts,
// knowledge/snapshot.ts, cli/main.ts) finds it the same way. Packages stay in node_modules.
// The entry files tsc wrote are then replaced by one line that loads their bundle, so every
// command, test and benchmark runs what npm start runs; dist/ keeps the other modules as built.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'rolldown';

const MARK = '// Replaced by npm run build: the bundle of this program, in dist/start/ (bundle.mjs).';

/** The programs, each with the file tsc wrote for it. `snapshot` is imported by the benchmark, which writes snapshots the bundle reads. */
const ENTRIES = {
  main: 'dist/main.js',
  cli: 'dist/cli/main.js',
  'snapshot-build': 'dist/knowledge/snapshot-build.js',
  snapshot: 'dist/knowledge/snapshot.js',
};
const REPLACED = ['main', 'cli', 'snapshot-build'];

const output = await build({
  input: ENTRIES,
  platform: 'node',
  // Bare specifiers (packages, node: built-ins) are loaded as they are, from node_modules.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  // cleanDir: no file of an earlier build (chunk names carry a hash of their content) is left beside this one's.
  output: { dir: 'dist/start', cleanDir: true, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
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
          writeFileSync(file, `${shebang}${MARK}\nimport '${up || './'}start/${name}.js';\n`);
        }
      },
    },
  ],
});
process.stdout.write(`bundle: ${output.output.length} files in dist/start/\n`);
