/** How long an exit waits for stdout and stderr to take what was written to them. */
const FLUSH_BOUND_MS = 5_000;

/**
 * Ends the process once what was written to stdout and stderr is out. On Linux a pipe takes writes
 * asynchronously once it is full, and process.exit() drops what it still holds: the last line of a
 * failed start, which a supervisor or `npm start 2>&1 | tee` reads through a pipe, was lost that
 * way when the reader was slow. Bounded, so that a reader that never reads cannot keep the process.
 */
export function exitWhenWritten(code?: number): void {
  if (code !== undefined) process.exitCode = code;
  const streams = [process.stdout, process.stderr];
  let pending = streams.length;
  setTimeout(() => process.exit(), FLUSH_BOUND_MS);
  for (const stream of streams) {
    // Exiting anyway: a reader gone (EPIPE) only ends the wait for that stream.
    stream.on('error', () => undefined);
    // A write's callback runs once every write before it is out too.
    stream.write('', () => {
      if (--pending === 0) process.exit();
    });
  }
}

/**
 * Ends the process quietly when whoever reads stdout stops reading (`backfill kb list | head`): the
 * next write fails with EPIPE, which is not an error of ours to report with a stack trace.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') exit(0);
    else throw err;
  });
}
