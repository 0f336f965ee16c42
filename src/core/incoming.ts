import type { NativeArgs } from './parse.js';

/**
 * What a platform event means to the core. Addresses are data: `slack:T123:C456`,
 * `discord:G1:C2`, `console:local`; the first part names the adapter that can reach it.
 */
export interface User {
  id: string;
  name: string;
  /** May manage the channel's subscriptions and stop others' quizzes. */
  isManager: boolean;
  /**
   * The roles or groups the person holds where they are (Discord role ids, Slack user group ids),
   * when the platform tells: a workspace may choose one whose members count as managers too.
   */
  roles?: readonly string[];
  /**
   * The roles, where finding them costs a call (Slack user groups: usergroups.list): asked only
   * when a workspace chose a group whose members count as managers.
   */
  lookupRoles?: () => Promise<readonly string[]>;
}

export interface CommandRequest {
  kind: 'command';
  address: string;
  user: User;
  /** Command name as typed, without a leading slash; empty when the user only mentioned the bot. */
  command: string;
  args: string;
  /** Typed option values instead of words (Discord's slash commands); `args` is then ignored. */
  native?: NativeArgs;
  /**
   * Set when the bot can answer this request but cannot post in its channel by itself (Discord: an
   * app installed by the person, used in a server or a conversation the bot is not in): why, and
   * what to do instead, for people.
   */
  replyOnly?: string;
}

export interface ActionRequest {
  kind: 'action';
  address: string;
  user: User;
  /** The button's action id. */
  action: string;
  /** The platform's id of the message whose button was clicked, when it has one. */
  messageId?: string;
}

export type Incoming = CommandRequest | ActionRequest;

/** Splits "explain kafka acks" or "/explain kafka acks" into a command and its arguments. */
export function parseCommandText(textIn: string): { command: string; args: string } {
  // "/ explain kafka": a space after the slash is a slip, not a command with no name.
  const trimmed = textIn.trim().replace(/^\/\s*/, '');
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { command: '', args: '' };
  return { command: (match[1] ?? '').toLowerCase(), args: (match[2] ?? '').trim() };
}

/** The adapter prefix of an address: `slack` for `slack:T1:C1`. */
export function platformOf(address: string): string {
  return address.split(':', 1)[0] ?? '';
}

/** The address of a whole workspace or server: `slack:T1` for `slack:T1:C1`. */
export function scopeOf(address: string): string {
  const parts = address.split(':');
  return parts.length > 2 ? parts.slice(0, 2).join(':') : address;
}
