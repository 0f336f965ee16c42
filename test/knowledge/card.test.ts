import { describe, expect, it } from 'vitest';
import { conceptCard } from '../../src/knowledge/cards.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { writeKnowledge } from '../helpers/knowledge.js';

describe('the concept card', () => {
  it('names a card it builds on once, under "Builds on", even when it is listed as related too', () => {
    const kb = loadKnowledge(
      writeKnowledge([
        { id: 'kafka/acks', title: 'Producer acks', related: ['kafka/isr', 'kafka/broker'], prerequisites: ['kafka/isr'] },
        { id: 'kafka/isr', title: 'In-sync replicas' },
        { id: 'kafka/broker', title: 'Broker' },
      ]),
    );
    const card = conceptCard(kb, kb.byId.get('kafka/acks')!);
    const fields = card.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : []));
    expect(fields).toEqual([
      { label: 'Builds on', value: 'In-sync replicas' },
      { label: 'Related', value: 'Broker' },
    ]);
  });
});
