/** Failure codes of the network itself (undici and the fetch API wrap them in `cause`). */
const NETWORK = /^(E[A-Z]+|UND_ERR_\w+)$/;

/** The network failure behind an error (`ECONNREFUSED`, `ENOTFOUND`, `timeout`, ...), if it is one. */
export function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK.test(code)) return code;
    const name = (e as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  }
  return undefined;
}
