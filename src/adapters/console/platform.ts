import type { Readable, Writable } from 'node:stream';
import type { Platform, RunningPlatform } from '../platform.js';
import { CONSOLE_ADDRESS, ConsoleAdapter, consoleConventions, type ConsoleEnd } from './console.js';
import { openQuizQuestion } from './resumed.js';

/** The console's slice: where it reads and writes, and whether a person sits at a terminal. */
export interface ConsoleConfig {
  input: Readable;
  output: Writable;
  interactive: boolean;
}

export interface RunningConsole extends RunningPlatform {
  chat: ConsoleAdapter;
  /**
   * Shows the open question of a quiz that resumed here (after a crash), then reads lines until the
   * input ends, /quit, SIGTERM or SIGINT; then whatever runs in the console (a quiz) is stopped, saying so.
   */
  run(): Promise<ConsoleEnd>;
}

/** What a quiz still running says when the console ends. */
function endReason(end: ConsoleEnd): string {
  if (end === 'quit') return 'Stopped: you left the console.';
  if (end === 'input-ended') return 'Stopped: the console input ended.';
  if (end === 'output-closed') return 'Stopped: nothing reads the console output any more.';
  return `Stopped: the console was asked to stop (${end}).`;
}

/** The terminal chat: always available, and what `npm start` runs when no other platform is configured. */
export const consolePlatform: Platform<ConsoleConfig, undefined, RunningConsole> = {
  id: 'console',
  name: 'Console',
  conventions: consoleConventions,
  configure: () => ({ input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) }),
  async start(app, slice) {
    const chat = new ConsoleAdapter(slice);
    app.attach('console', chat, consoleConventions);
    chat.attach(app.bot);
    return {
      chat,
      async run() {
        const end = await chat.run(() => openQuizQuestion(app, CONSOLE_ADDRESS));
        // Nobody is left to answer: a running quiz is revealed and stopped now, not left for the next start.
        await app.channelEnding(CONSOLE_ADDRESS, endReason(end));
        return end;
      },
      stop: async () => {},
    };
  },
};
