import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/delivery.js';
import { localTime } from '../../src/daily/clock.js';
import { learnerOf } from '../../src/learning/learner.js';
import type { DueReminder, LearningService, ReminderSender } from '../../src/learning/service.js';
import type { Store } from '../../src/store/store.js';
import { FakeTime } from '../helpers/time.js';
import { DATABASES, dropSchemas, learning } from './fixtures.js';

afterAll(dropSchemas);

const MIA = learnerOf('slack:T1:C1', 'U1');
const BERLIN = 'Europe/Berlin';

/** A platform stand-in: records each reminder with when it went out. */
function recorder(time: FakeTime, fail?: (r: DueReminder, attempt: number) => Error | undefined) {
  const sent: Array<{ at: string; local: string; reminder: DueReminder }> = [];
  const attempts = new Map<string, number>();
  const sender: ReminderSender = {
    deliver: async (r) => {
      const n = (attempts.get(r.postKey) ?? 0) + 1;
      attempts.set(r.postKey, n);
      const error = fail?.(r, n);
      if (error) throw error;
      const now = time.now();
      const local = localTime(now, BERLIN);
      sent.push({ at: now.toISOString(), local: `${local.date} ${String(Math.floor(local.minutes / 60)).padStart(2, '0')}:${String(local.minutes % 60).padStart(2, '0')}`, reminder: r });
      return 'sent';
    },
  };
  return { sent, sender, attempts };
}

/** Two bot processes on one database, each with its own store and its own sweep. */
async function twoProcesses(open: () => Promise<Store>, time: FakeTime): Promise<{ a: LearningService; b: LearningService; stores: Store[] }> {
  const stores = [await open(), await open()];
  return { a: learning(stores[0]!, time), b: learning(stores[1]!, time), stores };
}

/** Steps the clock every `minutes` from `from` to `to`, sweeping both processes at each step (at the same moment). */
async function run(time: FakeTime, from: string, to: string, minutes: number, sweeps: Array<() => Promise<unknown>>) {
  await time.advanceTo(from);
  while (time.now().toISOString() < to) {
    await Promise.all(sweeps.map((s) => s()));
    await time.advance(minutes * 60_000);
  }
}

