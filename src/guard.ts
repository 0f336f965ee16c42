import { inspect } from 'node:util';
import { exitWhenWritten } from './core/exit.js';
import type { Logger } from './core/log.js';

/** What the guard listens on: the process, or a stand-in in tests. */
export interface GuardTarget {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
}

export interface GuardOptions {
  log: Logger;
  target?: GuardTarget;
  exit?: (code: number) => void;
  now?: () => number;
  /** More unexpected errors than `limit` within `windowMs` end the process even while serving. */
  limit?: number;
  windowMs?: number;
}

export interface ProcessGuard {
  /** Start-up is over: from now on an unexpected error is logged and the bot keeps serving. */
  serving(): void;
  dispose(): void;
}

function describe(err: unknown): unknown {
  // Not JSON: a thrown value may be circular, and this handler must not throw in turn.
  return err instanceof Error ? err : { thrown: inspect(err, { depth: 2, breakLength: Infinity }) };
}

/**
 * The last line of defence, for errors nothing else caught (a throw in a timer or an event handler,
 * a promise nobody awaited):
 * - during start-up, such an error ends the process with exit code 1: a half-started bot (adapters
 *   missing, schedules not armed) is worse than a supervisor's restart, and the operator sees why;
 * - while serving, it is logged with its stack and kind, and the bot keeps answering everyone else.
 *   One bad request or one bad timer must not take every channel down with it;
 * - unless they come in a storm (more than `limit` in `windowMs`): a process failing over and
 *   over is stuck, and a restart by the supervisor is the better way out.
 * Errors handled where they happen (a request answered 500, a failed post retried) never get here.
 */
export function guardProcess(options: GuardOptions): ProcessGuard {
  const { log } = options;
  const target: GuardTarget = options.target ?? process;
  const exit = options.exit ?? ((code: number) => exitWhenWritten(code));
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 50;
  const windowMs = options.windowMs ?? 60_000;
  let serving = false;
  let recent: number[] = [];

  const handle = (kind: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    if (!serving) {
      log.error(`unexpected error during start-up (${kind}); stopping`, describe(err));
      exit(1);
      return;
    }
    const at = now();
    recent = [...recent.filter((t) => at - t < windowMs), at];
    if (recent.length > limit) {
      log.error(`unexpected error (${kind}), the ${recent.length}th within ${Math.round(windowMs / 1000)} s; stopping so that the bot is restarted`, describe(err));
      exit(1);
      return;
    }
    log.error(`unexpected error (${kind}); the bot keeps serving`, describe(err));
  };
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return {
    serving: () => {
      serving = true;
    },
    dispose: () => {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}
