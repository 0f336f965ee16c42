import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError, RateLimitError } from 'discord.js';
import { ConfigError, type Config } from '../../config/env.js';
import { UnreachableError } from '../../config/config-error.js';
import { DeliveryError } from '../../core/delivery.js';
import { networkCode } from '../network.js';

export { networkCode };

/** Discord JSON error codes that retrying will not heal. */
const PERMANENT: Record<number, { code: string; reason: string }> = {
  10003: { code: 'unknown_channel', reason: 'the channel no longer exists (Unknown Channel)' },
  10008: { code: 'unknown_message', reason: 'the message no longer exists (Unknown Message)' },
  50001: { code: 'missing_access', reason: 'the bot cannot see this channel (Missing Access)' },
  50007: { code: 'cannot_message_user', reason: 'the user does not accept messages from the bot' },
  50013: { code: 'missing_permissions', reason: 'the bot lacks a permission here, such as Send Messages or Embed Links (Missing Permissions)' },
};

/**
 * A failed post or edit as a DeliveryError, shared with the Slack adapter and the daily scheduler:
 * lost access, a deleted channel or missing permissions are permanent; rate limits, Discord's
 * server errors, network trouble and anything unforeseen are transient, so one bad post never
 * ends a channel's subscription.
 */
export function toDeliveryError(err: unknown, where: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const delivery = classify(err, where);
  delivery.cause = err;
  return delivery;
}

function classify(err: unknown, where: string): DeliveryError {
  if (err instanceof RateLimitError) return new DeliveryError(`${where}: rate limited by Discord (retry after ${err.retryAfter} ms)`, 'rate_limited', false);
  if (err instanceof DiscordAPIError) {
    const known = PERMANENT[Number(err.code)];
    if (known) return new DeliveryError(`${where}: ${known.reason}`, known.code, true);
    if (err.status === 429) return new DeliveryError(`${where}: rate limited by Discord`, 'rate_limited', false);
    if (err.status >= 500) return new DeliveryError(`${where}: Discord answered ${err.status}`, 'discord_unavailable', false);
    return new DeliveryError(`${where}: Discord refused the message (${err.code}: ${err.message})`, `discord_${err.code}`, true);
  }
  if (err instanceof HTTPError) {
    if (err.status === 429) return new DeliveryError(`${where}: rate limited by Discord`, 'rate_limited', false);
    if (err.status >= 500) return new DeliveryError(`${where}: Discord answered ${err.status}`, 'discord_unavailable', false);
    return new DeliveryError(`${where}: Discord answered ${err.status}`, `http_${err.status}`, true);
  }
  const network = networkCode(err);
  if (network) return new DeliveryError(`${where}: could not reach Discord (${network})`, 'network', false);
  return new DeliveryError(`${where}: ${err instanceof Error ? err.message : String(err)}`, 'unknown_error', false);
}

/** A refused token, an unreachable API or one failing (5xx), said as the setting to check; undefined for anything else. */
export function configProblem(err: unknown, config: Pick<Config, 'DISCORD_API_URL'>): ConfigError | undefined {
  const refused = (err instanceof DiscordjsError && err.code === DiscordjsErrorCodes.TokenInvalid) || (err instanceof DiscordAPIError && err.status === 401);
  if (refused) return new ConfigError(['DISCORD_TOKEN: Discord refused the token (401 Unauthorized): copy it again from the Developer Portal (your application → Bot), or press Reset Token there and paste the new one']);
  const network = networkCode(err);
  if (network) return config.DISCORD_API_URL ? new ConfigError([`DISCORD_API_URL: could not reach ${config.DISCORD_API_URL} (${network})`]) : new UnreachableError([`could not reach Discord's API (${network}): check this machine's network (DNS, proxy, firewall)`]);
  const status = err instanceof HTTPError || err instanceof DiscordAPIError ? err.status : undefined;
  if (status !== undefined && status >= 500) return new ConfigError([`DISCORD_API_URL: ${config.DISCORD_API_URL ?? "Discord's API"} answered HTTP ${status}; Discord may be down, try again later`]);
  // discord.js reading an answer that is not Discord's ("reading 'reset_after'" of a gateway reply without its limits).
  if (err instanceof TypeError && config.DISCORD_API_URL) return new ConfigError([`DISCORD_API_URL: ${config.DISCORD_API_URL} did not answer as Discord's API does (${err.message}); leave it unset to use Discord's`]);
  return undefined;
}
