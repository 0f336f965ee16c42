import { join, relative } from 'node:path';
import type { Writable } from 'node:stream';
import { problemLine } from '../knowledge/lines.js';
import { formatProblem, loadKnowledge, readKnowledge } from '../knowledge/load.js';
import { kbCommand, kbReport, type KbOptions } from './kb-report.js';
import { generatedQuestions } from './question-counts.js';

export type { KbOptions } from './kb-report.js';

/** `backfill kb validate | list | stats | stale`, reading the knowledge files (`backfill` itself reads list, stats and stale from a snapshot: kb-report.ts). */
export function kbCli(sub: string, dir: string, json: boolean, out: Writable, options: KbOptions = {}): number {
  const command = kbCommand(sub, options);
  if (command !== 'validate') {
    const kb = loadKnowledge(dir);
    return kbReport(command, kb, json, out, command === 'stats' ? { ...options, generated: options.generated ?? generatedQuestions(kb) } : options);
  }
  const { kb, problems } = readKnowledge(dir);
  if (json) {
    // Each problem's path from where the command runs and its line, for an editor or a pull request's annotations.
    const report = {
      ok: problems.length === 0,
      dir,
      concepts: kb.concepts.length,
      topics: kb.topics.length,
      quizQuestions: kb.concepts.reduce((n, c) => n + c.quiz.length, 0),
      problems: problems.map((p) => ({ file: p.file, path: relative(process.cwd(), join(dir, p.file)) || '.', line: problemLine(dir, p) ?? null, field: p.field, message: p.message })),
    };
    out.write(`${JSON.stringify(report, null, 2)}\n`);
    return problems.length ? 1 : 0;
  }
  if (problems.length) {
    out.write(`${problems.map(formatProblem).join('\n')}\n\n${problems.length} problem(s) in ${dir}\n`);
    return 1;
  }
  out.write(`OK: ${kb.concepts.length} concepts in ${kb.topics.length} topics, ${kb.concepts.reduce((n, c) => n + c.quiz.length, 0)} quiz questions (${dir})\n`);
  return 0;
}
