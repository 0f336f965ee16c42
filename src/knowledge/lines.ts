import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Problem } from './load.js';

/**
 * The line of a problem in its file, for an editor or a pull request's annotation: the line of its
 * field (`quiz[0].answer`, `aliases[2]`; the deepest part of the path the file has, so a missing
 * field points at its parent), of the key a `unknown field "alias"` names, or the first line of the
 * body. Undefined for a problem of the file as a whole or a file that cannot be read.
 */
export function problemLine(dir: string, problem: Problem): number | undefined {
  if (problem.line !== undefined) return problem.line;
  if (!problem.file.endsWith('.md')) return undefined;
  let source: string;
  try {
    source = readFileSync(join(dir, problem.file), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  } catch {
    return undefined;
  }
  const front = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(source);
  if (!front) return undefined;
  // The front matter starts on the file's second line; the body after its closing line.
  const frontLines = front[1]!.split('\n').length;
  if (problem.field === 'body') return frontLines + 3;
  const unknown = /^unknown field "([^"]+)"/.exec(problem.message)?.[1];
  const path = [...problem.field.split(/\.|\[(\d+)\]/).filter(Boolean), ...(unknown ? [unknown] : [])].map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  if (!path.length) return undefined;
  const lines = new LineCounter();
  const doc = parseDocument(front[1]!, { lineCounter: lines });
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line + 1;
  }
  return undefined;
}
