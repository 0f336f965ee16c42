import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { isConfident, PARAMS, SearchIndex } from '../../src/search/engine.js';
import { misspeltStopword, queryWords, stem, tokenize, tokenizeQuery, withoutChatNoise } from '../../src/search/tokenize.js';
import { editDistance } from '../../src/core/text.js';
import { TypoCorrector } from '../../src/search/typo.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { REAL_KNOWLEDGE_DIR, TOPICS, writeKnowledge } from '../helpers/knowledge.js';

const kb = loadKnowledge(
  writeKnowledge(
    [
      { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks', 'acks=all'], summary: 'How many replicas confirm a write before the producer moves on.' },
      { id: 'kafka/min-insync-replicas', title: 'min.insync.replicas', summary: 'The smallest in-sync replica set a write with acks=all accepts.' },
      { id: 'kafka/replication-factor', title: 'Kafka replication factor', summary: 'How many copies of each partition the cluster keeps.' },
      { id: 'kafka/consumer-group', title: 'Consumer group', summary: 'Consumers sharing the partitions of a topic.' },
      { id: 'kafka/overview', title: 'Apache Kafka', summary: 'A distributed log that producers write to and consumers read from.' },
      { id: 'kafka/dump-log', title: 'Reading log segments', aliases: ['kafka show'], summary: 'A Kafka tool that prints what a log segment of a partition holds.' },
      { id: 'spark/executor', title: 'Spark executor', summary: 'A process on a worker node that runs tasks and keeps cached data.' },
      { id: 'spark/task-slots', title: 'Task slots', summary: 'An executor runs as many tasks at once as it has cores, spark.executor.cores of them.' },
      { id: 'spark/submit', title: 'Submitting applications', summary: 'The launcher sets executor cores, executor memory and the number of executors for an application.' },
      { id: 'spark/cache-vs-persist', title: 'Cache vs persist', summary: 'cache() uses the default storage level; persist() lets you choose one.' },
      { id: 'spark/lineage', title: 'RDD lineage', summary: 'The recorded chain of transformations Spark uses to recompute lost partitions.' },
      { id: 'hadoop/hdfs-replication', title: 'HDFS replication', summary: 'HDFS keeps three copies of each block by default.' },
      { id: 'hadoop/hdfs-blocks', title: 'HDFS blocks', aliases: ['block size', 'dfs.blocksize'], summary: 'Files are split into large blocks, 128 MB by default.' },
      { id: 'hadoop/namenode', title: 'NameNode', summary: 'Keeps the file system namespace and block locations.' },
      { id: 'hadoop/yarn-resourcemanager', title: 'YARN ResourceManager', summary: 'The master daemon that schedules containers across the cluster.' },
      { id: 'kafka/a-lockfile', title: 'use_lockfile setting', summary: 'A flag that turns on a lock file next to the state.' },
      { id: 'kafka/lock-file', title: 'Dependency lock file', summary: 'Records the exact versions chosen so every run uses the same.' },
      { id: 'kafka/kraft', title: 'KRaft', summary: 'The Raft-based metadata quorum that replaced the external coordination service.' },
      { id: 'kafka/zookeeper-vs-kraft', title: 'KRaft vs ZooKeeper', summary: 'Why metadata moved from an external ensemble into a Raft quorum of controllers.' },
      { id: 'airflow/executor', title: 'Airflow executor', summary: 'How and where task instances run: LocalExecutor, CeleryExecutor, KubernetesExecutor.' },
      { id: 'airflow/xcom', title: 'XCom', aliases: ['cross-communication'], summary: 'Small values tasks pass to each other.' },
    ],
    {},
    [
      ...TOPICS,
      { id: 'hadoop', name: 'Apache Hadoop', description: 'Hadoop.', keywords: ['hadoop', 'hdfs', 'yarn', 'zookeeper'], hosts: ['hadoop.apache.org'] },
      { id: 'airflow', name: 'Apache Airflow', description: 'Airflow.', keywords: ['airflow'], hosts: ['airflow.apache.org'] },
    ],
  ),
);
const index = new SearchIndex(kb.concepts, kb.topics);
const top = (q: string) => index.search(q).match?.concept.id ?? null;
/** The shipped knowledge base's search, and the card it finds. */
const shipped = openKnowledge(REAL_KNOWLEDGE_DIR).search;
const found = (q: string) => shipped.search(q).match?.concept.id;
/** The likeliest card, shown or only suggested: how the question was read, whatever the confidence. */
const first = (q: string) => {
  const r = index.search(q);
  return (r.match ?? r.suggestions[0])?.concept.id ?? null;
};

describe('tokenize', () => {
  it('drops question words, keeps domain words, and stems plurals', () => {
    expect(tokenize("What's the difference between cache and persist?")).toEqual(['cach', 'persist']);
    expect(tokenize('tell me about the NameNodes')).toEqual(['namenod']);
    expect(tokenize('terraform state')).toEqual(['terraform', 'stat']);
    expect(stem('replicas')).toBe(stem('replica'));
    expect(stem('caching')).toBe(stem('cache'));
    expect(stem('lagging')).toBe(stem('lag'));
    expect(stem('committed')).toBe(stem('commits'));
    expect(stem('spilled')).toBe(stem('spill'));
    expect(stem('uniqueness')).toBe(stem('unique'));
    expect(stem('slowness')).toBe(stem('slow'));
  });

  it('strips mention syntax and bounds very long input', () => {
    expect(tokenize('<@U123> <!channel> acks')).toEqual(['ack']);
    expect(tokenizeQuery('kafka '.repeat(5000)).length).toBeLessThanOrEqual(24);
  });

  it('reads a pasted question without its colour codes, link addresses or URLs', () => {
    expect(tokenizeQuery('\x1b[31mkafka acks\x1b[0m')).toEqual(['kafka', 'ack']);
    expect(tokenizeQuery('[kafka acks](https://kafka.apache.org/documentation/#acks)')).toEqual(['kafka', 'ack']);
    expect(tokenizeQuery('<https://example.com/docs|kafka acks> explained')).toEqual(['kafka', 'ack']);
    expect(tokenizeQuery('<https://slack.com|link> kafka acks')).toEqual(['kafka', 'ack']);
    expect(tokenizeQuery('[docs](https://x.y) kafka acks')).toEqual(['kafka', 'ack']);
    expect(tokenizeQuery('see https://spark.apache.org/docs/latest/ for spark shuffle')).toEqual(['see', 'spark', 'shuffl']);
    // A Java stack trace's frames say where, not what: its exception line does.
    const trace = 'RecordTooLargeException: too large\n\tat org.apache.kafka.clients.producer.KafkaProducer.doSend(KafkaProducer.java:1030)\n\t... 12 more';
    expect(tokenizeQuery(trace)).toEqual(tokenizeQuery('RecordTooLargeException: too large'));
    expect(tokenizeQuery('whats the diff btwn cache and persist')).toEqual(tokenizeQuery('difference between cache and persist'));
    for (const slip of ['differnce', 'diffrence', 'differance', 'diference']) expect(withoutChatNoise(`the ${slip} between cache and persist`), slip).toBe('the difference between cache and persist');
    // Words that only start alike are left as they are.
    expect(withoutChatNoise('different partitions differ')).toBe('different partitions differ');
    // Short forms said in chat that the cards write out.
    expect(tokenizeQuery('infra as code, kafka msgs, spark perf')).toEqual(tokenizeQuery('infrastructure as code, kafka messages, spark performance'));
  });

  it('reads the module a Python import error names as a name somebody chose, not as a tool asked about', () => {
    const r = shipped.search('Broken DAG: No module named pandas');
    expect(r.notCovered).toBeUndefined();
    expect(r.match?.concept.id).toBe(shipped.search("Broken DAG: No module named 'pandas'").match?.concept.id);
    expect(r.match?.concept.id).toBe('airflow/dag-processor');
  });
});

  it('reads who asked as chat, not as the question', () => {
    expect(tokenizeQuery('is collect() bad? senior dev yelled at me')).toEqual(['collect']);
    expect(tokenizeQuery('my boss told me to cache everything')).toEqual(['cach', 'everyth']);
    expect(tokenizeQuery('is collect() bad?? my lead freaked out')).toEqual(['collect']);
    expect(tokenizeQuery('apply -auto-approve in prod pipelines, yay or nay lol')).toEqual(tokenizeQuery('apply -auto-approve in prod pipelines'));
    expect(tokenizeQuery('got asked about kafka acks in an interview')).toEqual(['got', 'ask', 'kafka', 'ack']);
    expect(tokenizeQuery('whats the diff between hdfs and hbase')).toEqual(['hdf', 'hbas']);
    expect(tokenizeQuery('yo can u explain hive acid')).toEqual(['hive', 'acid']);
    expect(tokenizeQuery('terraform plan diff')).toEqual(['terraform', 'plan', 'diff']);
    expect(tokenizeQuery('dbt run vs dbt build whats the diff?')).toEqual(['dbt', 'run', 'dbt', 'build']);
    expect(tokenizeQuery('eli5 dbt pls, my manager keeps saying we need it')).toEqual(['dbt']);
    // ... and its long form, with the name between its words ("explain X like i'm five").
    expect(tokenizeQuery("can someone explain mapreduce like i'm 5")).toEqual(['mapreduc']);
    expect(tokenizeQuery('explain yarn like I am five years old')).toEqual(['yarn']);
    expect(tokenizeQuery('ppl keep telling me to use a hook')).toEqual(['hook']);
    // "tf" is Terraform in chat; a .tf file and tfstate are written whole.
    expect(tokenizeQuery('tl;dr whats a provider in tf')).toEqual(['provider', 'terraform']);
    expect(tokenizeQuery('main.tf and terraform.tfstate')).toEqual(['main', 'tf', 'terraform', 'tfstat']);
    // A word of the same kind that is the subject stays: dbt's dev target is a real question.
    expect(tokenizeQuery('dbt dev target')).toEqual(['dbt', 'dev', 'target']);
  });

  it('reads "super" and other words of degree as how much, not what ("super slow"), but keeps a super user', () => {
    expect(tokenizeQuery('my spark job is super slow')).toEqual(['spark', 'job', 'slow']);
    expect(tokenizeQuery('insanely slow dag')).toEqual(['slow', 'dag']);
    expect(tokenizeQuery('kafka super users')).toEqual(['kafka', 'super', 'user']);
    expect(tokenizeQuery('super.users')).toContain('super');
  });

describe('editDistance and typo correction', () => {
  it('counts adjacent swaps as one edit', () => {
    expect(editDistance('blok', 'block')).toBe(1);
    expect(editDistance('nmaenode', 'namenode')).toBe(1);
    expect(editDistance('kafka', 'spark')).toBeGreaterThan(2);
  });

  it('maps a misspelt word to vocabulary words of about its length', () => {
    const typos = new TypoCorrector(['block', 'broker', 'namenod', 'partition']);
    expect(typos.corrections('blok').map((c) => c.token)).toContain('block');
    expect(typos.corrections('partiton').map((c) => c.token)).toContain('partition');
    expect(typos.corrections('zzzz')).toEqual([]);
  });

  it('reads a misspelt word whose e the stemmer dropped with the e put back ("hiive" stems to hiiv)', () => {
    const typos = new TypoCorrector(['hive', 'hbas', 'mode']);
    expect(typos.corrections('hiiv').map((c) => c.token)).toEqual(['hive']);
    expect(typos.corrections('mood').map((c) => c.token)).toEqual(['mode']);
    expect(typos.corrections('qxzv')).toEqual([]);
  });

  it('reads a word by its second letter only as the first two letters swapped, not as one typed before it', () => {
    const typos = new TypoCorrector(['init', 'park']);
    expect(typos.corrections('aprk').map((c) => c.token)).toEqual(['park']);
    expect(typos.corrections('kinit')).toEqual([]);
  });

  it('reads a first letter heard as another ("craft" for kraft), and no other typo in the first letter', () => {
    const typos = new TypoCorrector(['kraft', 'hive']);
    expect(typos.corrections('craft').map((c) => c.token)).toEqual(['kraft']);
    expect(typos.corrections('give')).toEqual([]);
  });

  it('never reads a misspelt word as a number, and finds the near word among thousands of its length and letter', () => {
    const decoys = Array.from({ length: 3000 }, (_, i) => `p${(i * 7919).toString(36).padStart(8, 'q').slice(-8)}`);
    const typos = new TypoCorrector(['1234', '2024', ...decoys, 'partition']);
    expect(typos.corrections('12a4')).toEqual([]);
    expect(typos.corrections('partiton').map((c) => c.token)).toContain('partition');
    expect(typos.corrections('patrition').map((c) => c.token)).toContain('partition');
  });

  it('corrects a misspelt plural whose typo keeps its "s" from the stemmer ("gropus")', () => {
    expect(openKnowledge(REAL_KNOWLEDGE_DIR).search.search('airflow task gropus').match?.concept.id).toBe('airflow/task-groups');
  });

  it('corrects two letters swapped in a short word ("jion" is join as well as json)', () => {
    const typos = new TypoCorrector(['join', 'json', 'jobs', 'broker']);
    expect(typos.corrections('jion').map((c) => c.token)).toEqual(expect.arrayContaining(['join', 'json']));
    expect(typos.corrections('borker').map((c) => c.token)).toContain('broker');
    // Two keys swapped count as half an edit: "tset" is test before toset, though toset is longer.
    expect(new TypoCorrector(['toset', 'test']).corrections('tset').map((c) => c.token)).toEqual(['test', 'toset']);
    expect(openKnowledge(REAL_KNOWLEDGE_DIR).search.search('pig jion').match?.concept.id).toBe('hadoop/pig-join');
  });

  it('finds the stem meant when a typo keeps the stemmer from cutting a word ("tesitng", "freshess", "hbse")', () => {
    // The vocabulary holds stems: test (testing), fresh (freshness), hbas (hbase), clon (clone).
    const typos = new TypoCorrector(['test', 'fresh', 'hbas', 'clon', 'cli', 'con', 'clr', 'reset']);
    expect(typos.corrections('tesitng')[0]?.token).toBe('test');
    expect(typos.corrections('resettng')[0]?.token).toBe('reset');
    expect(typos.corrections('freshess')[0]?.token).toBe('fresh');
    expect(typos.corrections('hbse')[0]?.token).toBe('hbas');
    expect(typos.corrections('clne')[0]?.token).toBe('clon');
    // A word that reads as no stem misspelt gets nothing, and only a stem an e was cut from is read without one: "rice" is not "rit".
    expect(typos.corrections('zzzzing')).toEqual([]);
    expect(new TypoCorrector(['rit', 'ride']).corrections('rice').map((c) => c.token)).toEqual(['ride']);
    expect(shipped.search('tesitng airflow dags locally').match?.concept.id).toBe('airflow/dag-testing');
    expect(shipped.search('dbt clne').match?.concept.id).toBe('dbt/clone');
  });

  it('reads a topic\'s word run into the next with the space left out as those words ("sparkshuffle")', () => {
    expect(shipped.search('sparkshuffle').match?.concept.id).toBe('spark/shuffle');
    expect(shipped.search('airflowpool').match?.concept.id).toBe('airflow/pool');
    expect(shipped.search('terraformoutput values').match?.concept.id).toBe('terraform/outputs');
    // Other words only when together they are a card's name ("incremental models").
    expect(shipped.search('incrementalmodels').match?.concept.id).toBe('dbt/incremental-models');
    expect(shipped.search('hdfs standbynamenode').match?.concept.id).toBe('hadoop/hdfs-namenode-ha');
    // Not before a word no card is named by.
    for (const q of ['sparkling water', 'yarnball', 'weekendplans']) expect(shipped.search(q).match, q).toBeNull();
  });

  it("reads a misspelt card title as that title, not as a command named by it and a dropped word ('terrform state', not 'terraform state show')", () => {
    for (const q of ['terrform state', 'terrafrom state', 'terraaform state']) expect(shipped.search(q).match?.concept.id, q).toBe('terraform/state');
  });
});

describe('SearchIndex', () => {
  it('finds concepts by name, alias, config key and id', () => {
    expect(top('kafka acks')).toBe('kafka/acks');
    expect(top('MIN_INSYNC_REPLICAS')).toBe('kafka/min-insync-replicas');
    expect(top('dfs.blocksize')).toBe('hadoop/hdfs-blocks');
    expect(top('spark/lineage')).toBe('spark/lineage');
  });

  it('understands questions and typos', () => {
    expect(top("what's an xcom?")).toBe('airflow/xcom');
    expect(top('explain kafka acks')).toBe('kafka/acks');
    expect(top('tell me about the namenode')).toBe('hadoop/namenode');
    expect(top('hdfs blok size')).toBe('hadoop/hdfs-blocks');
    expect(top('cache vs persist')).toBe('spark/cache-vs-persist');
  });

  it('reads a misspelt question word as the question word it is', () => {
    for (const word of ['waht', 'hwo', 'shoud', 'wat', 'teh']) expect(misspeltStopword(word), word).toBe(true);
    for (const word of ['kafak', 'namnode', 'xcom', 'arn', 'hdfs']) expect(misspeltStopword(word), word).toBe(false);
    expect(top('waht is a namenode')).toBe('hadoop/namenode');
  });

  it('reads a misspelt word the cards write as that word, though one letter off a question word ("inti": init, not into)', () => {
    expect(shipped.search('terraform inti').match?.concept.id).toBe('terraform/init');
    // A question word swapped stays one ("waht": what, though "wath" is no word of the cards either).
    expect(shipped.search('waht is terraform init').match?.concept.id).toBe('terraform/init');
    // A typo is read against the word as the cards write it, not only its stem ("thraeds": threads, whose stem "thread" is far from "thra").
    expect(shipped.search('dbt thraeds').match?.concept.id).toBe('dbt/profiles');
    expect(shipped.search('spark tuinng checklist').match?.concept.id).toBe('spark/slow-job-checklist');
    // ... and a word whose stem another word gives ("taks", "tak": tak, of "taking") may be a misspelt word cards are named by.
    expect(shipped.search('airflow taks retries').match?.concept.id).toBe('airflow/retries');
    expect(shipped.search('airflow tak groups').match?.concept.id).toBe('airflow/task-groups');
    expect(shipped.search('taks not serializble').match?.concept.id).toBe('spark/task-not-serializable');
    // One letter off a word cards are named by, too ("senor": sensor, not since; "hoks": hooks).
    expect(shipped.search('airflow senor').match?.concept.id).toBe('airflow/sensor');
    expect(shipped.search('dbt hoks').match?.concept.id).toBe('dbt/hooks');
    expect(shipped.search('shoud i use airflow').match?.concept.id).toBe('airflow/overview');
  });

  it('finds the card a question names when it only asks what that name is ("what is hashpartitioner", "explain locals")', () => {
    for (const [q, id] of [
      ['what is hashpartitioner', 'hadoop/mapreduce-shuffle-sort'],
      ['explain locals', 'terraform/locals'],
      ["what's a map task?", 'hadoop/mapreduce-map-phase'],
      ['how does hashpartitioner work', 'hadoop/mapreduce-shuffle-sort'],
      ['locals tl;dr', 'terraform/locals'],
      ['what is for_each', 'terraform/for-each'],
      // ... or a name in the plural.
      ['map tasks', 'hadoop/mapreduce-map-phase'],
      ['what are hashpartitioners', 'hadoop/mapreduce-shuffle-sort'],
    ]) expect(shipped.search(q!).match?.concept.id, q).toBe(id);
    // A name two cards go by stays too vague for one.
    expect(shipped.search('what is a dag').match).toBeNull();
  });

  it('does not read a name that is a topic word and a question word ("kafka show") as the topic', () => {
    expect(top('what is kafka')).toBe('kafka/overview');
    expect(top('kafka show')).toBe('kafka/dump-log');
  });

  it('finds the card that writes a config key the question pastes', () => {
    expect(top('spark.executor.cores=4')).toBe('spark/task-slots');
    // A tool's shell script a card writes, however it is spelt.
    expect(shipped.search('kafka-features.sh').match?.concept.id).toBe('kafka/kraft');
    expect(shipped.search('kafka-server-start.sh').match?.concept.id).toBe('kafka/broker');
    // ... and a file named with a leading dot, not a file extension (".gz" is in many questions about compression).
    expect(shipped.search('.airflowignore').match?.concept.id).toBe('airflow/dag-processor');
    expect(shipped.search('only one mapper runs for my 20GB .gz input file').match?.concept.id).not.toBe('spark/input-partitions');
    // Terraform's flags take one dash.
    expect(shipped.search('-target=aws_instance.web').match?.concept.id).toBe('terraform/resource-targeting');
    // A key misspelt in one of its parts is the key a card writes ("dataode", "fening").
    expect(found('dfs.dataode.max.transfer.threads')).toBe('hadoop/hdfs-datanode');
    expect(found('dfs.ha.fening.methods')).toBe('hadoop/hdfs-namenode-ha');
  });

  it("reads a pasted line's own values and names as arguments, not as what is asked", () => {
    // The value of a key ("zk1:2181"), a made-up model name after a flag, numbered variables around a call.
    expect(found('zookeeper.connect=zk1:2181')).toBe('kafka/zookeeper-removal');
    expect(found('dbt compile --select fct_orders')).toBe('dbt/compile');
    expect(found('rdd1.cogroup(rdd2)')).toBe('spark/join-and-cogroup');
    expect(found('df1.join(broadcast(df2), "id")')).toBe('spark/join-strategies');
    // A dbt selector's model, source or tag is the reader's: "stripe" is in an example of the Jinja card.
    expect(found('dbt run -s stripe+')).toBe('dbt/run');
    expect(found('dbt run --select tag:nightly')).toBe('dbt/node-selection');
    // A Terraform resource address: the label an example card happens to use ("example") pulls nowhere.
    expect(found('terraform import aws_instance.example i-0abc123')).toBe('terraform/import');
    expect(found('terraform import module.vpc.aws_vpc.this vpc-0a1b2c')).toBe('terraform/import');
    expect(found('import { to = aws_instance.example id = "i-0abc123" }')).toBe('terraform/import');
    expect(found('depends_on = [aws_iam_role.example]')).toBe('terraform/dependency-graph');
    // A value that says what is asked stays: a selector method, a value cards write, a name with a number.
    expect(found('dbt build --select state:modified+')).toBe('dbt/node-selection');
    expect(found('dbt test --select test_type:unit')).toBe('dbt/unit-tests');
    expect(found('trigger_rule="none_failed_min_one_success"')).toBe('airflow/trigger-rules');
    expect(found('MR1 vs MR2')).toBe('hadoop/mapreduce-1-vs-yarn');
    // A flag's size is a value; a JVM system property is its key.
    expect(found('--driver-memory 8g')).toBe('spark/driver');
    expect(found('-Dspark.executor.memory=4g')).toBe('spark/executor');
    // A Python client's keyword for a dotted key.
    expect(found('enable_auto_commit=False')).toBe('kafka/offset-commits');
    expect(found('max_poll_records=100')).toBe('kafka/consumer');
    // The shell's export sets a variable; Airflow's "variables export" is a command.
    expect(found('export PYSPARK_PYTHON=python3')).toBe('spark/spark-submit');
    expect(found('airflow variables export vars.json')).toBe('airflow/variable');
    // A data source's address says what kind it is, whatever its type and label.
    expect(found('data.aws_ami.ubuntu.id')).toBe('terraform/data-sources');
    // A Terraform variable the reader named is no Airflow Variable ("var.value" is).
    expect(found('for_each = var.buckets')).toBe('terraform/for-each');
    expect(found('var.buckets')).not.toBe('airflow/variable');
    expect(found('{{ var.value.api_key }}')).toBe('airflow/variable');
  });

  it('answers a pasted line from the tool whose syntax it is written in, reading its keywords, not its names', () => {
    // Pig Latin: the relation and fields are the reader's; GROUP is not a Kafka consumer group.
    expect(found('by_day = GROUP visits BY day;')).toBe('hadoop/pig-group');
    expect(found('raw = LOAD \'/data/in\' USING PigStorage(\',\') AS (id:int, name:chararray);')).toBe('hadoop/pig-load-dump-describe-illustrate');
    // ... and its right side alone, as only Pig writes it (SQL writes GROUP BY and JOIN ... ON).
    expect(found('COGROUP orders BY customer, refunds BY customer')).toBe('hadoop/pig-group');
    expect(found("JOIN views BY page, pages BY page USING 'replicated'")).toBe('hadoop/pig-join');
    expect(found('SELECT page, count(*) FROM views GROUP BY page') ?? 'no card').not.toMatch(/^hadoop\/pig/);
    // A join hint: Spark SQL's, but MAPJOIN is Hive's hint first.
    expect(found('/*+ MERGE(a, b) */ hint ignored')).toBe('spark/join-strategies');
    expect(found('/*+ MAPJOIN(d) */ hint ignored')).toBe('hadoop/hive-map-join');
    // zkCli: a path and its flags; not Terraform's lock file.
    expect(found('create -e -s /election/n- what are -e and -s')).toBe('hadoop/zookeeper-znodes');
    // HiveQL: the table and its columns are the reader's, and ORC (no card of its own) is only how it is stored.
    expect(found("CREATE EXTERNAL TABLE logs (ts string) PARTITIONED BY (dt string) STORED AS ORC LOCATION '/data/logs';")).toBe('hadoop/hive-managed-vs-external-tables');
    // HiveQL bucketing, whatever the column; HBase shell, whatever the table and family ('hbase:meta' is HBase's own).
    expect(found("split 'events', 'user5000'")).toBe('hadoop/hbase-regions');
    expect(found("major_compact 'events'")).toBe('hadoop/hbase-compaction');
    expect(found('CLUSTERED BY (user_id) INTO 64 BUCKETS')).toBe('hadoop/hive-partitions-and-buckets');
    expect(found("CREATE EXTERNAL TABLE clicks (id BIGINT) LOCATION '/data/clicks';")).toBe('hadoop/hive-managed-vs-external-tables');
    expect(found("create 'events', {NAME => 'cf', VERSIONS => 3}")).toBe('hadoop/hbase-column-families');
    expect(found("scan 'hbase:meta'")).toBe('hadoop/hbase-meta');
    expect(found("put 'users', 'row1', 'cf:name', 'alice'")).toBe('hadoop/hbase');
    expect(found("create 'users', 'info', 'stats'")).toBe('hadoop/hbase-column-families');
    expect(found("create 'metrics', 'm', SPLITS => ['1', '2', '3']")).toBe('hadoop/hbase-regions');
    // A Terraform data block, whatever its type and name; a dbt snapshot block and a source() inside SQL.
    expect(found('data "aws_caller_identity" "current" {}')).toBe('terraform/data-sources');
    expect(found('{% snapshot orders_snapshot %}')).toBe('dbt/snapshots');
    expect(found("select * from {{ source('shopify', 'raw_orders') }}")).toBe('dbt/sources');
    // Airflow tasks chained with bitshift operators: the tasks are the reader's; a shell redirect is no chain.
    expect(found('ingest >> [clean, audit] >> publish')).toBe('airflow/task-dependencies');
    expect(found('echo done >> run.log')).not.toBe('airflow/task-dependencies');
    // A Kafka tool's connection is where it runs, and a consumer group's name is the reader's.
    expect(found('kafka-topics --bootstrap-server kafka-0:9092 --list')).toBe('kafka/topic');
    expect(found('kafka-consumer-groups.sh --bootstrap-server broker1:9092 --describe --group billing-etl')).toBe('kafka/consumer-lag');
    expect(found('what is --bootstrap-server')).toBe('kafka/cluster');
    // PySpark's broadcast() and writer modes are Spark's, not Hive's map join or dynamic partitions.
    for (const line of ['orders.join(broadcast(dim_store), "store_id", "left")', 'why did mode("overwrite") wipe the other dt= partitions of sales_fact']) {
      expect(shipped.search(line).match?.concept.topic ?? 'spark', line).toBe('spark');
    }
    // A PySpark call's table, column and path are the reader's; a key a card writes is not.
    expect(found('rows = spark.table("raw.clicks").collect()')).toBe('spark/collect');
    expect(found('spark.conf.set("spark.sql.shuffle.partitions", 400)')).toBe('spark/shuffle');
    // A Kafka client's call, and a PySpark line answered from Spark's cards or none (its S3 path is no Terraform output).
    expect(found('msg = consumer.poll(1.0)')).toBe('kafka/consumer');
    expect(shipped.search('df = spark.read.json("s3://bucket/raw/")').match?.concept.topic ?? 'spark').toBe('spark');
    // An Airflow Param: the parameter's name is the reader's, its type keyword is not.
    expect(found('params={"limit": Param(10, type="integer")}')).toBe('airflow/params');
    // A topic the question names wins over the syntax it pastes; plain words are no syntax.
    expect(shipped.search('in spark, x = GROUP y BY k;').match?.concept.topic).toBe('spark');
    expect(found('consumer group')).toBe('kafka/consumer-group');
  });

  it('gives a setting to the card that has it as an alias, however many other cards write it', () => {
    // Five shipped cards write retention.ms; the retention card lists it among its aliases.
    expect(shipped.search('retention.ms kafka topic').match?.concept.id).toBe('kafka/retention');
    expect(shipped.search('what is retention.ms').match?.concept.id).toBe('kafka/retention');
    // A state listed as an alias (upstream_failed) is not a setting: the cards on what leads to it write it as much.
    expect(shipped.search('downstream task ended up in upstream_failed state and never ran').match?.concept.id).not.toBe('airflow/task-instance');
  });

  it('reads a setting written with its value as the card named by that value ("acks=1"), but not a made-up address after "="', () => {
    // The acks card is named acks=1; the comparison with min.insync.replicas speaks of it as much.
    expect(shipped.search('acks=1 lost messages after the leader crashed').match?.concept.id).toBe('kafka/acks');
    expect(shipped.search('sensitive = true').match?.concept.id).toBe('terraform/sensitive-values');
    // "from = aws_instance.a" is an address somebody chose, not the setting from=aws_instance.
    expect(shipped.search('moved { from = aws_instance.a to = aws_instance.b }').match?.concept.id).toBe('terraform/moved-blocks');
  });

  it('reads a camel-case name that few cards write (an exception, a class) as a key, capitals run together or not ("BZip2Codec")', () => {
    // Only the S3 backend's card writes the DynamoDB lock's exception (in its errors).
    expect(shipped.search('Error: Error acquiring the state lock: ConditionalCheckFailedException').match?.concept.id).toBe('terraform/s3-backend');
    expect(shipped.search('BZip2Codec vs GzipCodec for input files').match?.concept.id).toBe('hadoop/mapreduce-splittable-compression');
  });

  it('reads a name written with hyphens that a card is named by as that card\'s, like a key ("on-run-end")', () => {
    expect(shipped.search('on-run-end hook using the results variable').match?.concept.id).toBe('dbt/hooks');
    expect(shipped.search('apache-airflow-providers-standard where did BashOperator move').match?.concept.id).toBe('airflow/providers');
  });

  it('reads two tools compared as the subject, beside a third named as the setting ("oozie vs airflow for our hive jobs")', () => {
    expect(shipped.search('oozie vs airflow for scheduling our hive jobs').match?.concept.id).toBe('hadoop/oozie-vs-airflow');
    expect(shipped.search('oozie vs airflow').match?.concept.id).toBe('hadoop/oozie-vs-airflow');
    // A comparison card is what is compared, whatever else the question says of the two ("for a list of buckets").
    expect(shipped.search('should i use count or for_each for a list of buckets').match?.concept.id).toBe('terraform/count-vs-for-each');
  });

  it("finds a card by its name said with the topic after it ('state in terraform'), not by another card's alias that reads as the same word", () => {
    expect(shipped.search('state in terraform').match?.concept.id).toBe('terraform/state');
    expect(shipped.search('destroy in terraform').match?.concept.id).toBe('terraform/destroy');
    expect(shipped.search('connect in kafka').match?.concept.id).toBe('kafka/connect');
    // The topic said after the name is where to look: a tool's own card of another topic is not that.
    expect(shipped.search('why do we need zookeeper for kafka anymore').match?.concept.id).not.toBe('hadoop/zookeeper');
    expect(shipped.search('zookeeper in hadoop').match?.concept.id).toBe('hadoop/zookeeper');
    expect(shipped.search("what's a provider in terraform").match?.concept.id).toBe('terraform/providers');
    expect(shipped.search('tl;dr whats a provider in tf').match?.concept.id).toBe('terraform/providers');
    // The provider-function syntax still finds the functions card.
    expect(shipped.search('provider::aws::arn_parse').match?.concept.id).toBe('terraform/functions-and-console');
  });

  it("finds a card named with its topic when the asker adds a word nobody wrote about, or a few words on where they use it", () => {
    const named = {
      'kafka acks jeff': 'kafka/acks',
      'kafka consumer group xyz': 'kafka/consumer-group',
      'kafka acks for our payments service': 'kafka/acks',
      'terraform state for acme-prod': 'terraform/state',
      'spark shuffle in our nightly etl': 'spark/shuffle',
    };
    // ... and with no topic named, a card's name before words nobody wrote about.
    const withoutTopic = { 'what is xcom blah': 'airflow/xcom', 'xcom jeff': 'airflow/xcom' };
    for (const [asked, id] of Object.entries({ ...named, ...withoutTopic })) expect(shipped.search(asked).match?.concept.id, asked).toBe(id);
    // A topic's name alone is no card's name here: the word after it is what is asked about.
    expect(shipped.search('hbase coprocessors').match).toBeNull();
    // ... nor is a name said in passing in a longer question.
    expect(shipped.search('when should i just store files on hdfs and when do i need hbase tables on top').match?.concept.id).not.toBe('hadoop/hbase-compaction');
  });

  it('shows no card for one plain word that only the text of a card uses ("foo", "red"), but does for a name written as code', () => {
    for (const word of ['foo', 'red', 'Foo?']) expect(shipped.search(word).match, word).toBeNull();
    expect(shipped.search('NotLeaderOrFollowerException').match?.concept.id).toBe('kafka/partition-leader');
    expect(shipped.search('failOnDataLoss').match?.concept.id).toBe('spark/structured-streaming');
    expect(shipped.search('idempotence').match?.concept.id).toBe('kafka/idempotent-producer');
  });

  it('shows no card for "what is X" when no card is named by X, only one whose text mentions it', () => {
    // Hive's vectorization card mentions UDFs; it is no answer to what a Hive UDF is, only a guess.
    const udf = shipped.search('what is a hive udf');
    expect(udf.match).toBeNull();
    expect(udf.suggestions.map((s) => s.concept.id)).toContain('hadoop/hive-vectorization');
    expect(shipped.search('what is a udf in spark').match?.concept.id).toBe('spark/udf');
  });

  it('finds the card a "what is X" question names when more follows it', () => {
    expect(shipped.search('wait so whats a partition in kafka actually, like a shard?').match?.concept.id).toBe('kafka/partition');
    // Placed by its first clause, whatever words follow that no card writes.
    expect(shipped.search('what are dbt seeds? are they like fixtures').match?.concept.id).toBe('dbt/seeds');
    // A name alone, then what it is like.
    expect(shipped.search('xcom? is it like a variable').match?.concept.id).toBe('airflow/xcom');
    expect(shipped.search('spark? is it just a faster hadoop').match?.concept.id).toBe('spark/overview');
    expect(shipped.search('kafka, how do i reset offsets?').match?.concept.id).toBe('kafka/reset-offsets');
    // ... or a name alone, then anything more said of it.
    expect(shipped.search('task instance... the docs and the ui keep switching words').match?.concept.id).toBe('airflow/task-instance');
    expect(shipped.search('dag run?? we keep seeing them pile up in the ui').match?.concept.id).toBe('airflow/dag-run');
    // Asked for an explanation first: "eli5 X, ..." asks what X is.
    expect(shipped.search('eli5 hdfs pls, new to the hadoop side of things').match?.concept.id).toBe('hadoop/hdfs');
    expect(shipped.search('tl;dr dbt, does it actually move any data or not').match?.concept.id).toBe('dbt/overview');
    // ... and so does "X eli5", and a name asked about first is shown though no other word is its.
    expect(shipped.search('mapreduce eli5 pls, interview tomorrow').match?.concept.id).toBe('hadoop/mapreduce');
    expect(shipped.search('terraform in one sentence for my PM pls').match?.concept.id).toBe('terraform/overview');
    expect(shipped.search('what is mapreduce, interview tomorrow').match?.concept.id).toBe('hadoop/mapreduce');
    // ... as is a name asked what it does, whatever follows.
    expect(shipped.search('what does spark-submit actually do when i press enter').match?.concept.id).toBe('spark/spark-submit');
    expect(shipped.search('what does the dag processor even do when i save a file').match?.concept.id).toBe('airflow/dag-processor');
    // A tool no card covers asked about first is what the question is about, though a topic follows.
    const iceberg = shipped.search('whats iceberg? like hive tables?');
    expect(iceberg.match).toBeNull();
    expect(iceberg.notCovered).toEqual(['iceberg']);
    // Only the opening clause is read so: a question that asks something else first is read whole.
    expect(shipped.search('how do i reset offsets, whats a partition in kafka').match?.concept.id).not.toBe('kafka/partition');
  });

  it('does not take a tool named beside a comparison for one of its sides ("oozie coordinator vs workflow")', () => {
    // "Oozie vs Airflow" names Oozie and workflows, but compares two tools, not coordinators and workflows.
    const parts = shipped.search('oozie coordinator vs workflow');
    expect(parts.match?.concept.id).not.toBe('hadoop/oozie-vs-airflow');
    expect(parts.suggestions.slice(0, 2).map((s) => s.concept.id)).toEqual(['hadoop/oozie-coordinator-and-bundle', 'hadoop/oozie']);
    // Different tools on each side are what is compared.
    expect(shipped.search('zookeeper mode vs kraft mode kafka').match?.concept.id).toBe('kafka/kraft-vs-zookeeper');
    expect(shipped.search('oozie vs airflow').match?.concept.id).toBe('hadoop/oozie-vs-airflow');
  });

  it('shows a card for each side of a comparison no card makes, rather than the likelier side', () => {
    const sides = (q: string) => {
      const r = shipped.search(q);
      return r.match ? [`shown: ${r.match.concept.id}`] : (r.sides ?? []).map((s) => s.concept.id);
    };
    expect(sides('dbt snapshot vs incremental')).toEqual(['dbt/snapshots', 'dbt/incremental-models']);
    expect(sides('pig vs hive')).toEqual(['hadoop/pig', 'hadoop/hive']);
    // The word both sides share names neither ("Airflow executor"), and is written as one in a name (KubernetesExecutor).
    expect(sides('celery executor vs kubernetes executor')).toEqual(['airflow/celery-executor', 'airflow/kubernetes-executor']);
    // A card whose summary speaks of the other side answers the comparison itself ("Unlike input variables, locals ...").
    expect(sides('terraform local values vs variables')).toEqual(['shown: terraform/locals']);
    expect(sides('dbt run vs dbt build')).toEqual(['shown: dbt/run-vs-build']);
    // A side named by a card of another topic, which the question does not name, is no side of that card:
    // two methods of a broadcast variable, not Terraform's destroy.
    expect(sides('bc = sc.broadcast(lookup) bc.unpersist() vs bc.destroy() when im done with it')).toEqual(['shown: spark/broadcast-variables']);
    // An "or" inside a long pasted message is no comparison asked for.
    const pasted = 'AnalysisException: checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)';
    expect(sides(pasted)).toEqual(['shown: spark/structured-streaming']);
    expect(sides('pig or hive')).toEqual(['hadoop/pig', 'hadoop/hive']);
    // A pasted key says what is asked: "or" then weighs two readings of it, not two cards.
    expect(sides('set retention.bytes=10737418240, is that per partition or per topic')).toEqual(['shown: kafka/retention']);
  });

  it('reads a delivery guarantee as one word ("exactly once"), though "exactly" alone is a filler', () => {
    expect(tokenizeQuery('exactly once')).toEqual(tokenizeQuery('exactly-once'));
    expect(tokenizeQuery('exactly once')).toHaveLength(1);
    expect(tokenizeQuery('what exactly is a dag')).toEqual(tokenizeQuery('what is a dag'));
    expect(shipped.search('at least once vs exactly once').match?.concept.id).toBe('kafka/at-least-once-vs-exactly-once');
    // As people type it, too.
    expect(tokenizeQuery('exaclty once')).toEqual(tokenizeQuery('exactly once'));
    expect(tokenizeQuery('atleast once')).toEqual(tokenizeQuery('at least once'));
    expect(tokenizeQuery('except once')).not.toEqual(tokenizeQuery('exactly once'));
    expect(shipped.search('at least once vs exaclty once').match?.concept.id).toBe('kafka/at-least-once-vs-exactly-once');
    // Said alone it is the guarantee (Kafka's card of the three), unless another tool is named.
    expect(shipped.search('kafka exactly-once').match?.concept.id).toBe('kafka/delivery-semantics');
    expect(shipped.search('spark exactly once').match?.concept.id).toBe('spark/structured-streaming');
  });

  it('reads a qualified name no card writes whole by the last parts a card writes ("StorageLevel.MEMORY_AND_DISK_SER")', () => {
    const real = openKnowledge(REAL_KNOWLEDGE_DIR).search;
    // The storage levels card writes MEMORY_AND_DISK_SER; the cache card writes df.persist.
    expect(real.search('df.persist(StorageLevel.MEMORY_AND_DISK_SER)').match?.concept.id).toBe('spark/storage-levels');
    expect(real.search('os.environ.AIRFLOW__CORE__EXECUTOR').match?.concept.id).toBe('airflow/executor');
    // A card that writes the longer qualified name in passing does not take the question from the card about it.
    expect(real.search('pyspark.StorageLevel.MEMORY_ONLY').match?.concept.id).toBe('spark/storage-levels');
  });

  it('reads a name built on a prefix a card writes by that prefix ("AIRFLOW_CONN_MY_POSTGRES" of AIRFLOW_CONN_<CONN_ID>)', () => {
    const real = openKnowledge(REAL_KNOWLEDGE_DIR).search;
    // Without the prefix reading, the words alone ("conn", "postgres") tie the connection card with the hook card.
    expect(real.search('AIRFLOW_CONN_MY_POSTGRES').match?.concept.id).toBe('airflow/connection');
    expect(real.search('AIRFLOW_VAR_ENV').match?.concept.id).toBe('airflow/variable');
    expect(real.search('TF_VAR_region').match?.concept.id).toBe('terraform/input-variables');
    // A made-up name with no written prefix is no key of any card.
    expect(real.search('MY_APP_SETTING').match).toBeNull();
  });

  it('reads a camel-case name a card names itself by as that card\'s, like a key ("LocalExecutor", "flatMap"), but not the part of a dotted key', () => {
    const real = openKnowledge(REAL_KNOWLEDGE_DIR).search;
    // The executors card writes "local" and "executor" as much; the name written as code is the local executor's.
    expect(real.search('is LocalExecutor fine for prod').match?.concept.id).toBe('airflow/local-executor');
    expect(real.search('map vs flatMap i always forget lol').match?.concept.id).toBe('spark/map-flatmap-mapvalues');
    // memoryOverhead inside spark.driver.memoryOverhead is part of the driver's key, not the executor's name.
    expect(real.search('spark.driver.memoryOverhead').match?.concept.id).toBe('spark/driver');
  });

  it('reads an environment variable of an option by the option a card writes (AIRFLOW__CELERY__WORKER_CONCURRENCY as worker_concurrency)', () => {
    const real = openKnowledge(REAL_KNOWLEDGE_DIR).search;
    const q = 'AIRFLOW__CELERY__WORKER_CONCURRENCY=16 is that per worker box or across the whole fleet';
    expect(real.search(q).match?.concept.id).toBe('airflow/celery-executor');
    expect(real.search('AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=5 what does lowering it actually change').match?.concept.id).toBe('airflow/scheduler');
  });

  it('does not read a made-up address by the resource type it begins with, when examples write such addresses on many cards', () => {
    const real = openKnowledge(REAL_KNOWLEDGE_DIR).search;
    // aws_instance.web is written by many cards' examples; aws_instance.app is another made-up name, not the resources card's key.
    const moved = real.search('moved { from = aws_instance.web to = aws_instance.app } can i delete the moved block after apply');
    expect(moved.match?.concept.id).not.toBe('terraform/resources');
    expect([moved.match, ...moved.suggestions].map((h) => h?.concept.id)).toContain('terraform/moved-blocks');
  });

  it('reads a misspelt name written out as that name, not as a longer one holding it', () => {
    // In the shipped cards "dbt run vs dbt build" holds "dbt build" and asks about building too.
    const shown = (q: string) => shipped.search(q).match?.concept.id ?? null;
    expect(shown('dbt build')).toBe('dbt/build');
    expect(shown('dbt biuld')).toBe('dbt/build');
    expect(shown('dbt sorces')).toBe('dbt/sources');
    // The provisioners card has the alias "when = destroy": a name that also writes the topic word is closer.
    expect(shown('terraform destory')).toBe('terraform/destroy');
    expect(top('xcomm')).toBe('airflow/xcom');
  });

  it('reads a misspelt name or topic word in a "what is X" opening as what it misspells', () => {
    const shown = (q: string) => shipped.search(q).match?.concept.id ?? null;
    expect(shown('what does terraform pln do exactly, talk to the cloud?')).toBe('terraform/plan');
    expect(shown('what is a dag in airflw, like a pipeline?')).toBe('airflow/dag');
    // The topic word said after the name, misspelt, is still only where the name is.
    expect(shown('what is yarn in hadop, just a resource manager?')).toBe('hadoop/yarn');
  });

  it('reads a schedule preset ("@daily") as a word of the question and an ordinal ("the 1st") as no unknown word', () => {
    const shown = (q: string) => shipped.search(q).match?.concept.id ?? null;
    expect(shown('@daily dag runs a day late, ds is yesterday')).toBe('airflow/data-interval');
    expect(shown('dag ran on the 2nd but logical date says the 1st')).toBe('airflow/data-interval');
  });

  it('reads two tools said in words as what is asked when a card is named by both, not only as where to look', () => {
    // ZooKeeper is a Hadoop tool, and Kafka's cards on leaving it are named by both.
    const found = shipped.search('kafka without zookeeper is that a thing now');
    expect(['kafka/kraft-vs-zookeeper', 'kafka/zookeeper-removal']).toContain(found.match?.concept.id);
    expect(shipped.search('why did everyone move from mapreduce to spark').match?.concept.id).toBe('spark/spark-vs-mapreduce');
  });

  it('asks which when a question fits several causes, and finds the card that answers a common worry (a new user\'s questions)', () => {
    // A replacement's usual cause is an argument that forces it (the plan card); a rename is another (moved blocks).
    const replaced = shipped.search('terraform plan says it will destroy and recreate my instance, why');
    expect(replaced.match).toBeNull();
    expect(replaced.suggestions.slice(0, 2).map((s) => s.concept.id)).toEqual(expect.arrayContaining(['terraform/plan', 'terraform/moved-blocks']));
    expect(shipped.search('is the scheduler a single point of failure in airflow').match?.concept.id).toBe('airflow/scheduler');
  });

  it("does not take a tool named in a pasted assignment ('master=yarn') for the question's topic", () => {
    const pasted = 'ValueError: Cannot run multiple SparkContexts at once; existing SparkContext(app=etl, master=yarn) created by getOrCreate at /opt/job.py:12';
    expect(shipped.search(pasted).match?.concept.id).toBe('spark/sparksession');
    expect(shipped.search(pasted).topics ?? []).toEqual([]);
    // Said as a name, the tool is the topic.
    expect(shipped.search('spark on yarn master').topics).toContain('hadoop');
  });

  it('reads words of code nobody wrote as names somebody chose, not as unknown words', () => {
    expect(queryWords('pig -x local myscript.pig').map((w) => [w.raw, w.code])).toEqual([
      ['pig', false],
      ['local', false],
      ['myscript', true],
      ['pig', true],
    ]);
    expect(shipped.search('pig -x local myscript.pig').match?.concept.id).toBe('hadoop/pig-execution-modes');
    // Written in prose, a word nobody wrote still makes the question one the cards do not cover.
    expect(shipped.search('pig myscript zorblax').match).toBeNull();
    expect(shipped.search('zorblax.frobnicate=true').match).toBeNull();
    // A setting of another system, pasted alone: its known words (buffer, pool, size) are not the question.
    expect(shipped.search('innodb_buffer_pool_size').match).toBeNull();
    // ... but a qualified name a card writes a part of is still read by that part.
    expect(shipped.search('os.environ.AIRFLOW__CORE__EXECUTOR').match?.concept.id).toBe('airflow/executor');
  });

  it('weighs the code arguments of a command line less than its command, unless a card writes them', () => {
    const weights = (q: string) => Object.fromEntries((shipped as unknown as { queryTokens(q: string, partial: boolean): Array<{ token: string; weight: number }> }).queryTokens(q, false).map((t) => [t.token, t.weight]));
    const command = weights('terraform import aws_s3_bucket.logs');
    const prose = weights('terraform import of an aws s3 bucket');
    expect(command['import']).toBe(prose['import']);
    expect(command['bucket']).toBeLessThan(prose['bucket']! / 2);
    expect(shipped.search('terraform import aws_s3_bucket.logs my-logs-bucket').match?.concept.id).toBe('terraform/import');
    // spark.executor.memory is a key cards write: the argument says what the line is about.
    const conf = weights('spark-submit --conf spark.executor.memory=4g app.py');
    expect(conf['executor']).toBe(weights('spark executor')['executor']);
  });

  it('weighs what a call is made on and given less than its name, unless a card is named by them', () => {
    const weights = (q: string) => Object.fromEntries((shipped as unknown as { queryTokens(q: string, partial: boolean): Array<{ token: string; weight: number }> }).queryTokens(q, false).map((t) => [t.token, t.weight]));
    const call = weights('rdd1.cartesian(rdd2)');
    expect(call['rdd1']).toBeLessThan(weights('rdd1 cartesian')['rdd1']! / 2);
    expect(call['cartesian']).toBe(weights('rdd1 cartesian')['cartesian']);
    expect(shipped.search('rdd1.cartesian(rdd2)').match?.concept.id).toBe('spark/cartesian');
    expect(shipped.search("{{ ref('jaffle_shop', 'stg_orders') }}").match?.concept.id).toBe('dbt/ref');
    // Bare names given to a call a card is named by (chain()) are the reader's tasks, though cards are named by such words.
    expect(weights('chain(extract, transform, load)')['extract']).toBeLessThan(weights('chain extract transform load')['extract']! / 2);
    expect(shipped.search('chain(extract, transform, load)').match?.concept.id).toBe('airflow/task-dependencies');
    // Quoted text given to a call a card writes is the reader's, unless it is a key.
    expect(weights('Variable.get("s3_bucket")')['bucket']).toBeLessThan(weights('Variable.get s3_bucket')['bucket']! / 2);
    expect(shipped.search('Variable.get("s3_bucket")').match?.concept.id).toBe('airflow/variable');
    expect(weights('spark.conf.set("spark.sql.shuffle.partitions", 400)')['shuffl']).toBe(weights('spark.conf.set spark.sql.shuffle.partitions 400')['shuffl']!);
    // Not a keyword argument: what it sets is asked.
    expect(weights("config(materialized='incremental')")['incremental']).toBe(weights('config materialized incremental')['incremental']!);
    // A name a card goes by keeps its weight wherever it is written.
    expect(weights('df.persist(StorageLevel.MEMORY_AND_DISK)')['storagelevel']).toBe(weights('persist StorageLevel')['storagelevel']);
  });

  it('joins words a name writes as one, even misspelt', () => {
    expect(top('name node')).toBe('hadoop/namenode');
    expect(top('yarn resource manger')).toBe('hadoop/yarn-resourcemanager');
  });

  it('keeps two words as two words when a name has them apart', () => {
    expect(first('what is the lock file')).toBe('kafka/lock-file');
    expect(top('use lockfile')).toBe('kafka/a-lockfile');
  });

  it('prefers the card whose name carries the topic words of the question', () => {
    expect(top('kraft vs zookeeper')).toBe('kafka/zookeeper-vs-kraft');
    expect(top('kraft')).toBe('kafka/kraft');
  });

  it('lets a topic word steer a term two topics share', () => {
    expect(top('spark executor')).toBe('spark/executor');
    expect(top('airflow executor')).toBe('airflow/executor');
    expect(top('hdfs replication')).toBe('hadoop/hdfs-replication');
    expect(top('kafka replication factor')).toBe('kafka/replication-factor');
  });

  it('reads a tool of a topic as its own part: "hdfs snapshots" is not about ZooKeeper snapshots', () => {
    const hadoop = { id: 'hadoop', name: 'Apache Hadoop', description: 'Hadoop.', keywords: ['hadoop', 'hdfs', 'zookeeper'], hosts: ['hadoop.apache.org'], subtopics: [
      { id: 'hdfs', name: 'HDFS', names: ['hdfs'], concepts: ['hdfs*'] },
      { id: 'zookeeper', name: 'ZooKeeper', names: ['zookeeper'], concepts: ['zookeeper*'] },
    ] };
    const tools = loadKnowledge(
      writeKnowledge(
        [
          { id: 'hadoop/hdfs', title: 'HDFS', summary: 'A distributed file system of NameNode and DataNodes.' },
          { id: 'hadoop/zookeeper-snapshots', title: 'ZooKeeper snapshots and transaction logs', aliases: ['autopurge snap retain count'], summary: 'ZooKeeper writes snapshots of its data tree and purges old ones.' },
          { id: 'hadoop/overview', title: 'Apache Hadoop', summary: 'HDFS, YARN and MapReduce, with ZooKeeper for coordination and snapshots of configuration.' },
          { id: 'kafka/kraft', title: 'KRaft', summary: 'The Raft metadata quorum that replaced ZooKeeper in Kafka.' },
        ],
        {},
        [...TOPICS, hadoop],
      ),
    );
    const search = new SearchIndex(tools.concepts, tools.topics);
    const shown = (q: string) => [search.search(q).match, ...search.search(q).suggestions].flatMap((h) => (h ? [h.concept.id] : []));
    expect(shown('hdfs snapshots')).not.toContain('hadoop/zookeeper-snapshots');
    expect(search.search('zookeeper snapshots').match?.concept.id).toBe('hadoop/zookeeper-snapshots');
    expect(search.search('snapshots').match?.concept.id).toBe('hadoop/zookeeper-snapshots');
    // A name of two or more words written out whole is asked for, wherever the question says it is.
    expect(shown('autopurge snap retain count on hdfs')).toContain('hadoop/zookeeper-snapshots');
    expect(shown('retain count on hdfs')).not.toContain('hadoop/zookeeper-snapshots');
    // Another topic's cards are not limited by a tool of Hadoop; a card of no tool stays open.
    expect(search.search('kafka kraft replaced zookeeper').match?.concept.id).toBe('kafka/kraft');
    expect(shown('hdfs hadoop overview')).toContain('hadoop/overview');
    // A tool word inside a path or an assignment names a place, not the tool; an address's scheme names its system.
    expect(shown('snapshots of /data/hdfs')).toContain('hadoop/zookeeper-snapshots');
    expect(shown('snapshots of hdfs://nn/data')).not.toContain('hadoop/zookeeper-snapshots');
    // Restored from a snapshot, the index reads tools alike.
    const restored = SearchIndex.fromSnapshot(tools.concepts, search.toSnapshot());
    expect(restored.search('hdfs snapshots').match?.concept.id ?? null).toBe(search.search('hdfs snapshots').match?.concept.id ?? null);
    expect(restored.search('zookeeper snapshots').match?.concept.id).toBe('hadoop/zookeeper-snapshots');
  });

  it('shows no card that holds too little of the question, however far it leads', () => {
    // The compression card leads far (it names zstd), but "dictionary training benchmarks" weigh
    // most and no card is about them.
    const zstd = shipped.search('kafka compression zstd dictionary training benchmarks');
    expect(zstd.match).toBeNull();
    expect(zstd.suggestions[0]?.concept.id).toBe('kafka/compression');
    expect(shipped.search('kafka acks').match?.concept.id).toBe('kafka/acks');
  });

  it('shows the best of two close kin when it leads the rest clearly, and offers the other next', () => {
    // The workspaces card and the backend-vs-workspace card share their words and list each other.
    const envs = shipped.search('terraform workspaces for each environment');
    expect(envs.match?.concept.id).toBe('terraform/workspaces');
    expect(envs.suggestions[0]?.concept.id).toBe('terraform/backend-vs-workspace');
    expect(shipped.search('how do i make a task run even if its upstream failed').match?.concept.id).toBe('airflow/trigger-rules');
    // A word read through a typo ("ping" as pig) holds too little of the question for kin to decide.
    expect(shipped.search('ping').match).toBeNull();
  });

  it('says when nothing matches and suggests close concepts instead of a wrong card', () => {
    const result = index.search('kafka streams ktable joins');
    expect(result.match).toBeNull();
    expect(index.search('how do I bake bread').match).toBeNull();
    const near = index.search('consumer lag monitoring');
    expect(near.match).toBeNull();
    expect(near.suggestions.map((s) => s.concept.id)).toContain('kafka/consumer-group');
  });

  it('offers the cards a bare name names, and no card weighed against a tool it does not cover', () => {
    const dag = shipped.search('what is a dag');
    expect(dag.match).toBeNull();
    expect(dag.suggestions.map((s) => s.concept.id)).toEqual(expect.arrayContaining(['airflow/dag', 'dbt/dag']));
    // ... and so does one word that names cards of two topics, however far one leads.
    for (const [q, cards] of [['checkpoint', ['hadoop/hdfs-secondary-namenode', 'spark/lineage']], ['variables', ['airflow/variable', 'dbt/vars']]] as const) {
      const found = shipped.search(q);
      expect(found.match, q).toBeNull();
      expect(found.suggestions.map((s) => s.concept.id), q).toEqual(expect.arrayContaining([...cards]));
    }
    expect(shipped.search('acks').match?.concept.id).toBe('kafka/acks');
    expect(shipped.search('spark checkpoint').match).not.toBeNull();
    // A card named by the tool too ("pandas UDF") compares nothing with it.
    expect(shipped.search('spark vs pandas')).toMatchObject({ match: null, notCovered: ['pandas'] });
    expect(shipped.search('pandas udfs').match?.concept.id).toBe('spark/udf');
    for (const q of ['snowflake vs dbt', 'spark vs flink', 'kafka or rabbitmq']) {
      expect(shipped.search(q).match, q).toBeNull();
      expect(shipped.search(q).notCovered, q).toHaveLength(1);
    }
    // A web framework whose templates are Jinja too is not Airflow's templating.
    expect(shipped.search('flask jinja templates not loading')).toMatchObject({ match: null, notCovered: ['flask'] });
    // File formats no card compares; a tool one Airflow card runs on, asked about alone.
    expect(shipped.search('ORC vs parquet')).toMatchObject({ match: null, notCovered: ['parquet', 'orc'] });
    // ... but a format said beside a topic of ours is no question about the format: that topic's cards are offered, unsaid.
    for (const q of ['hive orc', 'orc in hive']) {
      const beside = shipped.search(q);
      expect(beside.notCovered, q).toBeUndefined();
      expect(beside.suggestions.length, q).toBeGreaterThan(0);
    }
    expect(shipped.search('what is docker compose').match).toBeNull();
    // A tool no card covers, asked about alone: the cards that name it are offered, none is shown as about it.
    for (const [q, tool, naming] of [['what is docker', 'docker', 'airflow/taskflow-api'], ['kubernetes?', 'kubernetes', 'spark/cluster-managers']] as const) {
      const alone = shipped.search(q);
      expect(alone.match, q).toBeNull();
      expect(alone.notCovered, q).toEqual([tool]);
      expect(alone.suggestions.map((s) => s.concept.id), q).toContain(naming);
    }
    expect(shipped.search('spark on kubernetes').match?.concept.id).toBe('spark/cluster-managers');
    expect(shipped.search('KubernetesExecutor').match?.concept.id).toBe('airflow/kubernetes-executor');
    // A word of degree is no word of a card's ("my python function ... is super slow" is the UDF card's question).
    expect(shipped.search('my spark job is super slow').match?.concept.id).toBe('spark/slow-job-checklist');
    expect(shipped.search('super slow dag').match).toBeNull();
    expect(shipped.search('kafka super users').match?.concept.id).toBe('kafka/security');
    // A name a tool no card covers is part of ("storm") when a card is named by it whole.
    expect(shipped.search('rebalance storm').match?.concept.id).toBe('kafka/rebalancing');
    expect(shipped.search('what is storm').notCovered).toEqual(['storm']);
    for (const [q, tool] of [['prometheus alertmanager routing', 'prometheus'], ['sqs fifo queue message ordering', 'sqs'], ['what is etcd', 'etcd']] as const) expect(shipped.search(q), q).toMatchObject({ match: null, notCovered: [tool] });
    // A keyword of one tool's syntax is no name of its card on its own: "merge" is not Pig's merge join.
    for (const q of ['merge', 'replicated']) expect(shipped.search(q).match?.concept.id, q).not.toBe('hadoop/pig-join');
    expect(shipped.search('pig merge join').match?.concept.id).toBe('hadoop/pig-join');
    expect(shipped.search('airflow docker compose environment variables').match?.concept.id).toBe('airflow/configuration');
    expect(shipped.search('whats the diff between hdfs and hbase').match?.concept.id).toBe('hadoop/hdfs-vs-hbase');
    // Two tools of one topic that a card's name holds are what the question is about.
    expect(shipped.search('is hbase just hdfs with extra steps').match?.concept.id).toBe('hadoop/hdfs-vs-hbase');
  });

  it('shows the card that holds most of a question told in many words, and none for a long question off the subject', () => {
    // No name is written: every card scores low on alignment, one holds most of the words.
    const card = (score: number, cover: number) => ({ doc: 0, score, features: { name: 0, asked: 0.3, cover, text: 1, topicNamed: 0, inTopic: 0, exact: 0, keyed: 0, versus: 0 } });
    const told = { unknown: 0, weight: PARAMS.longWeight + 1, topic: false };
    const best = card(PARAMS.longMatch + 0.05, PARAMS.longCover + 0.1);
    const next = card((PARAMS.longMatch + 0.05) * (1 - PARAMS.longLead - 0.02), 0.4);
    expect(isConfident(best, next, told)).toBe(true);
    // The same figures for a question of a few words, a card holding less of it, or a closer second: no card.
    expect(isConfident(best, next, { ...told, weight: PARAMS.longWeight - 1 })).toBe(false);
    expect(isConfident(card(PARAMS.longMatch + 0.05, PARAMS.longCover - 0.1), next, told)).toBe(false);
    expect(isConfident(best, card(PARAMS.longMatch + 0.04, 0.4), told)).toBe(false);
    // Longer still, a card holding nearly half of it with a wide lead; not with a narrow one, nor for a shorter question.
    const longer = { ...told, weight: PARAMS.longerWeight + 0.5 };
    const half = card(PARAMS.longerMatch + 0.02, PARAMS.longerCover + 0.02);
    const far = card((PARAMS.longerMatch + 0.02) * (1 - PARAMS.longerLead - 0.02), 0.3);
    expect(isConfident(half, far, longer)).toBe(true);
    expect(isConfident(half, far, { ...longer, weight: PARAMS.longerWeight - 0.5 })).toBe(false);
    expect(isConfident(half, card((PARAMS.longerMatch + 0.02) * (1 - PARAMS.longerLead + 0.05), 0.3), longer)).toBe(false);
    expect(isConfident(card(PARAMS.longerMatch + 0.02, PARAMS.longerCover - 0.05), far, longer)).toBe(false);
    // A sentence or two: a card scoring and holding enough, that shares a word with its name, needs only to come first.
    const sentence = { ...told, weight: PARAMS.midWeight + 0.1 };
    const named = { ...card(PARAMS.midMatch + 0.02, PARAMS.midCover + 0.02), features: { ...card(0, 0).features, name: 0.3, cover: PARAMS.midCover + 0.02 } };
    const close = card((PARAMS.midMatch + 0.02) * (1 - PARAMS.midLead - 0.01), 0.6);
    expect(isConfident(named, close, sentence)).toBe(true);
    expect(isConfident({ ...named, features: { ...named.features, name: 0 } }, close, sentence), 'no word of its name').toBe(false);
    expect(isConfident(named, close, { ...sentence, weight: PARAMS.midWeight - 0.1 }), 'a shorter question').toBe(false);
    expect(isConfident(named, { ...close, score: named.score }, sentence), 'a tie').toBe(false);
    // A situation told in a paragraph, no name of the card written.
    expect(shipped.search('need to spin up an emr cluster before the tasks and always kill it at the end even if stuff fails in between').match?.concept.id).toBe(
      'airflow/setup-and-teardown',
    );
    for (const q of [
      'my landlord keeps raising the rent every year and the heating is broken, is there a proper way to complain',
      'the mobile app crashes on startup for android users after the latest release, where do we look first',
    ]) {
      expect(shipped.search(q), q).toMatchObject({ match: null, suggestions: [] });
    }
  });

  it("reads a key a card writes as the question's subject, even beside a tool no card covers", () => {
    expect(shipped.search('incremental_strategy on bigquery').match?.concept.id).toBe('dbt/incremental-strategies');
    expect(shipped.search('spark.sql.shuffle.partitions on databricks').match?.concept.topic).toBe('spark');
    // No key of ours: the tool no card covers is the subject.
    for (const q of ['snowflake warehouse auto suspend', 'flink checkpoint interval']) {
      expect(shipped.search(q).match, q).toBeNull();
      expect(shipped.search(q).notCovered, q).toHaveLength(1);
    }
    // A format written after a dot is a method or an extension in code, not the subject.
    const written = shipped.search('df.coalesce(1).write.parquet(...) super slow compared to repartition(1), why');
    expect(written.match?.concept.id).toBe('spark/repartition-vs-coalesce');
    expect(written.notCovered).toBeUndefined();
    expect(shipped.search('parquet vs orc for hive tables').match).toBeNull();
  });

  it('offers no unrelated cards for a question off the subject or too vague to place', () => {
    // ... nor for one plain word only the text of some cards uses ("click": clicking in a console).
    for (const q of ['best pizza in town', 'what is the meaning of life', 'it failed', 'not working', 'it broke again', 'click']) {
      expect(shipped.search(q), q).toMatchObject({ match: null, suggestions: [] });
    }
    // A question close to a card still gets it offered, and so does a slip only one card writes ("mlib" for MLlib).
    expect(shipped.search('how do i automatically rerun a flaky task').suggestions[0]?.concept.id).toBe('airflow/retries');
    expect(shipped.search('mlib').suggestions.map((s) => s.concept.id)).toEqual(['spark/mllib']);
    // A word a card is named by is no stray word, wherever that card ranks ("idempotent": Airflow's tasks should be, Kafka's producer is named so) ...
    const idempotent = shipped.search('idempotent');
    expect(idempotent.match).toBeNull();
    expect(idempotent.suggestions.map((s) => s.concept.id)).toContain('kafka/idempotent-producer');
    // ... and one a card's name in code holds is offered with it ("watermark": withWatermark), not with every card whose text says it.
    expect(shipped.search('watermark')).toMatchObject({ match: null, suggestions: [{ concept: { id: 'spark/structured-streaming' } }] });
  });

  it('reads a one-word flag as a name only when written as a flag ("--select") or beside its tool ("dbt select"), not as the word ("SELECT * FROM table")', () => {
    expect(shipped.search('SELECT * FROM table').match).toBeNull();
    for (const q of ['--select', 'dbt --select', 'dbt select']) expect(shipped.search(q).match?.concept.id, q).toBe('dbt/node-selection');
  });

  it('survives hostile input', () => {
    for (const q of ['', '   ', '\u0000\u0007', '👍🔥', '@everyone', '<!channel>', '`**[x](y)**`', 'a'.repeat(10_000)]) {
      expect(() => index.search(q)).not.toThrow();
      expect(index.search(q).match).toBeNull();
    }
    // Invisible format characters change nothing: a right-to-left override before a word, a zero-width space between two.
    const found = (q: string) => { const r = shipped.search(q); return [r.match?.concept.id ?? null, r.suggestions.map((h) => h.concept.id)]; };
    expect(found('\u202eevil')).toEqual(found('evil'));
    expect(found('kafka\u200backs\u200d')).toEqual(found('kafka acks'));
    // A pasted blob (base64 has slashes, so it reads as code) is not a name somebody chose: no card.
    // 60 blobs drawn so, from seeds 1 to 60; seed 47's once got a card.
    for (let s0 = 1; s0 <= 60; s0++) {
      let seed = s0;
      const blob = Buffer.from(Array.from({ length: 3_000 }, () => ((seed = (seed * 1103515245 + 12345) % 2147483648) >> 16) & 255)).toString('base64');
      expect(shipped.search(blob).match, `seed ${s0}`).toBeNull();
    }
  });

  it('completes partial names for autocomplete', () => {
    expect(index.complete('cons').map((c) => c.id)).toContain('kafka/consumer-group');
    expect(index.complete('', 5)).toHaveLength(5);
  });
});