for (const { name, fresh } of DATABASES) {
  describe(`${name}: reminders`, () => {
    it('arrive once a day at the local time across the end of summer time (Berlin, 25 October), never twice with two processes', async () => {
      const db = fresh();
      const time = new FakeTime('2026-10-20T12:00:00Z');
      const { a, b, stores } = await twoProcesses(() => db.open(), time);
      try {
        // Something is always due: a concept missed days ago, never reviewed since.
        await a.showAgain(MIA, 'kafka/c1', 'M1');
        await a.setReminder(MIA, { time: '02:30', timezone: BERLIN, address: 'slack:T1:D1' });
        const { sent, sender } = recorder(time);
        await run(time, '2026-10-23T22:30:00Z', '2026-10-27T00:00:00Z', 5, [() => a.sweepReminders(sender), () => b.sweepReminders(sender), () => a.sweepReminders(sender)]);
        // 02:30 on the 25th comes twice (CEST, then again an hour later in CET): one reminder.
        expect(sent.map((s) => [s.at, s.local])).toEqual([
          ['2026-10-24T00:30:00.000Z', '2026-10-24 02:30'],
          ['2026-10-25T00:30:00.000Z', '2026-10-25 02:30'],
          ['2026-10-26T01:30:00.000Z', '2026-10-26 02:30'],
        ]);
        expect(sent[0]!.reminder).toMatchObject({ learner: MIA, address: 'slack:T1:D1', localDate: '2026-10-24', postKey: 'remind:slack:T1:U1:2026-10-24', dueCount: 1, due: [{ conceptId: 'kafka/c1', title: 'kafka concept 1' }] });
        expect((await stores[1]!.remindersOf(MIA)).map((r) => [r.localDate, r.status, r.attempts])).toEqual([
          ['2026-10-24', 'sent', 1],
          ['2026-10-25', 'sent', 1],
          ['2026-10-26', 'sent', 1],
        ]);
      } finally {
        for (const s of stores) await s.close();
      }
    });

    it('arrive once when the start of summer time skips the local time (Berlin, 29 March): as the clock passes it', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-20T12:00:00Z');
      const { a, b, stores } = await twoProcesses(() => db.open(), time);
      try {
        await a.showAgain(MIA, 'kafka/c1', 'M1');
        await a.setReminder(MIA, { time: '02:30', timezone: BERLIN, address: 'slack:T1:D1' });
        const { sent, sender } = recorder(time);
        await run(time, '2026-03-27T23:30:00Z', '2026-03-30T06:00:00Z', 10, [() => a.sweepReminders(sender), () => b.sweepReminders(sender)]);
        expect(sent.map((s) => s.local)).toEqual(['2026-03-28 02:30', '2026-03-29 03:00', '2026-03-30 02:30']);
      } finally {
        for (const s of stores) await s.close();
      }
    });

    it('start the day after when opted in past the time, and from then on are due from the time until local midnight', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T06:00:00Z');
      const store = await db.open();
      try {
        const svc = learning(store, time);
        await svc.showAgain(MIA, 'kafka/c1', 'M1');
        await time.advanceTo('2026-03-04T20:00:00Z');
        await svc.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'slack:T1:D1' });
        const { sent, sender } = recorder(time);
        await run(time, '2026-03-04T20:00:00Z', '2026-03-05T00:00:00Z', 30, [() => svc.sweepReminders(sender)]);
        expect(sent).toEqual([]);
        // A bot that was down at 07:00 sends it when it is back, the same day.
        await run(time, '2026-03-05T15:00:00Z', '2026-03-06T00:00:00Z', 30, [() => svc.sweepReminders(sender)]);
        expect(sent.map((s) => s.at)).toEqual(['2026-03-05T15:00:00.000Z']);
      } finally {
        await store.close();
      }
    });

    it('wait until something is due, go only to the opted in, and stop when switched off', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T06:00:00Z');
      const store = await db.open();
      try {
        const svc = learning(store, time);
        const { sent, sender } = recorder(time);
        await svc.showAgain(MIA, 'kafka/c1', 'M1'); // due tomorrow 06:00 UTC
        await svc.showAgain(learnerOf('slack:T1:C1', 'U2'), 'kafka/c1', 'M1'); // never opted in
        await svc.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'slack:T1:D1' });
        await run(time, '2026-03-02T06:00:00Z', '2026-03-03T05:00:00Z', 15, [() => svc.sweepReminders(sender)]);
        expect(sent).toEqual([]);
        // Due from 06:00 on the 3rd; the reminder waits for 07:00.
        await run(time, '2026-03-03T05:00:00Z', '2026-03-03T12:00:00Z', 15, [() => svc.sweepReminders(sender)]);
        expect(sent.map((s) => s.at)).toEqual(['2026-03-03T07:00:00.000Z']);
        expect(await svc.stopReminder(MIA)).toBe(true);
        await run(time, '2026-03-04T05:00:00Z', '2026-03-04T12:00:00Z', 15, [() => svc.sweepReminders(sender)]);
        expect(sent).toHaveLength(1);
        // A process that cannot reach the address leaves the reminder to one that can.
        await svc.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'discord:@me:5' });
        const elsewhere = recorder(time);
        await run(time, '2026-03-05T06:50:00Z', '2026-03-05T08:00:00Z', 15, [() => svc.sweepReminders({ ...elsewhere.sender, canReach: (address) => address.startsWith('slack:') })]);
        expect(elsewhere.sent).toEqual([]);
        expect(await store.remindersOf(MIA)).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('are tried again within the day after a transient failure, and given up after a permanent one', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T06:00:00Z');
      const store = await db.open();
      try {
        const svc = learning(store, time);
        await svc.showAgain(MIA, 'kafka/c1', 'M1');
        await svc.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'slack:T1:D1' });
        const flaky = recorder(time, (r, n) => (r.localDate === '2026-03-03' && n < 3 ? new DeliveryError('rate limited', 'rate_limited', false) : r.localDate === '2026-03-04' ? new DeliveryError('cannot DM', 'cannot_dm', true) : undefined));
        await run(time, '2026-03-03T06:55:00Z', '2026-03-03T09:00:00Z', 1, [() => svc.sweepReminders(flaky.sender)]);
        // Failed at 07:00, again at 07:05 (after 5 minutes), then sent at 07:20 (15 minutes later).
        expect(flaky.sent.map((s) => s.at)).toEqual(['2026-03-03T07:20:00.000Z']);
        expect((await store.remindersOf(MIA))[0]).toMatchObject({ status: 'sent', attempts: 3 });
        await run(time, '2026-03-04T06:55:00Z', '2026-03-04T09:00:00Z', 1, [() => svc.sweepReminders(flaky.sender)]);
        expect(flaky.attempts.get('remind:slack:T1:U1:2026-03-04')).toBe(1);
        expect((await store.remindersOf(MIA))[1]).toMatchObject({ localDate: '2026-03-04', status: 'failed', error: 'cannot_dm' });
      } finally {
        await store.close();
      }
    });

    it('are taken up by another process when the one that claimed it died before sending', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T06:00:00Z');
      const { a, b, stores } = await twoProcesses(() => db.open(), time);
      try {
        await a.showAgain(MIA, 'kafka/c1', 'M1');
        await a.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'slack:T1:D1' });
        // Process A claims the 3rd's reminder at 07:00 and dies before sending it.
        await time.advanceTo('2026-03-03T07:00:00Z');
        expect(await stores[0]!.claimReminder(MIA, '2026-03-03', 'slack:T1:D1', 'remind:slack:T1:U1:2026-03-03', time.now().toISOString())).toBe(true);
        const { sent, sender } = recorder(time);
        await run(time, '2026-03-03T07:00:00Z', '2026-03-03T08:00:00Z', 0.25, [() => b.sweepReminders(sender)]);
        // B leaves it while A could still be sending (the outbox lease, 30 s), then sends it once.
        expect(sent.map((s) => s.at)).toEqual(['2026-03-03T07:00:45.000Z']);
        expect(await stores[1]!.remindersOf(MIA)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
      } finally {
        for (const s of stores) await s.close();
      }
    });

    it('runs every minute on the injected timers once started, and stops', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T06:00:00Z');
      const store = await db.open();
      try {
        const svc = learning(store, time);
        await svc.showAgain(MIA, 'kafka/c1', 'M1');
        await svc.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'slack:T1:D1' });
        const { sent, sender } = recorder(time);
        svc.startReminders(sender);
        await time.advanceTo('2026-03-03T07:30:00Z');
        expect(sent.map((s) => s.at)).toEqual(['2026-03-03T07:00:00.000Z']);
        svc.stopReminders();
        expect(time.timers).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
}

