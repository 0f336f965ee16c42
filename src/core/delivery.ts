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

  /**
   * True when no answer came back (a timeout, a dropped connection, a server error): the platform
   * may have posted the message anyway, so the outbox settles it before sending it again. False
   * when the platform answered with a refusal: nothing was posted.
   */
  maybePosted = false;
}
