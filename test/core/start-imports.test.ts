import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

/**
 * What loading `file` loads at once: its static imports and re-exports, as Node runs the compiled
 * code. `import type` is erased; with verbatimModuleSyntax, `import { type A }` is not (it stays as
 * `import {} from`), so it counts. Dynamic `import()` loads later, on its branch, and does not.
 */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?\s[^'";]*?from\s+['"]([^'"]+)['"]/g)) if (!m[2]) found.push(m[3]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.push(m[1]!);
  return found;
}

/** Every source file and package the start of `entry` loads before it runs. */
function startPath(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (existsSync(target)) visit(target);
    }
  };
  visit(join(entry));
  return { files: new Set([...files].map((f) => relative(SRC, f))), packages };
}

const join = (name: string) => resolve(SRC, name);

describe('what `npm start` loads before the console answers', () => {
  const { files, packages } = startPath('main.ts');

  it('is what the scan sees: the store, its driver and its row schemas', () => {
    expect(files).toContain('store/sqlite.ts');
    expect(files).toContain('store/types.ts');
    expect(packages).toContain('better-sqlite3');
    expect(packages).toContain('zod/v3');
  });

  it('loads neither zod 4 (95 modules) nor the YAML parser, the card schemas or a platform SDK', () => {
    for (const heavy of ['zod', 'zod/mini', 'zod/v4', 'yaml', '@slack/bolt', 'discord.js', 'pg']) expect([...packages], heavy).not.toContain(heavy);
    for (const file of ['knowledge/schema.ts', 'knowledge/load.ts', 'serve.ts', 'cli/errors.ts']) expect([...files], file).not.toContain(file);
  });
});