describe('the reminder sweep', () => {
  it('stopped while a sweep runs, sets no timer again', async () => {
    const db = DATABASES[0]!.fresh();
    const time = new FakeTime('2026-03-02T06:00:00Z');
    const store = await db.open();
    try {
      const svc = learning(store, time);
      await svc.showAgain(MIA, 'kafka/c1', 'M1');
      await svc.setReminder(MIA, { time: '07:00', timezone: 'UTC', address: 'slack:T1:D1' });
      await time.advanceTo('2026-03-03T06:59:00Z');
      let sent = 0;
      // The process stops (stopReminders) while its sweep is sending.
      svc.startReminders({ deliver: async () => (svc.stopReminders(), sent++, 'sent') });
      await time.advanceTo('2026-03-03T08:00:00Z');
      expect(sent).toBe(1);
      expect(time.timers).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('stopping the reminder sweep', () => {
  it('lets the reminder under way finish, claims no other, and resolves only then', async () => {
    const db = DATABASES[0]!.fresh();
    const time = new FakeTime('2026-03-02T06:00:00Z');
    const store = await db.open();
    try {
      const svc = learning(store, time);
      const LEO = learnerOf('slack:T1:C1', 'U2');
      for (const [who, dm] of [
        [MIA, 'slack:T1:D1'],
        [LEO, 'slack:T1:D2'],
      ] as const) {
        await svc.showAgain(who, 'kafka/c1', 'M1');
        await svc.setReminder(who, { time: '07:00', timezone: 'UTC', address: dm });
      }
      await time.advanceTo('2026-03-03T07:00:00Z');
      let release!: () => void;
      let reached!: () => void;
      const held = new Promise<void>((r) => (reached = r));
      const delivered: string[] = [];
      svc.startReminders({
        deliver: async (r) => {
          reached();
          await new Promise<void>((go) => (release = go));
          delivered.push(r.learner.userId);
          return 'sent';
        },
      });
      // The sweep runs on the fake timers, which wait for it: not awaited here.
      const sweeping = time.advance(0);
      await held;
      let stopped = false;
      const stopping = svc.stopReminders().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(stopped).toBe(false);
      release();
      await stopping;
      await sweeping;
      expect(delivered).toHaveLength(1);
      const rows = async () => [...(await store.remindersOf(MIA)), ...(await store.remindersOf(LEO))].map((r) => [r.userId, r.status]);
      const after = await rows();
      expect(after).toEqual([[delivered[0], 'sent']]);
      await time.advance(10 * 60_000);
      expect(await rows()).toEqual(after);
      expect(time.timers).toBe(0);
    } finally {
      await store.close();
    }
  });
});
