import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global set-up: every temporary folder the tests make (databases, knowledge bases,
 * snapshots), and those of the processes they start, goes under one folder per run, removed when
 * the run ends. A test that forgets to clean up leaves nothing behind on the machine.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'backfill-test-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
