import { describe, expect, it } from 'vitest';
import { openKnowledge } from '../../src/knowledge/index.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';

const { kb, search } = openKnowledge(REAL_KNOWLEDGE_DIR);
const top = (q: string) => search.search(q).match?.concept ?? null;

describe('a topic named in the question', () => {
  it('never lets a card from another topic answer', () => {
    for (const [q, topic] of [
      ['spark scheduler', 'spark'],
      ['spark dag', 'spark'],
      ['hdfs snapshots', 'hadoop'],
      ['dbt executor', 'dbt'],
      ['hive udf', 'hadoop'],
      ['kafka schema', 'kafka'],
      ['airflow partition', 'airflow'],
    ] as const) {
      const card = top(q);
      if (card) expect(card.topic, q).toBe(topic);
      for (const s of search.search(q).suggestions) expect(s.concept.topic, `${q} suggestion`).toBe(topic);
    }
  });

  it('reads a tool said last after "in", "to" or "from" as a place, not as the tool asked about', () => {
    expect(top('after dropping the external table the files are still in hdfs')?.id).toBe('hadoop/hive-managed-vs-external-tables');
    expect(top('what is a block in hdfs')?.id).toBe('hadoop/hdfs-blocks');
  });

  it('reads it as the tool asked about when nothing else is named and nothing stayed there', () => {
    // Hive ACID has minor and major compactions too; "in hbase" says which.
    expect(search.search('what is the difference between minor and major compaction in hbase').match?.concept.id).toBe('hadoop/hbase-compaction');
    // Not Pig's STORE: the question is about HDFS.
    expect(search.search('how are files stored in hdfs').match?.concept.id ?? null).not.toBe('hadoop/pig-load-dump-describe-illustrate');
  });

  it('still finds a card of another topic whose name carries the topic word', () => {
    expect(top('kraft vs zookeeper')?.id).toBe('kafka/kraft-vs-zookeeper');
    // Two tools of two topics compared: what the question is about, not only where to look.
    expect(top('spark vs mapreduce speed')?.id).toBe('spark/spark-vs-mapreduce');
  });

  it('finds a card by any of its names said with its topic word, before or after', () => {
    // "kafka kraft" is KRaft's card, though "KRaft vs ZooKeeper in Kafka" carries both words too.
    expect(top('kafka kraft')?.id).toBe('kafka/kraft');
    const words = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    const topicWords = new Set(kb.topics.flatMap((t) => [t.id, ...t.keywords]));
    const holders = new Map<string, Set<string>>();
    for (const c of kb.concepts) for (const n of [c.title, ...c.aliases]) holders.set(`${c.topic}:${words(n).join(' ')}`, (holders.get(`${c.topic}:${words(n).join(' ')}`) ?? new Set()).add(c.id));
    const missed: string[] = [];
    let tried = 0;
    for (const c of kb.concepts) {
      for (const name of [c.title, ...c.aliases]) {
        const said = words(name);
        // A name of topic words alone ("HDFS"), or a code template, has no words to find it by.
        if (said.every((w) => topicWords.has(w)) || said.includes(c.topic) || /[{}]/.test(name)) continue;
        for (const q of [`${c.topic} ${name}`, `${name} ${c.topic}`]) {
          // Said so, it is also another card's name: "terraform remote state" (terraform_remote_state).
          const named = [...(holders.get(`${c.topic}:${words(q).join(' ')}`) ?? []), ...holders.get(`${c.topic}:${said.join(' ')}`)!];
          if (named.some((id) => id !== c.id)) continue;
          tried++;
          if (top(q)?.id !== c.id) missed.push(`${q} -> ${top(q)?.id ?? 'no card'}`);
        }
      }
    }
    expect(tried).toBeGreaterThan(2000);
    expect(missed).toEqual([]);
  });

  it('reads a name written as one word, said as words, as that name ("yarn resource manager", "external task sensor")', () => {
    expect(top('yarn resource manager')?.id).toBe('hadoop/yarn-resourcemanager');
    // And the other way: a name's words run together ("count vs for_each" typed "count vs foreach").
    expect(top('count vs foreach')?.id).toBe('terraform/count-vs-for-each');
    expect(top('resource manager')?.id).toBe('hadoop/yarn-resourcemanager');
    // Every CamelCase word of two to four parts that one card's names hold, said as words with its topic.
    const holders = new Map<string, { ids: Set<string>; word: string }>();
    for (const c of kb.concepts) {
      for (const n of [c.title, ...c.aliases]) {
        for (const word of n.split(/\s+/)) {
          if (!/^[A-Z][a-z]+(?:[A-Z][a-z]+){1,3}$/.test(word)) continue;
          const h = holders.get(word.toLowerCase()) ?? { ids: new Set<string>(), word };
          holders.set(word.toLowerCase(), { ...h, ids: h.ids.add(c.id) });
        }
      }
    }
    const found: string[] = [];
    const wrong: string[] = [];
    let tried = 0;
    for (const { ids, word } of holders.values()) {
      if (ids.size !== 1) continue;
      tried++;
      const id = [...ids][0]!;
      const q = `${word.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${id.split('/')[0]}`;
      const got = top(q)?.id;
      if (got === id) found.push(q);
      else if (got) wrong.push(`${q} -> ${got}`);
    }
    expect(tried).toBeGreaterThan(80);
    expect(wrong).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(tried - 3);
  });

  it('finds the one card that writes a config key or flag asked about alone ("what does controller.quorum.voters do")', () => {
    const KEY = /`((?:[a-z][a-zA-Z0-9_]*\.){2,}[a-zA-Z0-9_]+|--[a-z][a-z-]{3,})`/g;
    const topicWords = new Set(kb.topics.flatMap((t) => [t.id, ...t.keywords]));
    const writers = new Map<string, Set<string>>();
    for (const c of kb.concepts) for (const m of `${c.summary}\n${c.body}`.matchAll(KEY)) writers.set(m[1]!.toLowerCase(), (writers.get(m[1]!.toLowerCase()) ?? new Set()).add(c.id));
    const missed: string[] = [];
    let tried = 0;
    for (const [key, ids] of writers) {
      const id = [...ids][0]!;
      // Written by one card only, anywhere in it, and not a topic's name ("--zookeeper").
      if (ids.size !== 1 || kb.concepts.some((c) => c.id !== id && JSON.stringify(c).toLowerCase().includes(key)) || topicWords.has(key.replace(/^--/, ''))) continue;
      for (const q of [key, `what does ${key} do`, `${id.split('/')[0]} ${key}`]) {
        tried++;
        if (top(q)?.id !== id) missed.push(`${q} -> ${top(q)?.id ?? 'no card'}`);
      }
    }
    expect(tried).toBeGreaterThan(300);
    expect(missed).toEqual([]);
  });

  it('reads a snake_case name with its topic word as the one card that writes it ("airflow one_done")', () => {
    const SNAKE = /`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`/g;
    const writers = new Map<string, Set<string>>();
    for (const c of kb.concepts) for (const m of `${c.summary}\n${c.body}`.matchAll(SNAKE)) writers.set(m[1]!, (writers.get(m[1]!) ?? new Set()).add(c.id));
    const missed: string[] = [];
    let tried = 0;
    for (const [key, ids] of writers) {
      const id = [...ids][0]!;
      if (ids.size !== 1 || kb.concepts.some((c) => c.id !== id && JSON.stringify(c).toLowerCase().includes(key))) continue;
      tried++;
      const q = `${id.split('/')[0]} ${key}`;
      if (top(q)?.id !== id) missed.push(`${q} -> ${top(q)?.id ?? 'no card'}`);
    }
    expect(tried).toBeGreaterThan(40);
    expect(missed).toEqual([]);
  });

  it('finds a card by its title wrapped in question words, chat and the topic', () => {
    const missed: string[] = [];
    for (const c of kb.concepts) {
      if (kb.concepts.some((o) => o !== c && (o.title.toLowerCase() === c.title.toLowerCase() || o.aliases.some((a) => a.toLowerCase() === c.title.toLowerCase())))) continue;
      for (const q of [`what is ${c.title} in ${c.topic}`, `how does ${c.title} work`, `${c.title} explained`, `${c.topic} ${c.title} tldr`]) {
        if (top(q)?.id !== c.id) missed.push(`${q} -> ${top(q)?.id ?? 'no card'}`);
      }
    }
    // "Apache Hadoop YARN" reads as the topic words hadoop and yarn alone.
    expect(missed.length, missed.join('\n')).toBeLessThanOrEqual(3);
  });

  it('reads a misspelt topic word as the topic', () => {
    expect(top('kafak acks')?.id).toBe('kafka/acks');
  });
});

