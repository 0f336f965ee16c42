import { PassThrough } from 'node:stream';
import { ConsoleAdapter, consoleConventions } from '../../src/adapters/console/console.js';
import type { Backfill } from '../../src/app.js';

/** A console chat driven by a test: type lines, read what the bot printed since the last read. */
export function consoleChat(app: Backfill) {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const chat = new ConsoleAdapter({ input: new PassThrough(), output, interactive: false });
  app.attach('console', chat, consoleConventions);
  chat.attach(app.bot);
  return {
    chat,
    async say(line: string): Promise<string> {
      await chat.line(line);
      return this.read();
    },
    read(): string {
      const out = printed;
      printed = '';
      return out;
    },
  };
}

/**
 * What a terminal would show for the bytes the interactive console wrote: carriage returns, cursor
 * moves to a column, line clears and colours applied, so a test reads the screen, not the codes.
 */
export function screen(bytes: string): string {
  const lines: string[] = [''];
  let col = 0;
  const put = (ch: string) => {
    const row = lines.length - 1;
    const line = lines[row]!.padEnd(col, ' ');
    lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch === '\u001b') {
      const m = /^\u001b\[(\??)(\d*)([A-Za-z])/.exec(bytes.slice(i));
      if (!m) continue;
      i += m[0].length - 1;
      // A terminal mode (`?2004h`, bracketed paste) changes nothing on screen.
      if (m[1]) continue;
      const n = Number(m[2] || '1');
      if (m[3] === 'G') col = n - 1;
      else if (m[3] === 'K' || m[3] === 'J') lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, m[2] === '2' ? 0 : col);
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      lines.push('');
      col = 0;
    } else put(ch);
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}
