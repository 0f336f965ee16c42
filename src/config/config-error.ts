/** A configuration problem: one line per variable, said without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * A start that failed because a platform could not be reached, with every setting right: said as
 * a start problem, not a configuration one, so that nobody edits a correct .env over it.
 */
export class UnreachableError extends ConfigError {
  override name = 'UnreachableError';
}
