/** A start given up because a stop was asked for while it connected. */
export class StartStopped extends Error {
  override name = 'StartStopped';
}

/** `work`, or StartStopped as soon as `signal` is aborted (a connection that may take for ever). */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal | undefined, platform: string): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const give = () => reject(new StartStopped(`stopped while connecting to ${platform}`));
    if (signal.aborted) give();
    signal.addEventListener('abort', give, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', give));
  });
}
