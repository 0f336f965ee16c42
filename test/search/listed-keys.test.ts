import { describe, expect, it } from 'vitest';
import { resultJson } from '../../src/cli/explain.js';
import { explain } from '../../src/knowledge/commands/explain.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { noMissLog } from '../../src/knowledge/misses.js';
import { isConfident, PARAMS, SearchIndex } from '../../src/search/engine.js';
import { TOPICS, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

const DELIVERY = { key: 'delivery.timeout.ms', means: 'The upper bound on the time a send may take, retries included, before the producer reports it failed.' };
const ONE_DONE = { key: 'one_done', means: 'Run the task as soon as any one upstream task has finished, whether it succeeded or failed.' };

const cards: ConceptFixture[] = [
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], summary: 'How many replicas confirm a write before the producer moves on.' },
  { id: 'kafka/retries', title: 'Producer retries', summary: 'The producer sends a failed batch again, up to a time limit.', keys: [DELIVERY] },
  { id: 'kafka/linger', title: 'Producer linger', summary: 'How long the producer waits to fill a batch before it sends it.' },
  { id: 'airflow/trigger-rules', title: 'Trigger rules', summary: 'When a task runs, given how its upstream tasks ended.', keys: [ONE_DONE] },
  { id: 'airflow/retries', title: 'Task retries', summary: 'Airflow runs a failed task again after a delay, as many times as it is told.' },
];
const AIRFLOW = { id: 'airflow', name: 'Apache Airflow', description: 'Airflow.', keywords: ['airflow'], hosts: ['airflow.apache.org'] };
const open = (concepts: ConceptFixture[]) => {
  const kb = loadKnowledge(writeKnowledge(concepts, {}, [...TOPICS, AIRFLOW]));
  return { kb, search: new SearchIndex(kb.concepts, kb.topics) };
};
const knowledge = open(cards);

describe('keys listed on a card', () => {
  it('find the card for a question that writes one, and say which key it was', () => {
    for (const q of ['delivery.timeout.ms', 'what does delivery.timeout.ms do', 'delivery.timeout.ms=120000']) {
      const result = knowledge.search.search(q);
      expect(result.match?.concept.id, q).toBe('kafka/retries');
      expect(result.key, q).toEqual(DELIVERY);
    }
    // Found by its name, the card says nothing of a key.
    expect(knowledge.search.search('kafka producer retries')).toMatchObject({ match: { concept: { id: 'kafka/retries' } } });
    expect(knowledge.search.search('kafka producer retries').key).toBeUndefined();
    // The same cards without the field: the key is no word of theirs.
    const without = open(cards.map(({ keys: _keys, ...card }) => card));
    expect(without.search.search('delivery.timeout.ms').match).toBeNull();
  });

  it('find the card for a key made of words too common to weigh', () => {
    for (const q of ['one_done', 'what is one_done']) expect(knowledge.search.search(q).match?.concept.id, q).toBe('airflow/trigger-rules');
  });

  it('find the card for a key of a command and its flags written whole, not for one of its flags', () => {
    const command = { key: 'hdfs dfsadmin -report -inmaintenance', means: 'Lists the DataNodes in maintenance.' };
    const cards2 = [...cards, { id: 'kafka/admin', title: 'Admin tools', keys: [command] }, { id: 'kafka/reports', title: 'Reports', body: `${'Reports of the cluster. '.repeat(8)}Run \`hdfs dfsadmin -report\` for every node.` }];
    const { search } = open(cards2);
    expect(search.search('hdfs dfsadmin -report -inmaintenance')).toMatchObject({ match: { concept: { id: 'kafka/admin' } }, key: command });
    expect(search.search('hdfs dfsadmin -report').key).toBeUndefined();
    expect(search.search('hdfs dfsadmin -report').match?.concept.id).not.toBe('kafka/admin');
  });

  it('do not outweigh the key of another card the question writes', () => {
    const cards2 = [...cards, { id: 'kafka/retention', title: 'Log retention', body: `${'How long Kafka keeps records. '.repeat(6)}Set \`retention.ms\` on the topic.` }];
    const { search } = open(cards2);
    expect(search.search('retention.ms set but old records stay, delivery.timeout.ms?').match?.concept.id).not.toBe('kafka/retries');
    expect(search.search('delivery.timeout.ms').match?.concept.id).toBe('kafka/retries');
  });

  it('put what the key means at the top of the card, and in explain --json', async () => {
    const reply = await explain(knowledge, noMissLog, 'what does delivery.timeout.ms do', 'console:test');
    const texts = reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
    expect(texts[0]).toBe(`\`${DELIVERY.key}\`: ${DELIVERY.means}`);
    const plain = await explain(knowledge, noMissLog, 'kafka producer retries', 'console:test');
    expect(plain.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []))[0]).toBe('**The producer sends a failed batch again, up to a time limit.**');
    const json = resultJson('delivery.timeout.ms', knowledge.search.search('delivery.timeout.ms'));
    expect(json.match).toMatchObject({ id: 'kafka/retries', key: DELIVERY });
    expect(resultJson('kafka producer retries', knowledge.search.search('kafka producer retries')).match).not.toHaveProperty('key');
  });
});

describe('completing a key as it is typed', () => {
  it('offers the card that lists or writes it first', () => {
    expect(knowledge.search.complete('delivery.time')[0]?.id).toBe('kafka/retries');
    expect(knowledge.search.complete('one_do')[0]?.id).toBe('airflow/trigger-rules');
    // A word, not a key, completes as before.
    expect(knowledge.search.complete('produc').map((c) => c.id)).toContain('kafka/retries');
  });
});

describe('a card alone writing a key the question writes', () => {
  it('is the answer with a wide lead, at the score a pasted line needs', () => {
    const card = (score: number, keyed: number) => ({ doc: 0, score, features: { name: 0.3, asked: 0.2, cover: 0.45, text: 0.7, topicNamed: 0, inTopic: 0, exact: 0, keyed, versus: 0 } });
    const question = { unknown: 0.3, weight: 3.3, topic: false };
    const best = card(PARAMS.pastedMatch + 0.05, 1);
    const far = card((PARAMS.pastedMatch + 0.05) * (1 - PARAMS.pastedLead - 0.05), 0);
    expect(isConfident(best, far, question)).toBe(true);
    // The next card writes the key too, the lead is narrow, or no card writes it: no card.
    expect(isConfident(best, card(far.score, 1), question)).toBe(false);
    expect(isConfident(best, card((PARAMS.pastedMatch + 0.05) * (1 - PARAMS.pastedLead + 0.05), 0), question)).toBe(false);
    expect(isConfident(card(best.score, 0), far, question)).toBe(false);
  });
});
