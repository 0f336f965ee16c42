import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { nearMisses, quoteUserText } from '../core/text.js';
import { problemLine } from '../knowledge/lines.js';
import { UsageError } from './errors.js';
import { formatProblem, loadKnowledge, readKnowledge } from '../knowledge/load.js';
import { kbCommand, kbReport, type KbOptions } from './kb-report.js';
import { generatedQuestions } from './question-counts.js';

export type { KbOptions } from './kb-report.js';

/** A card file named on the command line, as a path or relative to the knowledge folder, as the knowledge folder names it. */
function cardFile(dir: string, given: string, cards: readonly string[]): string {
  const inside = relative(dir, resolve(given)).split(sep).join('/');
  const file = cards.includes(inside) ? inside : given.split(sep).join('/').replace(/^(?:\.\/)?(?:knowledge\/)?/, '');
  if (cards.includes(file)) return file;
  if (!existsSync(given) && !existsSync(join(dir, file))) {
    // A slip of a letter or two, not any card of about the same length ("nope" is not "acks").
    const near = nearMisses(file, cards).find((n) => n.distance > 0 && n.distance <= 2)?.candidate;
    throw new UsageError(`kb validate: no such card file: "${quoteUserText(given)}"${near ? ` (did you mean ${near}?)` : ''}; \`backfill kb list\` lists the cards of ${dir}`);
  }
  throw new UsageError(`kb validate: "${quoteUserText(given)}" is no card file of ${dir} (a card is <topic>/<name>.md there, e.g. kafka/acks.md)`);
}

/** `backfill kb validate | list | stats | stale`, reading the knowledge files (`backfill` itself reads list, stats and stale from a snapshot: kb-report.ts). */
export function kbCli(sub: string, dir: string, json: boolean, out: Writable, options: KbOptions = {}): number {
  const command = kbCommand(sub, options);
  if (command !== 'validate') {
    const kb = loadKnowledge(dir);
    return kbReport(command, kb, json, out, command === 'stats' ? { ...options, generated: options.generated ?? generatedQuestions(kb) } : options);
  }
  const read = readKnowledge(dir);
  const { kb } = read;
  const files = (options.files ?? []).map((f) => cardFile(dir, f, read.cards));
  const problems = files.length ? read.problems.filter((p) => files.includes(p.file)) : read.problems;
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
    out.write(`${problems.map(formatProblem).join('\n')}\n\n${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in ${files.length ? files.join(', ') : dir}\n`);
    return 1;
  }
  if (files.length) {
    out.write(`OK: ${files.join(', ')} (checked with the ${kb.concepts.length} concepts of ${dir})\n`);
    return 0;
  }
  out.write(`OK: ${kb.concepts.length} concepts in ${kb.topics.length} topics, ${kb.concepts.reduce((n, c) => n + c.quiz.length, 0)} quiz questions (${dir})\n`);
  return 0;
}
