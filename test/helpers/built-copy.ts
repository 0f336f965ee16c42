import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A copy of the built code in `root`, whose node_modules holds the packages but a cache folder of
 * its own: the V8 code cache a copy writes (src/code-cache.cts) never reaches the package's, where
 * the real bot would read it (and name the copy's files in its stack traces).
 */
export function copyBuilt(root: string): { root: string; cache: string } {
  cpSync('dist', join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync('node_modules')) {
    if (name !== '.cache') symlinkSync(resolve('node_modules', name), join(root, 'node_modules', name));
  }
  return { root, cache: join(root, 'node_modules', '.cache', 'backfill', 'code') };
}
