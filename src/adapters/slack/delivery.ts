import { webApi } from '@slack/bolt';
import { DeliveryError } from '../../core/delivery.js';

/**
 * Slack error codes that retrying will not heal: the channel is gone or archived, the bot was
 * removed or never invited, a scope is missing, or the token no longer works. Anything else
 * (rate limits, server errors, unknown codes) counts as transient, so one bad post never ends
 * a channel's subscription.
 */
const PERMANENT = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'missing_scope',
  'not_allowed_token_type',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'ekm_access_denied',
  'team_access_not_granted',
  'access_denied',
  'no_permission',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'org_login_required',
  'team_not_found',
  'invalid_address',
  // Ours: no installation serves the workspace (never installed, or uninstalled), with OAuth.
  'not_installed',
]);

/** The Slack error code of a failed Web API call: `not_in_channel`, `ratelimited`, `http_503`, … */
export function slackErrorCode(err: unknown): string {
  if (err instanceof webApi.WebAPIPlatformError) return err.data.error;
  if (err instanceof webApi.WebAPIRateLimitedError) return 'ratelimited';
  if (err instanceof webApi.WebAPIHTTPError) return `http_${err.statusCode}`;
  if (err instanceof webApi.WebAPIRequestError) return 'request_failed';
  return 'unknown_error';
}

/** Turns whatever a Web API call threw into a DeliveryError naming the Slack code. */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const code = slackErrorCode(err);
  const detail = err instanceof webApi.WebAPIRateLimitedError ? ` (retry after ${err.retryAfter} s)` : '';
  const delivery = new DeliveryError(`Slack refused ${what}: ${code}${detail}`, code, PERMANENT.has(code));
  delivery.cause = err;
  return delivery;
}

/** Slack error codes that mean "try again later": Slack's side failed, not the request. */
const SLACK_SERVER_TROUBLE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/**
 * Whether a failed call may succeed later unchanged: rate limits, HTTP 5xx, network failures and
 * Slack's own server errors. Unknown codes are not, so a refused edit is never repeated forever.
 */
export function isTransientSlackError(err: unknown): boolean {
  if (err instanceof webApi.WebAPIRateLimitedError || err instanceof webApi.WebAPIRequestError) return true;
  if (err instanceof webApi.WebAPIHTTPError) return err.statusCode >= 500;
  if (err instanceof webApi.WebAPIPlatformError) return SLACK_SERVER_TROUBLE.has(err.data.error);
  return false;
}

/** The wait a 429 asked for, in ms; undefined for any other failure. */
export function slackRetryAfterMs(err: unknown): number | undefined {
  return err instanceof webApi.WebAPIRateLimitedError ? err.retryAfter * 1000 : undefined;
}
