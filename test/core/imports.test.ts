import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module a file imports or re-exports, type-only ones included, and dynamic imports. */
function imports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

/** What a folder of src/ imports from outside itself (node: built-ins aside). */
function outside(folder: string): string[] {
  const root = join(SRC, folder);
  const problems: string[] = [];
  for (const file of files(root)) {
    for (const spec of imports(file)) {
      if (spec.startsWith('node:')) continue;
      const where = relative(SRC, file);
      if (!spec.startsWith('.')) {
        problems.push(`${where} imports the package "${spec}"`);
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(root + '/')) problems.push(`${where} imports ${relative(SRC, target)}`);
    }
  }
  return problems;
}

describe('the core', () => {
  it('imports nothing outside itself: no feature, store, adapter, config or package', () => {
    expect(outside('core')).toEqual([]);
  });

  it('is what the scan sees: it finds the imports it must', () => {
    // The scan reads type-only imports and re-exports too; a file of features proves it finds them.
    expect(imports(join(SRC, 'app.ts'))).toEqual(expect.arrayContaining(['./core/feature.js', './knowledge/feature.js', './quiz/feature.js', './daily/feature.js']));
    expect(outside('knowledge').some((p) => p.includes('core/'))).toBe(true);
  });

  it('never imports a platform SDK, nor do the features', () => {
    for (const folder of ['core', 'knowledge', 'quiz', 'daily']) {
      for (const file of files(join(SRC, folder))) {
        for (const spec of imports(file)) expect(spec, relative(SRC, file)).not.toMatch(/@slack\/bolt|discord\.js/);
      }
    }
  });
});
