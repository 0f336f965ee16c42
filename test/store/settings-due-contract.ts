import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/store/types.js';

const T0 = '2026-06-01T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const subscription = (address: string, o: Partial<Subscription> = {}): Subscription => ({
  address,
  kinds: ['concept'],
  time: '09:00',
  timezone: 'UTC',
  topics: [],
  weekdays: [],
  state: 'active',
  pausedReason: null,
  createdBy: 'U1',
  createdAt: T0,
  ...o,
});

/** The store methods of settings per workspace and of the daily due index, against a fresh store from `open`. */
export function settingsAndDueContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: settings per workspace and the daily due index`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('scope settings', () => {
      it('saves, replaces, lists by name and deletes the settings of one workspace without touching another', async () => {
        await store.saveScopeSetting({ scope: 'slack:T1', name: 'timezone', value: 'Europe/Berlin', updatedAt: at(0) });
        await store.saveScopeSetting({ scope: 'slack:T1', name: 'answer-time', value: '30', updatedAt: at(1) });
        await store.saveScopeSetting({ scope: 'slack:T2', name: 'answer-time', value: '60', updatedAt: at(2) });
        await store.saveScopeSetting({ scope: 'slack:T1', name: 'timezone', value: 'Asia/Tokyo', updatedAt: at(3) });
        expect(await store.scopeSettings('slack:T1')).toEqual([
          { scope: 'slack:T1', name: 'answer-time', value: '30', updatedAt: at(1) },
          { scope: 'slack:T1', name: 'timezone', value: 'Asia/Tokyo', updatedAt: at(3) },
        ]);
        expect(await store.scopeSettings('slack:T3')).toEqual([]);

        expect(await store.deleteScopeSettings('slack:T1', ['timezone', 'topics'])).toBe(1);
        expect(await store.deleteScopeSettings('slack:T1', [])).toBe(0);
        expect((await store.scopeSettings('slack:T1')).map((s) => s.name)).toEqual(['answer-time']);
        expect(await store.deleteScopeSettings('slack:T1')).toBe(1);
        expect(await store.scopeSettings('slack:T1')).toEqual([]);
        expect(await store.scopeSettings('slack:T2')).toEqual([{ scope: 'slack:T2', name: 'answer-time', value: '60', updatedAt: at(2) }]);
      });
    });

    describe('the daily due index', () => {
      it('makes a saved or resumed subscription due at the next look, and records the next due time once held', async () => {
        await store.saveSubscription(subscription('slack:T1:C1'));
        expect(await store.nextDue('slack:T1:C1')).toBe('');
        expect(await store.nextDue('slack:T1:none')).toBeUndefined();
        expect(await store.dueSubscriptions(at(0), 10)).toEqual([{ address: 'slack:T1:C1', nextDueAt: '' }]);
        // Held as '' by nobody: the service may set the time straight after saving.
        expect(await store.setNextDue('slack:T1:C1', '', at(60))).toBe(true);
        expect(await store.setNextDue('slack:T1:C1', '', at(120))).toBe(false);
        expect(await store.nextDue('slack:T1:C1')).toBe(at(60));
        expect(await store.dueSubscriptions(at(59), 10)).toEqual([]);
        expect(await store.dueSubscriptions(at(60), 10)).toEqual([{ address: 'slack:T1:C1', nextDueAt: at(60) }]);

        await store.saveSubscription(subscription('slack:T1:C1', { time: '10:00' }));
        expect(await store.nextDue('slack:T1:C1')).toBe('');
        await store.setNextDue('slack:T1:C1', '', at(60));
        await store.setSubscriptionState('slack:T1:C1', 'paused', 'Paused by mia.');
        expect(await store.dueSubscriptions(at(1000), 10)).toEqual([]);
        await store.setSubscriptionState('slack:T1:C1', 'active', null);
        expect(await store.dueSubscriptions(at(0), 10)).toEqual([{ address: 'slack:T1:C1', nextDueAt: '' }]);
        // Fields of the subscription itself are untouched by its due time.
        expect(await store.getSubscription('slack:T1:C1')).toEqual(subscription('slack:T1:C1', { time: '10:00' }));
      });

      it('pages through due subscriptions soonest first, then by address, in bytewise order', async () => {
        for (const [address, minute] of [['d', 5], ['B', 1], ['a', 1], ['c', 3], ['later', 90]] as const) {
          await store.saveSubscription(subscription(address));
          await store.setNextDue(address, '', at(minute));
        }
        await store.saveSubscription(subscription('new'));
        const first = await store.dueSubscriptions(at(10), 3);
        expect(first).toEqual([
          { address: 'new', nextDueAt: '' },
          { address: 'B', nextDueAt: at(1) },
          { address: 'a', nextDueAt: at(1) },
        ]);
        const second = await store.dueSubscriptions(at(10), 3, first[2]);
        expect(second.map((d) => d.address)).toEqual(['c', 'd']);
        expect(await store.dueSubscriptions(at(10), 3, second[1])).toEqual([]);
      });

      it('holds a due subscription for one taker only, however many take it at once', async () => {
        const addresses = Array.from({ length: 40 }, (_, i) => `discord:G1:C${String(i).padStart(2, '0')}`);
        for (const address of addresses) await store.saveSubscription(subscription(address));
        await store.saveSubscription(subscription('discord:G1:paused', { state: 'paused' }));
        const takes = await Promise.all(Array.from({ length: 6 }, (_, i) => store.holdDueSubscriptions([...addresses, 'discord:G1:paused'], at(0), at(5 + i))));
        const held = takes.flat().map((s) => s.address);
        expect(held.sort()).toEqual(addresses);
        expect(takes.flat()[0]).toEqual(subscription(takes.flat()[0]!.address));
        // Held: no longer due, and not held again until the hold ends.
        expect(await store.dueSubscriptions(at(4), 100)).toEqual([]);
        expect(await store.holdDueSubscriptions(addresses, at(4), at(10))).toEqual([]);
        expect(await store.holdDueSubscriptions([], at(4), at(10))).toEqual([]);
        // Its holder records the next due time; a holder whose hold was taken over records nothing.
        const [one] = takes.find((t) => t.length)!;
        const hold = at(5 + takes.findIndex((t) => t.length));
        expect(await store.setNextDue(one!.address, at(99), at(1440))).toBe(false);
        expect(await store.setNextDue(one!.address, hold, at(1440))).toBe(true);
        expect(await store.nextDue(one!.address)).toBe(at(1440));
        // A holder that died: the hold ends and another process takes the subscription.
        const stillHeld = addresses.filter((a) => a !== one!.address);
        expect((await store.holdDueSubscriptions(stillHeld, at(11), at(20))).map((s) => s.address).sort()).toEqual(stillHeld);
        // Many next due times at once, only where the hold is still the caller's.
        expect(await store.setNextDues(at(20), [...stillHeld.slice(0, 3), one!.address].map((address, i) => ({ address, nextDueAt: at(2000 + i) })))).toBe(3);
        expect(await Promise.all(stillHeld.slice(0, 3).map((a) => store.nextDue(a)))).toEqual([at(2000), at(2001), at(2002)]);
        expect(await store.nextDue(one!.address)).toBe(at(1440));
        expect(await store.setNextDues(at(20), [])).toBe(0);
      });
    });

    describe('daily posts in batches', () => {
      const claim = (address: string, kind: 'concept' | 'quiz', conceptId: string | null = null) => ({ address, kind, localDate: '2026-06-01', conceptId });

      it('claims many posts at once: each once, whoever claims them at the same moment, with its concept', async () => {
        const claims = Array.from({ length: 30 }, (_, i) => claim(`slack:T1:C${i}`, i % 3 ? 'concept' : 'quiz', i % 3 ? `kafka/c${i}` : null));
        expect(await store.claimPost('slack:T1:C1', 'concept', '2026-06-01', at(0))).toBe(true);
        const won = await Promise.all(Array.from({ length: 4 }, () => store.claimPosts(claims, at(1))));
        const all = won.flat().map((c) => `${c.address} ${c.kind}`);
        expect(all.sort()).toEqual(claims.filter((c) => c.address !== 'slack:T1:C1').map((c) => `${c.address} ${c.kind}`).sort());
        expect(new Set(all).size).toBe(all.length);
        expect(await store.postsOf('slack:T1:C2')).toEqual([
          { address: 'slack:T1:C2', kind: 'concept', localDate: '2026-06-01', status: 'claimed', conceptId: 'kafka/c2', attempts: 1, claimedAt: at(1), nextAttemptAt: null, postedAt: null, error: null },
        ]);
        expect(await store.claimPosts([], at(1))).toEqual([]);
      });

      it('records many posts as posted at once, and lists what channels were shown, oldest first', async () => {
        await store.claimPosts([claim('a', 'concept', 'kafka/c1'), claim('a', 'quiz'), claim('b', 'concept', 'kafka/c2'), claim('c', 'concept', 'kafka/c3')], at(0));
        await store.claimPost('a', 'concept', '2026-05-31', at(-1440));
        await store.updatePost('a', 'concept', '2026-05-31', { status: 'posted', conceptId: 'kafka/c9', postedAt: at(-1440) });
        await store.updatePost('b', 'concept', '2026-06-01', { status: 'retry', error: 'timeout', nextAttemptAt: at(5) });
        await store.markPosted([claim('a', 'concept', 'kafka/c1'), claim('a', 'quiz', 'spark/x'), claim('b', 'concept', 'kafka/c2')], at(6));
        await store.markPosted([], at(7));
        expect(await store.postsOf('b')).toEqual([
          { address: 'b', kind: 'concept', localDate: '2026-06-01', status: 'posted', conceptId: 'kafka/c2', attempts: 1, claimedAt: at(0), nextAttemptAt: at(5), postedAt: at(6), error: null },
        ]);
        expect((await store.postsOf('c'))[0]).toMatchObject({ status: 'claimed', postedAt: null });
        expect((await store.postedConcepts(['a', 'b', 'c', 'none'])).map((p) => [p.address, p.kind, p.localDate, p.conceptId])).toEqual([
          ['a', 'concept', '2026-05-31', 'kafka/c9'],
          ['a', 'concept', '2026-06-01', 'kafka/c1'],
          ['a', 'quiz', '2026-06-01', 'spark/x'],
          ['b', 'concept', '2026-06-01', 'kafka/c2'],
        ]);
        expect(await store.postedConcepts([])).toEqual([]);
      });
    });
  });
}
