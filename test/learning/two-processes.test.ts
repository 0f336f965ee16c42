import { afterAll, describe, expect, it } from 'vitest';
import { learnerOf } from '../../src/learning/learner.js';
import { FakeTime } from '../helpers/time.js';
import { DATABASES, dropSchemas, learning } from './fixtures.js';

afterAll(dropSchemas);

const MIA = learnerOf('discord:G1:C1', '42');

for (const { name, fresh } of DATABASES) {
  describe(`${name}: one card, several processes`, () => {
    it('applies answers recorded at the same moment by two processes one after the other, none lost, none twice', async () => {
      const db = fresh();
      const time = new FakeTime('2026-03-02T09:00:00Z');
      const stores = [await db.open(), await db.open()];
      try {
        const [a, b] = stores.map((s) => learning(s, time));
        const answer = (svc: typeof a, key: string, correct: boolean) =>
          svc!.recordAnswer({ learner: MIA, conceptId: 'kafka/c1', correct, shownAt: time.now(), answeredAt: time.now(), windowSeconds: 20, source: 'quiz', key, address: 'discord:G1:C1' });
        const outcomes = await Promise.all([answer(a, 'quiz:x:0', true), answer(b, 'quiz:y:0', false), answer(a, 'quiz:x:0', true), answer(b, 'quiz:z:0', true)]);
        expect(outcomes.filter((o) => o.result === 'recorded')).toHaveLength(3);
        expect(outcomes.filter((o) => o.result === 'duplicate')).toHaveLength(1);
        const card = (await stores[0]!.learningCard(MIA, 'kafka/c1'))!;
        expect(card).toMatchObject({ reps: 3, version: 3, lapses: expect.any(Number) });
        expect((await stores[1]!.learningReviews(MIA)).map((r) => r.eventKey).sort()).toEqual(['quiz:x:0', 'quiz:y:0', 'quiz:z:0']);
        // A Discord user is one learner on every server and in DMs.
        expect(await stores[1]!.learningCards(learnerOf('discord:@me:9', '42'))).toEqual([card]);
      } finally {
        for (const s of stores) await s.close();
      }
    });
  });
}
