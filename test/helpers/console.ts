import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../../src/adapters/console/console.js';
import type { Backfill } from '../../src/app.js';

/** A console chat driven by a test: type lines, read what the bot printed since the last read. */
export function consoleChat(app: Backfill) {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const chat = new ConsoleAdapter({ input: new PassThrough(), output, interactive: false });
  app.messengers.register('console', chat);
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