describe('questions no card answers', () => {
  it('gets no card when too vague to place, off-topic or about a tool not covered', () => {
    for (const q of ['how does it work', 'what is the meaning of life', 'which one should i use', "it's broken again", 'help', 'what is apache flink', 'snowflake warehouse sizing', 'airbyte connector keeps failing', 'asdf qwerty']) {
      expect(top(q), q).toBeNull();
    }
  });

  it('says which tool it does not cover', () => {
    expect(search.search('flink checkpoints').notCovered).toEqual(['flink']);
    // Also beside a topic it covers: a comparison it cannot make says which side it lacks.
    expect(search.search('kafka vs rabbitmq')).toMatchObject({ match: null, notCovered: ['rabbitmq'] });
    expect(search.search('hive vs presto')).toMatchObject({ match: null, notCovered: ['presto'] });
    expect(top('kubernetes executor')?.id).toBe('airflow/kubernetes-executor');
    expect(top('dbt snowflake profile')?.id).toBe('dbt/profiles');
  });

  it('finds, for a question told at length, a card that says people ask about it with a tool no card covers', () => {
    const q = 'how can we get warned when the raw tables that fivetran loads have not been updated for a whole day';
    expect(top(q)?.id).toBe('dbt/sources');
    // Said briefly, the tool is what is asked about.
    for (const brief of ['fivetran sync schedule', 'fivetran connector keeps failing']) expect(top(brief), brief).toBeNull();
  });

  it('does not take a tool named only inside quotes, in a pasted message, as the question', () => {
    // pandas is a tool no card covers; here it is only the module an Airflow DAG file failed to import.
    const pasted = search.search("Broken DAG: No module named 'pandas'");
    expect(pasted.notCovered ?? []).toEqual([]);
    expect(pasted.match?.concept.topic).toBe('airflow');
  });

  it('answers a comparison of two tools with no card that compares other things', () => {
    for (const q of ['whats the diff between airflow and oozie', 'airflow vs oozie']) {
      expect(top(q)?.id, q).not.toBe('hadoop/oozie-vs-zookeeper');
    }
    expect(top('oozie vs zookeeper')?.id).toBe('hadoop/oozie-vs-zookeeper');
    // A "vs" card that compares one side with something else is no comparison of these two.
    expect(['airflow/hook-vs-operator', 'airflow/operator-vs-sensor']).not.toContain(top('airflow task vs operator')?.id);
    expect(top('hdfs or hbase for random reads')?.id).toBe('hadoop/hdfs-vs-hbase');
    expect(top('zookeeper mode vs kraft mode kafka')?.id).toBe('kafka/kraft-vs-zookeeper');    // "Faster than" compares too (the comparison card names both tools); "more than 1" is a number.
    expect(top('why is spark faster than hadoop mapreduce')?.id).toBe('spark/spark-vs-mapreduce');
    expect(top('is hbase slower than hdfs for scans')?.id).toBe('hadoop/hdfs-vs-hbase');
    expect(top('kafka acks more than 1')?.id).toBe('kafka/acks');
  });

  it('offers each side of a comparison no card makes first ("rdd vs dataframe": the RDD card and the DataFrame card)', () => {
    const ids = (q: string) => search.search(q).suggestions.map((h) => h.concept.id);
    const result = search.search('rdd vs dataframe');
    expect(result.match).toBeNull();
    expect(ids('rdd vs dataframe').slice(0, 2)).toEqual(['spark/rdd', 'spark/dataframe-and-dataset']);
    // "difference" misspelt still compares: each side is offered, not a card that names both words in passing.
    expect(search.search('whats teh differnce between a dataframe and an rdd').sides?.map((h) => h.concept.id)).toEqual(['spark/dataframe-and-dataset', 'spark/rdd']);
    // Shown a card for one side, the other side comes next.
    expect(top('locals vs variables terraform')?.id).toBe('terraform/locals');
    expect(ids('locals vs variables terraform')[0]).toBe('terraform/input-variables');
  });

  it('reads a tool no card covers inside a card name as that name ("kubernetes executor" is KubernetesExecutor)', () => {
    const q = 'kubernetes executor vs celery executor';
    expect(search.search(q).notCovered ?? []).toEqual([]);
    // "Not what I meant" on the KubernetesExecutor card offers the other side of the comparison.
    const next = search.search(q, { exclude: new Set(['airflow/kubernetes-executor']), maxSuggestions: 5 });
    expect([next.match, ...next.suggestions].map((h) => h?.concept.id)).toContain('airflow/celery-executor');
    expect(search.search('kubernetes vs flink')).toMatchObject({ match: null, notCovered: ['flink', 'kubernetes'] });
  });

  it('reads "zk" as ZooKeeper', () => {
    expect(top('zk quorum how many nodes')?.id).toBe('hadoop/zookeeper-ensemble-quorum');
    expect(top('zk watches')?.id).toBe('hadoop/zookeeper-watches');
    expect(top('kafka without zk')?.id).toBe(top('kafka without zookeeper')?.id);
    // A tool said with its topic, nothing else: that tool's card ("hadoop zk" is an alias written out).
    expect(top('hadoop zk')?.id).toBe('hadoop/zookeeper');
    expect(top('hadoop hdfs')?.id).toBe('hadoop/hdfs');
    expect(top('kafka hdfs')?.id).not.toBe('hadoop/hdfs');
  });

  it('reads chat acknowledgements as chat, not as a question', () => {
    for (const q of ['cool', 'ok cool', 'nice', 'awesome thanks', 'gotcha']) expect(top(q), q).toBeNull();
  });

  it("reads Airflow's >> as the bitshift operator it is, not as nothing", () => {
    expect(top('what does >> mean in airflow')?.id).toBe('airflow/task-dependencies');
    // A nested generic type in a pasted error is no operator.
    expect(top('Column features must be of type struct<type:tinyint,values:array<double>> but was actually double')?.id).not.toBe('airflow/task-dependencies');
  });

  it('finds a card that names a tool no card covers, when the question compares it ("redis or rabbitmq")', () => {
    expect(top('do i need redis or rabbitmq for airflow')?.id).toBe('airflow/celery-executor');
  });

  it('reads chat noise as noise', () => {
    expect(top('noob here, what exactly is an airflow dag')?.id).toBe('airflow/dag');
    expect(top('yarn tl;dr')?.id).toBe(top('yarn')?.id);
    expect(top('hdfs eli5')?.id).toBe('hadoop/hdfs');
    expect(top('whats a topic in kafka lol')?.id).toBe('kafka/topic');
    expect(top('wut is a xcom lol')?.id).toBe('airflow/xcom');
    // How long the answer may take is not what it is about: "minute" is a word of other cards.
    expect(top('explain hdfs in one minute')?.id).toBe('hadoop/hdfs');
    expect(top('spark in 1 minute')?.id).toBe('spark/overview');
    expect(top('airflow in under a minute')?.id).toBe('airflow/overview');
    expect(top('xcom in one paragraph')?.id).toBe('airflow/xcom');
    // Pronouns and "nah" say nothing of the subject.
    expect(top('rdd union, does it dedupe them or nah')?.id).toBe('spark/union');
    // Nor a contraction written without its apostrophe ("thats"), though a card's chat question writes it.
    for (const q of ['thats it', "that's not what I meant"]) expect(search.search(q), q).toMatchObject({ match: null, suggestions: [] });
    // How it is asked, not what about: "friend", "advance" and "version" are words of other cards.
    expect(top('kafka acks, asking for a friend')?.id).toBe('kafka/acks');
    expect(top('kafka acks thanks in advance')?.id).toBe('kafka/acks');
    expect(top("what's oozie, quick version")?.id).toBe('hadoop/oozie');
    expect(top('sorry if dumb q, whats an hdfs block')?.id).toBe('hadoop/hdfs-blocks');
  });

  it('gives no card for numbers alone, and reads a number a name holds', () => {
    for (const q of ['1 2', '42', '3 2 1']) expect(search.search(q), q).toMatchObject({ match: null, suggestions: [] });
    expect(top('acks 0')?.id).toBe('kafka/acks');
  });

  it("reads a Python traceback's frame lines as no part of the question", () => {
    for (const q of ['Traceback (most recent call last):', '  File "/opt/airflow/dags/etl.py", line 3, in <module>']) expect(search.search(q), q).toMatchObject({ match: null, suggestions: [] });
    const pasted = `Traceback (most recent call last):\n  File "/opt/airflow/dags/etl.py", line 3, in <module>\nModuleNotFoundError: No module named 'airflow.operators.python_operator'`;
    expect(top(pasted)?.id).toBe('airflow/operator');
  });

  it('reads who the question is addressed to as no part of it', () => {
    // "bob" is the made-up user of the HDFS permissions card's example.
    expect(top('whats an hdfs block')?.id).toBe('hadoop/hdfs-blocks');
    expect(top('hey @bob whats an hdfs block')?.id).toBe('hadoop/hdfs-blocks');
    expect(top('hey bob whats an hdfs block')?.id).toBe('hadoop/hdfs-blocks');
    expect(top('@alice what is kafka acks')?.id).toBe('kafka/acks');
    expect(top('thanks bob, what is kafka acks')?.id).toBe('kafka/acks');
    // A name a card has, or a tool, after "@" or a greeting, is still read.
    expect(top('what is the @task decorator')?.id).toBe('airflow/taskflow-api');
    expect(top('hey xcom question')?.id).toBe('airflow/xcom');
  });
});

