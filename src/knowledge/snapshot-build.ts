import { performance } from 'node:perf_hooks';
import { configuredKnowledgeDir, openKnowledgeCached, snapshotDirs } from './snapshot.js';

/**
 * `npm run build`, after tsc: writes the knowledge snapshot for the built code, so that the first
 * start is as quick as the next. KNOWLEDGE_DIR and KNOWLEDGE_CACHE_DIR are read from the
 * environment (a .env file is not: the start writes the snapshot itself when they differ). Never
 * fails the build: a knowledge base with problems is reported by `backfill kb validate` and the
 * tests, and a start without a snapshot still works.
 */
async function main(): Promise<void> {
  const dir = configuredKnowledgeDir();
  if (snapshotDirs().dirs.length === 0) {
    process.stdout.write('knowledge snapshot: off (KNOWLEDGE_CACHE_DIR)\n');
    return;
  }
  const started = performance.now();
  const warnings: string[] = [];
  try {
    const opened = await openKnowledgeCached(dir, { log: { debug: () => {}, warn: (m) => warnings.push(m) } });
    const ms = (performance.now() - started).toFixed(0);
    if (opened.from === 'snapshot') process.stdout.write(`knowledge snapshot: current (${opened.kb.concepts.length} cards, ${opened.snapshot})\n`);
    else if (opened.snapshot) process.stdout.write(`knowledge snapshot: ${opened.kb.concepts.length} cards written to ${opened.snapshot} in ${ms} ms\n`);
    else process.stdout.write(`knowledge snapshot: not written${warnings.length ? ` (${warnings.join('; ')})` : ''}\n`);
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    process.stdout.write(`knowledge snapshot: not written, the knowledge base in ${dir} does not load (${first}); run "backfill kb validate"\n`);
  }
}

void main();
