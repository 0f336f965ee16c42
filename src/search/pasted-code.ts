/**
 * What a pasted line of code asks, when its syntax says which tool it is written in: an HBase shell
 * command, a Pig Latin statement, a Hive table definition, a ZooKeeper CLI command or ensemble line,
 * a Terraform block or reference, an Airflow Param or bitshift chain, a dbt Jinja call, a PySpark or
 * Kafka client call, a Spark SQL hint. A question that pastes one and names no topic is answered from that tool's
 * cards (`grouped = GROUP logs ALL;` asks about Pig, not Kafka consumer groups), and the names the
 * reader chose in it (tables, relations, labels) are left out: the tool's own words say what is asked.
 */
interface Syntax {
  /** The cards that can answer it, by id: a topic's ("dbt/*") or a tool's ("hadoop/hbase*"). */
  cards: string;
  line: RegExp;
  /** The line as asked: the reader's names left out (not a key some card writes: `known`). */
  asked?: (line: string, known: (key: string) => boolean) => string;
}

/** A quoted argument given by position, or a dictionary's key ("ref('orders')", `{"days": ...}`), not a keyword's value (`type="integer"`). */
const QUOTED_ARGUMENT = /(?<=[({[,]\s*)(['"])[^'"\n]*\1(?=\s*[,)\]:])/g;
/** A client call's quoted names (a table, a column, a path, a topic), unless a card writes one as a key ("spark.sql.shuffle.partitions"). */
function withoutQuotedNames(line: string, known: (key: string) => boolean): string {
  return line.replace(QUOTED_ARGUMENT, (m: string) => (/[_./:\d-]/.test(m) && !known(m.slice(1, -1)) ? ' ' : m));
}
/** The words written in capitals: a query language's keywords and functions. */
const capitalised = (line: string) => ` ${(line.match(/\b[A-Z]\w*/g) ?? []).join(' ')} `;

/**
 * A Pig Latin statement: a relation's alias, then an operator written in capitals, up to its
 * semicolon; or its right side alone when it reads as only Pig writes it (`JOIN a BY id, b BY id`,
 * `FOREACH logs GENERATE`: SQL writes GROUP BY and JOIN ... ON).
 */
const PIG_STATEMENT = /(?<![^;\s])\s*(?:[A-Za-z_]\w*\s*=\s*(?:LOAD|FOREACH|FILTER|GROUP|COGROUP|JOIN|ORDER|DISTINCT|LIMIT|UNION|SPLIT|SAMPLE|CROSS|STREAM)\s|(?:FILTER|GROUP|COGROUP|JOIN|ORDER|FOREACH)\s+[A-Za-z_]\w*\s+(?:BY|GENERATE|ALL)\b)[^;]*;?/g;
/** A Hive table statement, by words HiveQL writes and Spark's own SQL does not (STORED AS, ROW FORMAT, MSCK, LOAD DATA INPATH, CREATE EXTERNAL TABLE). */
const HIVE_STATEMENT = /\b(?:(?:CREATE|ALTER|MSCK|LOAD)\b[^;]*\b(?:STORED AS|ROW FORMAT|REPAIR TABLE|DATA (?:LOCAL )?INPATH)|CREATE EXTERNAL TABLE|CLUSTERED BY\b[^;]*\bINTO \d+ BUCKETS)\b[^;]*;?/g;

/** Airflow tasks chained with bitshift operators ("extract >> [transform, audit] >> load"). */
const BITSHIFT_CHAIN = /[\w\]]+(?:\s*(?:>>|<<)\s*(?:\w+|\[[\w\s,]*\])(?![\w.]))+/g;
/** A Terraform block's head: its type and labels. */
const HCL_BLOCK = /^(\s*)(resource|data|module|variable|output|locals|provider|provisioner|connection|terraform|moved|import|removed|check|lifecycle|dynamic|backend|cloud|required_providers|validation|precondition|postcondition)\b((?:\s+"[^"\n]*")*)(\s*\{)/;
/** Blocks whose only label is a name somebody chose (a variable's, an output's, a module's). */
const NAMED_BY_ONE_LABEL = /^(variable|output|module|check)$/;

/** The Terraform providers whose resource types people paste most ("aws_s3_bucket" is aws's). */
export const TERRAFORM_PROVIDERS = 'aws|azurerm|azuread|google|kubernetes|helm|random|null|local|tls|time|archive|http|github|cloudflare|datadog|docker|vault|tfe';
/** A provider's resource type ("aws_s3_bucket"): whichever the reader declares, the block is what is asked. */
const PROVIDER_TYPE = new RegExp(`^"(?:${TERRAFORM_PROVIDERS})_[a-z0-9_]+"$`);

/**
 * A block head without the names the reader chose: the last of a resource's two labels, a
 * variable's only one, and a provider's resource type; a resource or data block reads as one
 * ("resource block"). A type a card writes as itself stays ("terraform_data").
 */
function withoutChosenName(_head: string, indent: string, type: string, labels: string, brace: string): string {
  const kept = labels.match(/"[^"\n]*"/g) ?? [];
  if (kept.length === 2 || (kept.length === 1 && NAMED_BY_ONE_LABEL.test(type))) kept.pop();
  const named = /^(resource|data)$/.test(type) ? `${type} block` : type;
  return `${indent}${named} ${kept.filter((label) => !PROVIDER_TYPE.test(label)).join(' ')}${brace}`;
}

/**
 * An HBase shell command without the reader's names: its tables, rows and columns ('hbase:meta' is
 * HBase's own). What `create` and `alter` take after the table are column families, and its SPLITS
 * are where the table's regions start, as `split` and `merge_region` are about regions.
 */
function hbaseShell(line: string): string {
  const bare = line.replace(/'(?!hbase:)[^'\n]*'/g, ' ');
  if (/\b(?:SPLITS|NUMREGIONS|SPLITALGO)\b|^\s*(?:split|merge_region|list_regions)\b/.test(line)) return `${bare} regions`;
  return /^\s*(?:create|alter)\s+'[^'\n]*'\s*,\s*['{]/.test(line) ? `${bare} column families` : `${bare} shell`;
}

/** A dbt model's line without the reader's names: the SQL around the Jinja and the names given to its calls and blocks. */
function dbtJinja(line: string): string {
  return line
    .replace(QUOTED_ARGUMENT, ' ')
    .replace(/(\{%-?\s*(?:snapshot|macro|test|materialization|docs))\s+\w+/g, '$1 ')
    .replace(/\b(?:select|from|where|join|left|inner|on|as|and|or|group|order|by|limit)\b/gi, ' ');
}

const SYNTAXES: Syntax[] = [
  // create 'users', 'info' / put 'users', 'u1', 'info:email', 'a@b.com' / scan 'users', {LIMIT => 10}
  { cards: 'hadoop/hbase*', line: /^\s*(?:create|put|get|scan|delete|deleteall|alter|disable|enable|describe|count|truncate|drop|exists|split|merge_region|list_regions|major_compact|compact|flush)\s+'[^'\n]*'\s*(?:,|$)/, asked: hbaseShell },
  // adults = FILTER users BY age >= 18;
  { cards: 'hadoop/pig*', line: new RegExp(PIG_STATEMENT.source), asked: (l) => l.replace(PIG_STATEMENT, capitalised) },
  // CREATE EXTERNAL TABLE logs (...) PARTITIONED BY (dt string) STORED AS ORC;
  { cards: 'hadoop/hive*', line: new RegExp(HIVE_STATEMENT.source), asked: (l) => l.replace(HIVE_STATEMENT, capitalised) },
  // create -e -s /locks/lock- (zkCli); server.3=zk3:2888:3888 (zoo.cfg)
  { cards: 'hadoop/zookeeper*', line: /^\s*(?:create|get|set|delete|deleteall|stat|getAcl|setAcl|addWatch)\s+(?:-[a-z]+\s+)*\/[\w/.-]*/ },
  { cards: 'hadoop/zookeeper*', line: /\bserver\.\d+\s*=\s*[\w.-]+:\d+:\d+/ },
  // resource "aws_s3_bucket" "logs" { bucket = "acme-logs" } / import { ... }
  { cards: 'terraform/*', line: HCL_BLOCK, asked: (l) => l.replace(HCL_BLOCK, withoutChosenName).replace(/(?<==\s*)"[^"\n]*"/g, ' ') },
  // for_each = var.buckets / tags = local.common_tags / each.value / count.index / data.aws_caller_identity.current.account_id
  { cards: 'terraform/*', line: /(?<![\w.])(?:(?:var\.(?!(?:value|json)\b)|local\.)[a-z_][\w-]*(?![\w.-])|each\.(?:key|value)\b|count\.index\b|data\.[a-z][a-z0-9]*_\w+\.[a-z_][\w-]*)/i },
  // extract >> transform >> load: the tasks are the reader's, the arrows are what is asked
  { cards: 'airflow/*', line: new RegExp(BITSHIFT_CHAIN.source), asked: (l) => l.replace(BITSHIFT_CHAIN, ' >> ') },
  // spark.read.json(path) / sc.textFile(path) / rdd.map(f) / F.col("x") / broadcast(dim) / .mode("overwrite"): PySpark's own names
  { cards: 'spark/*', line: /(?<![\w.])(?:spark\.(?:read|readStream|sql|conf|table|createDataFrame|range|sparkContext|udf|catalog|stop)\b|sc\.(?:textFile|wholeTextFiles|parallelize|broadcast|accumulator|setLogLevel|setCheckpointDir)\b|rdd\.\w+\(|F\.\w+\(|broadcast\(|SparkSession\b)|\.(?:withColumn|toPandas|createOrReplaceTempView|saveAsTable|unpersist)\(|\.(?:repartition|coalesce)\(\d|(?<![\w])\.?mode\(["'](?:overwrite|append|ignore|error|errorifexists)["']\)/, asked: withoutQuotedNames },
  // SELECT /*+ MERGE(o, c) */ ...: Spark SQL's hints (MAPJOIN is Hive's too)
  { cards: 'spark/*', line: /\/\*\+\s*(?:BROADCAST|BROADCASTJOIN|MERGE|SHUFFLE_MERGE|MERGEJOIN|SHUFFLE_HASH|SHUFFLE_REPLICATE_NL|COALESCE|REPARTITION|REPARTITION_BY_RANGE|REBALANCE)\b/i },
  // producer.produce(...) / consumer.poll(1.0): a Kafka client's calls
  { cards: 'kafka/*', line: /(?<![\w.])(?:producer\.(?:send|produce|flush|initTransactions|beginTransaction|commitTransaction|abortTransaction)|consumer\.(?:poll|subscribe|assign|commitSync|commitAsync|commit|seek\w*|pause|resume|position|committed|close))\(/, asked: withoutQuotedNames },
  // params={"days": Param(7, type="integer")}
  { cards: 'airflow/*', line: /\bParam\(/, asked: (l) => l.replace(QUOTED_ARGUMENT, ' ') },
  // {{ ref('orders') }} / {{ config(materialized='view') }} / select * from {{ source('shop', 'orders') }} / {% snapshot orders_snapshot %}
  { cards: 'dbt/*', line: /\{\{\s*(?:ref|source|config|is_incremental|env_var|this)\b|\{%-?\s*(?:snapshot|macro|test|materialization|docs)\s/, asked: dbtJinja },
];

/** A pasted line read as asked, and the cards of the tool whose syntax it is written in (none when it is no such line). */
export function readPastedCode(text: string, known: (key: string) => boolean = () => false): { text: string; cards?: string } {
  const syntax = SYNTAXES.find((s) => s.line.test(text));
  if (syntax === undefined) return { text };
  return { text: syntax.asked?.(text, known) ?? text, cards: syntax.cards };
}
