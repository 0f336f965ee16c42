import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backfill } from '../../src/app.js';
import { catalogOf } from '../../src/knowledge/catalog.js';
import { readKnowledge } from '../../src/knowledge/load.js';
import { testApp } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { REAL_KNOWLEDGE_DIR, TOPICS, writeKnowledge } from '../helpers/knowledge.js';

const apps: Backfill[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

function chat() {
  const t = testApp(REAL_KNOWLEDGE_DIR);
  apps.push(t.app);
  return { ...t, chat: consoleChat(t.app) };
}

const catalog = () => catalogOf(apps[0]!.knowledge.kb);

describe('subtopics work wherever a topic does', () => {
  it('/quiz hive asks only about Hive, and /quiz kafka streams about Kafka Streams', async () => {
    const { app, chat: c, time } = chat();
    const started = await c.say('/quiz hive 3');
    expect(started).toContain('· Hive ==');
    const quiz = (await app.store.latestQuiz('console:local', 'quiz'))!;
    const hive = catalog().get('hive')!;
    for (const q of await app.store.questionsOf(quiz.id)) expect(hive.concepts.map((x) => x.id)).toContain(q.conceptId);
    await c.say('/quiz stop');
    await time.advance(1000);
    expect(await c.say('/quiz kafka streams 1')).toContain('· Kafka Streams ==');
    await c.say('/quiz stop');
  });

  it('/random hive shows a Hive card; /topics lists subtopics, and the concepts of one', async () => {
    const { chat: c } = chat();
    for (let i = 0; i < 5; i++) expect(await c.say('/random hive')).toMatch(/Apache Hadoop · hadoop\/hive/);
    const all = await c.say('/topics');
    // The second line of a topic's entry stays under it, indented, in the terminal.
    expect(all).toContain('\n  Subtopics: HDFS, HBase, MapReduce, YARN, Pig, Hive, Oozie, ZooKeeper');
    // A name a command does not take comes with the word it does, and that word works.
    expect(all).toContain('XComs, variables and connections (`xcom`)');
    expect(await c.say('/topics xcom')).toContain('== XComs, variables and connections ==');
    const kafka = await c.say('/topics kafka');
    expect(kafka).toContain('Kafka Streams (1): Kafka Streams');
    expect(kafka).toContain('[1] Random: Apache Kafka');
    const hive = await c.say('/topics hive');
    expect(hive).toContain('== Hive ==');
    const hiveCards = readdirSync(join(REAL_KNOWLEDGE_DIR, 'hadoop')).filter((f) => f.startsWith('hive')).length;
    expect(hiveCards).toBeGreaterThan(1);
    expect(hive).toContain(`(part of Apache Hadoop): ${hiveCards} concepts`);
    expect(hive).toMatch(/\[1\] (Apache )?Hive/);
  });

  it('/daily subscribe hive posts Hive concepts; status names the subtopic', async () => {
    const { app, chat: c, time } = chat();
    expect(await c.say('/daily subscribe concept hive 12:00 UTC')).toContain('a concept at 12:00 (UTC), every day, from Hive.');
    await time.advance(3 * 3_600_000);
    for (let day = 0; day < 3; day++) {
      await app.daily.sweep();
      await time.advance(86_400_000);
    }
    const posted = (await app.store.postsOf('console:local', 'concept')).map((p) => p.conceptId);
    expect(posted.length).toBeGreaterThanOrEqual(3);
    for (const id of posted) expect(id).toMatch(/^hadoop\/hive/);
  });

  it('/quiz review spark reviews only what was missed about Spark', async () => {
    const { chat: c, app, time } = chat();
    await c.say('/quiz kafka 1');
    const quiz = (await app.store.latestQuiz('console:local', 'quiz'))!;
    const q = (await app.store.getQuestion(quiz.id, 0))!;
    await c.say(String(((q.correct + 1) % 4) + 1));
    await time.advance(20_000);
    expect(await c.say('/quiz review spark')).toContain('You missed nothing about Apache Spark in your latest quiz here.');
    expect(await c.say('/quiz review kafka')).toContain('Your review: 1 to look at');
  });

  it('every subtopic of the real knowledge base holds concepts, and each is named by its own words', () => {
    const subs = catalog().entries.filter((e) => e.kind === 'subtopic');
    expect(subs.map((s) => s.id)).toEqual(expect.arrayContaining(['hive', 'hbase', 'pig', 'oozie', 'zookeeper', 'yarn', 'hdfs', 'mapreduce', 'kafka-streams', 'kafka-connect', 'spark-sql', 'spark-streaming', 'dbt-tests']));
    for (const s of subs) expect(s.concepts.length, s.id).toBeGreaterThan(0);
    expect(catalog().read(['spark', 'sql'], 0)).toEqual({ ids: ['spark-sql'], used: 2 });
    expect(catalog().read(['hdfs'], 0)).toEqual({ ids: ['hdfs'], used: 1 });
    expect(catalog().read(['hadoop'], 0)).toEqual({ ids: ['hadoop'], used: 1 });
  });

  it('kb validate refuses a subtopic that matches no concept, or a name two subtopics share', () => {
    const dir = writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks' }, { id: 'spark/rdd', title: 'RDD' }], {}, [
      { ...TOPICS[0], subtopics: [{ id: 'producers', name: 'Producers', names: ['producers'], concepts: ['acks', 'nothing-*', 'akcs'] }] },
      { ...TOPICS[1], subtopics: [{ id: 'rdds', name: 'RDDs', names: ['producers'], concepts: ['rdd'] }] },
    ]);
    const problems = readKnowledge(dir).problems.map((p) => `${p.file}: ${p.field}: ${p.message}`);
    expect(problems).toEqual([
      'topics.yaml: [0].subtopics[0].concepts[1]: "nothing-*" matches no concept of kafka (subtopic producers)',
      // A misspelt slug gets the one it likely was.
      'topics.yaml: [0].subtopics[0].concepts[2]: "akcs" matches no concept of kafka (subtopic producers; did you mean "acks"?)',
      'topics.yaml: [1].subtopics[0].names[0]: "producers" already names the subtopic producers',
    ]);
  });
});
