import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { SearchIndex } from '../../src/search/engine.js';
import { REAL_KNOWLEDGE_DIR, TOPICS, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

const HADOOP = { id: 'hadoop', name: 'Apache Hadoop', description: 'Hadoop.', keywords: ['hadoop', 'yarn', 'hdfs'], hosts: ['hadoop.apache.org'] };
const open = (concepts: ConceptFixture[]) => {
  const kb = loadKnowledge(writeKnowledge([...concepts, ...sparkCards], {}, [...TOPICS, HADOOP]));
  return new SearchIndex(kb.concepts, kb.topics);
};

const sparkCards: ConceptFixture[] = [
  { id: 'spark/shuffle', title: 'Shuffle', summary: 'Spark moves rows between executors so that rows with one key meet.', errors: ['org.apache.spark.shuffle.FetchFailedException: Failed to connect to <host>:<port>'] },
  { id: 'spark/executor', title: 'Executor', summary: 'The process that runs the tasks of a Spark application on a worker and keeps its cached data.' },
  { id: 'spark/stages', title: 'Stages', summary: 'A stage is a set of tasks that run the same code on the partitions of a dataset.' },
];

const schedulers: ConceptFixture = {
  id: 'hadoop/yarn-schedulers',
  title: 'YARN schedulers',
  summary: 'How the ResourceManager shares the cluster between queues.',
  keys: [
    { key: 'yarn.scheduler.capacity.root.queues', means: 'The queues under the root queue of the Capacity Scheduler.' },
    { key: 'yarn.scheduler.capacity.queue-mappings', means: 'Which queue the applications of a user or group go to.' },
  ],
};
const yarnCards: ConceptFixture[] = [
  schedulers,
  { id: 'hadoop/yarn-nodemanager', title: 'YARN NodeManager', summary: 'The agent on each worker that runs containers.', body: `${'The NodeManager starts and watches the containers of a node. '.repeat(4)}Set \`yarn.nodemanager.resource.memory-mb\` to what containers may use.` },
  { id: 'hadoop/yarn-containers', title: 'YARN containers', summary: 'The memory and cores the scheduler gives an application.', body: `${'A container is a share of a node. '.repeat(5)}Its size is capped by \`yarn.scheduler.maximum-allocation-mb\` and \`yarn.nodemanager.pmem-check-enabled\`.` },
];

describe('a dotted key no card writes', () => {
  it('finds the one card whose keys share its namespace, without saying any of them is it', () => {
    const search = open(yarnCards);
    for (const q of ['yarn.scheduler.capacity.root.analytics.maximum-capacity', 'yarn.scheduler.capacity.root.etl.user-limit-factor=2']) {
      const result = search.search(q);
      expect(result.match?.concept.id, q).toBe('hadoop/yarn-schedulers');
      expect(result.key, q).toBeUndefined();
    }
  });

  it('finds no card by a namespace two cards share, nor by a namespace of two parts', () => {
    const search = open(yarnCards);
    // yarn.nodemanager.* begins keys of two cards; yarn.scheduler.* of two as well.
    for (const q of ['yarn.nodemanager.made-up.key.name', 'yarn.scheduler.made-up-key']) expect(search.search(q).match, q).toBeNull();
    // Without the cards' keys, the queue's key is nobody's.
    const without = open(yarnCards.map(({ keys: _keys, ...card }) => card));
    expect(without.search('yarn.scheduler.capacity.root.analytics.maximum-capacity').match).toBeNull();
  });


  it('stands for its siblings when it is numbered', () => {
    const zk: ConceptFixture[] = [
      ...yarnCards,
      { id: 'hadoop/zookeeper-ensemble', title: 'ZooKeeper ensemble', summary: 'The servers of a ZooKeeper ensemble and the quorum they need.', body: `${'An ensemble is an odd number of servers. '.repeat(5)}Each line \`server.1=zk1:2888:3888\` names one of them.` },
    ];
    const search = open(zk);
    expect(search.search('server.5=zk5.example.com:2888:3888').match?.concept.id).toBe('hadoop/zookeeper-ensemble');
  });
});

describe('keys in the shipped knowledge base', () => {
  const shipped = openKnowledge(REAL_KNOWLEDGE_DIR).search;

  it('read a class named in full by its class name too (org.apache.spark.shuffle.FetchFailedException)', () => {
    for (const q of ['FetchFailedException keeps killing stage 7', 'NotEnoughReplicasException: The size of the current ISR Set(1) is insufficient']) {
      expect(shipped.search(q).match?.concept.id, q).toBe(q.startsWith('Fetch') ? 'spark/shuffle' : 'kafka/min-insync-replicas');
    }
  });

  it("read a method called on the reader's own variable as the one a card writes on its own (rdd.lookup)", () => {
    expect(shipped.search('pairRdd.lookup("user_42")').match?.concept.id).toBe('spark/lookup');
  });

  it("read the names a pasted call is given in quotes as the reader's data, not as an example card's column", () => {
    // customer_id and event_date are columns several or other cards' examples use.
    expect(shipped.search('repartitionByRange(64, "customer_id")').match?.concept.id).toBe('spark/repartition-vs-coalesce');
    expect(shipped.search('repartitionByRange(200, "event_date")').match?.concept.id).toBe('spark/repartition-vs-coalesce');
    // A quoted name the call's own card writes, or a dotted key, is still asked about.
    expect(shipped.search('df.write.partitionBy("event_date").parquet(path)').match?.concept.id).toBe('spark/partitioned-writes');
    expect(shipped.search('spark.conf.set("spark.sql.shuffle.partitions", "400")').match?.concept.topic).toBe('spark');
  });

  it('read a question that is one call only one card writes as that card, unless it is given a key of another', () => {
    expect(shipped.search('@task.virtualenv(requirements=["requests==2.32.0", "polars"], system_site_packages=False)').match?.concept.id).toBe('airflow/taskflow-api');
    expect(shipped.search('df.persist(StorageLevel.MEMORY_AND_DISK_SER)').match?.concept.id).toBe('spark/storage-levels');
  });

  it("read a method called on another topic's library as that library's, not as the one card that writes the method elsewhere", () => {
    // dbt's Jinja writes modules.datetime; pendulum is written by Airflow's cards only.
    for (const q of ['pendulum.datetime', 'start_date=pendulum.datetime(2024, 6, 1)']) expect(shipped.search(q).match?.concept.topic ?? null, q).not.toBe('dbt');
  });

  it("read a command line by the flag one card writes when the command's own card writes none of its flags", () => {
    for (const q of ['terraform apply -refresh-only -auto-approve', 'terraform plan -refresh-only']) expect(shipped.search(q).match?.concept.id, q).toBe('terraform/drift-and-refresh-only');
    // A flag two cards write says nothing of which; prose that mentions a flag is no command line.
    expect(shipped.search('terraform apply -auto-approve').match?.concept.id).toBe('terraform/apply');
    expect(shipped.search('terraform apply without a saved plan, should i always plan -out first').match?.concept.id ?? null).not.toBe('terraform/plan');
    // Told in a sentence, a command's flags are its setting (--target is the profiles card's).
    expect(shipped.search('dbt retry --target prod after the nightly job died').match?.concept.id ?? null).not.toBe('dbt/profiles');
  });

  it('read a pasted line of a tool no card covers as that tool\'s, by its command or by the namespace of its key', () => {
    const delta = shipped.search('ALTER TABLE events SET TBLPROPERTIES (delta.autoOptimize.optimizeWrite = true)');
    expect(delta.match).toBeNull();
    expect(delta.notCovered).toEqual(['delta lake']);
    // ... a key of two parts too.
    expect(shipped.search('ALTER TABLE t SET TBLPROPERTIES (delta.appendOnly = true)').match).toBeNull();
    // Airflow's configuration card says people ask about Docker, and a one-letter flag is every tool's.
    const docker = shipped.search('docker compose up -d --scale worker=3');
    expect(docker.match).toBeNull();
    expect(docker.notCovered).toEqual(['docker']);
    // Asked about with one of ours, the same words still find our card.
    expect(shipped.search('how do I set airflow config in docker compose').match?.concept.id).toBe('airflow/configuration');
  });

  it("read an object's own ID in a pasted command as the reader's, not as words nobody wrote (a snapshot's name, a lock's UUID)", () => {
    expect(shipped.search('hdfs snapshotDiff /data/warehouse s20250101 s20250102').match?.concept.id).toBe('hadoop/hdfs-snapshots');
    expect(shipped.search('terraform force-unlock 6f1c2b9e-4a1d-2f7e-9c3b-1d2e3f4a5b6c').match?.concept.topic).toBe('terraform');
  });

  it('give no card for a key alone that no card writes, lists or places, whatever its words', () => {
    // Postgres's, Flink's; a Terraform address is Terraform's syntax, and a queue's key the schedulers'.
    for (const q of ['shared_buffers', 'shared_buffers = 4GB', 'taskmanager.memory.process.size']) expect(shipped.search(q).match, q).toBeNull();
    expect(shipped.search('data.aws_caller_identity.current.account_id').match?.concept.id).toBe('terraform/data-sources');
    expect(shipped.search('yarn.scheduler.capacity.root.etl.user-limit-factor=2').match?.concept.id).toBe('hadoop/yarn-schedulers');
  });

  it('read a hostile key of many parts at once (no pattern tries every split of it)', () => {
    // Each within the 2,000 characters search reads, the last character spoiling the key.
    // Read as the word shuffle, which names Spark's and MapReduce's: Spark's leads the cards offered.
    expect(shipped.search(`shuffle${'_shuffle'.repeat(60)} !`).suggestions[0]?.concept.id).toBe('spark/shuffle');
    for (const q of [`a${'_a'.repeat(900)} !`, `a${'.a'.repeat(900)}=!`, `${'x.'.repeat(900)}lookup(1)`]) expect(shipped.search(q).match, q.slice(0, 20)).toBeNull();
  });
});
