import type { DailyService } from '../../daily/service.js';
import { describeDays, parseSubscribe, SUBSCRIBE_USAGE } from '../../daily/subscription.js';
import type { KnowledgeBase } from '../../knowledge/schema.js';
import type { Store } from '../../store/store.js';
import type { Subscription } from '../../store/types.js';
import { topicName } from '../cards.js';
import type { CommandRequest } from '../incoming.js';
import type { Command } from '../registry.js';
import { context, fields, notice, type Reply } from '../reply.js';
import type { Clock } from '../services.js';

export interface DailyCommandDeps {
  kb: KnowledgeBase;
  store: Store;
  daily: DailyService;
  clock: Clock;
  defaultTimezone: string;
}

const MANAGE = new Set(['subscribe', 'unsubscribe', 'pause', 'resume']);

function describe(kb: KnowledgeBase, sub: Subscription): string {
  const kinds = sub.kinds.length === 2 ? 'a concept and a quiz question' : sub.kinds[0] === 'concept' ? 'a concept' : 'a quiz question';
  const topics = sub.topics.length ? sub.topics.map((t) => topicName(kb, t)).join(', ') : 'all topics';
  return `${kinds} at ${sub.time} (${sub.timezone}), ${describeDays(sub.weekdays)}, from ${topics}`;
}

async function status(d: DailyCommandDeps, address: string): Promise<Reply> {
  const sub = await d.store.getSubscription(address);
  if (!sub) return notice(`This channel has no daily posts. A channel manager can start them with ${SUBSCRIBE_USAGE}.`);
  const next = sub.state === 'active' ? d.daily.nextRun(address) : null;
  const recent = await d.daily.lastPosts(address);
  return {
    title: 'Daily posts in this channel',
    ephemeral: true,
    blocks: [
      fields([
        { label: 'What', value: describe(d.kb, sub) },
        { label: 'State', value: sub.state === 'active' ? 'Active' : `Paused. ${sub.pausedReason ?? ''}`.trim() },
        ...(next ? [{ label: 'Next post', value: `${next.toISOString().slice(0, 16).replace('T', ' ')} UTC` }] : []),
        ...(recent.length ? [{ label: 'Recent', value: recent.map((p) => `${p.localDate} ${p.kind}: ${p.status}${p.conceptId ? ` (${p.conceptId})` : ''}${p.status !== 'posted' && p.error ? `, ${p.error}` : ''}`).join('\n') }] : []),
      ]),
      context('`/daily pause`, `/daily resume`, `/daily unsubscribe`, or subscribe again to change it.'),
    ],
  };
}

async function manage(d: DailyCommandDeps, request: CommandRequest, sub: string, rest: string): Promise<Reply> {
  const { store, daily, clock } = d;
  const current = await store.getSubscription(request.address);
  switch (sub) {
    case 'subscribe': {
      const args = parseSubscribe(d.kb, rest, d.defaultTimezone);
      if (typeof args === 'string') return notice(args);
      const saved: Subscription = {
        address: request.address,
        ...args,
        state: 'active',
        pausedReason: null,
        createdBy: current?.createdBy ?? request.user.id,
        createdAt: current?.createdAt ?? clock.now().toISOString(),
      };
      await store.saveSubscription(saved);
      daily.schedule(saved);
      return notice(`${current ? 'Updated' : 'Subscribed'}: this channel gets ${describe(d.kb, saved)}. If today's time has already passed, today's post comes within a minute.`);
    }
    case 'unsubscribe': {
      const removed = await store.deleteSubscription(request.address);
      daily.schedule(undefined, request.address);
      return notice(removed ? 'Unsubscribed: no more daily posts here.' : 'This channel had no daily posts.');
    }
    case 'pause':
    case 'resume': {
      if (!current) return notice(`This channel has no daily posts. Start them with ${SUBSCRIBE_USAGE}.`);
      const state = sub === 'pause' ? 'paused' : 'active';
      await store.setSubscriptionState(request.address, state, state === 'paused' ? `Paused by ${request.user.name}.` : null);
      daily.schedule({ ...current, state, pausedReason: null });
      return notice(state === 'paused' ? 'Paused. `/daily resume` starts the posts again.' : `Resumed: ${describe(d.kb, current)}.`);
    }
    default:
      return notice(`Unknown daily command. Usage: ${SUBSCRIBE_USAGE}, or \`/daily unsubscribe|pause|resume|status\`.`);
  }
}

export function dailyCommand(d: DailyCommandDeps): Command {
  return {
    name: 'daily',
    aliases: [],
    summary: 'Daily concept and quiz posts for this channel: subscribe, pause, resume, status',
    usage: 'daily subscribe [concept|quiz|both] [HH:MM] [timezone] [topics...] [weekdays] | daily unsubscribe | daily pause | daily resume | daily status',
    options: [{ name: 'args', description: 'subscribe [concept|quiz|both] [HH:MM] [zone] [topics] [days], or unsubscribe / pause / resume / status', type: 'string', rest: true }],
    accepts: (args) => {
      const first = args.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      return first === '' || first === 'status' || MANAGE.has(first);
    },
    async run(request) {
      const [first = 'status', ...rest] = request.args.trim().split(/\s+/).filter(Boolean);
      const sub = first.toLowerCase();
      if (sub === 'status') return status(d, request.address);
      if (!MANAGE.has(sub)) return notice(`Unknown daily command “${sub.slice(0, 20)}”. Usage: ${SUBSCRIBE_USAGE}, or \`/daily unsubscribe|pause|resume|status\`.`);
      if (!request.user.isManager) return notice('Only channel managers can change daily posts (Discord: Manage Channels; Slack: workspace admins and owners, or SLACK_ADMIN_USERS). Anyone can see `/daily status`.');
      return manage(d, request, sub, rest.join(' '));
    },
  };
}
