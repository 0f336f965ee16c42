/**
 * A message could not be delivered. Permanent failures (channel gone, archived, no access, missing
 * scope) will not heal by retrying; transient ones (rate limits, server errors) may.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