describe('completion as people type', () => {
  const ids = (typed: string) => search.complete(typed).map((c) => c.id);

  it('offers the concept for a topic word and an unfinished word', () => {
    expect(ids('kafka ac')[0]).toBe('kafka/acks');
    expect(ids('spark shuf')[0]).toBe('spark/shuffle');
    expect(ids('dbt incr')[0]).toBe('dbt/incremental-models');
  });

  it('reads an unfinished word that looks like a stopword, or one misspelt, as the start of a name', () => {
    // "worksp" is one letter off "works", "wor" the start of "work": both stopwords once finished.
    expect(ids('terraform worksp')[0]).toBe('terraform/workspaces');
    expect(ids('terraform work').slice(0, 3)).toContain('terraform/workspaces');
    expect(ids('hadoop wor').slice(0, 3)).toContain('hadoop/oozie');
    // A camel-case name half typed is the start of that name, not two words ("node", "man").
    expect(ids('yarn NodeMan')[0]).toBe('hadoop/yarn-nodemanager');
    // A question word being typed that starts no name still lists the topic's cards.
    const what = search.complete('airflow what');
    expect(what.length).toBeGreaterThan(0);
    for (const c of what) expect(c.topic).toBe('airflow');
  });

  it('keeps to the topic typed', () => {
    for (const c of search.complete('kafka ac')) expect(c.topic).toBe('kafka');
    for (const c of search.complete('hive ')) expect(c.topic).toBe('hadoop');
  });

  it('completes an unfinished alias and corrects a typo', () => {
    expect(ids('min.insync')).toContain('kafka/min-insync-replicas');
    expect(ids('zookeper')).toContain(kb.byId.has('hadoop/zookeeper') ? 'hadoop/zookeeper' : 'kafka/zookeeper-removal');
  });

  it('offers at most 25, and something for an empty box', () => {
    expect(search.complete('a').length).toBeLessThanOrEqual(25);
    expect(search.complete('')).toHaveLength(25);
    expect(search.complete('zzzzqqq')).toEqual([]);
  });
});
