import { DeliveryError } from '../../core/delivery.js';

/** `slack:<teamId>:<channelId>`, the address of a Slack conversation (channel, group or DM). */
export function slackAddress(teamId: string, channelId: string): string {
  return `slack:${teamId}:${channelId}`;
}

export function parseSlackAddress(address: string): { teamId: string; channelId: string } {
  const match = /^slack:([^:]+):([^:]+)$/.exec(address);
  if (!match) throw new DeliveryError(`"${address}" is not a Slack address`, 'invalid_address', true);
  return { teamId: match[1]!, channelId: match[2]! };
}
