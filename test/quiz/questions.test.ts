import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { maskedSummary, materialize, questionBank, whichConcept, type GeneratedQuestion, type QuestionTemplate } from '../../src/quiz/questions.js';
import { tokenizeDocument } from '../../src/search/tokenize.js';
import { REAL_KNOWLEDGE_DIR, writeKnowledge } from '../helpers/knowledge.js';

const kb = loadKnowledge(REAL_KNOWLEDGE_DIR);
const bank = questionBank(kb);
const generated = bank.filter((q): q is GeneratedQuestion => q.key.endsWith('#which'));

/**
 * Title words of an option (stemmed as search stems them) that also appear in the question, but for
 * the words of `topic`: every option is a concept of the question's topic, so "Kafka" tells nothing.
 */
function shared(prompt: string, title: string, topic?: string): string[] {
  const words = new Set(tokenizeDocument(prompt));
  const topicWords = new Set((kb.topics.find((t) => t.id === topic)?.keywords ?? []).flatMap((k) => tokenizeDocument(k)));
  const titleWords = title.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => tokenizeDocument(w));
  const own = titleWords.filter((tokens) => !tokens.some((t) => topicWords.has(t))).flat();
  return (own.length ? own : titleWords.flat()).filter((t) => words.has(t));
}

/** A seeded random, so a failure can be reproduced. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('generated "which concept is this?" questions, over the whole knowledge base', () => {
  it('are generated for half the concepts or more, and skipped only for concepts with hand-written questions', () => {
    // A summary that needs more than three blanks, or whose card title's gloss it repeats, makes no question.
    expect(generated.length).toBeGreaterThanOrEqual(Math.floor(kb.concepts.length * 0.5));
    const withGenerated = new Set(generated.map((q) => q.concept.id));
    for (const c of kb.concepts.filter((x) => !withGenerated.has(x.id))) expect(c.quiz.length, c.id).toBeGreaterThan(0);
  });

  it('never show a word of any option’s title, or its stem, in the question, but for the topic’s own words', () => {
    const leaks: string[] = [];
    for (const q of generated) {
      for (const title of [q.answer, ...q.candidates]) {
        const words = shared(q.prompt, title, q.concept.topic);
        if (words.length) leaks.push(`${q.key}: "${title}" shows ${words.join(', ')} in ${q.prompt}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('stay readable: at most three blanks', () => {
    const crowded = generated.filter((q) => q.prompt.split('___').length - 1 > 3).map((q) => q.key);
    expect(crowded).toEqual([]);
  });

  it('offer no option whose name holds the answer’s or is held by it ("XCom vs Variable" for XCom, "dbt run" for "dbt run vs dbt build")', () => {
    const nested: string[] = [];
    for (const q of generated) {
      const topicWords = new Set((kb.topics.find((t) => t.id === q.concept.topic)?.keywords ?? []).flatMap((k) => tokenizeDocument(k)));
      // Word by word, a word naming the topic left out ("HBase" in "HBase HMaster"), unless every word does.
      const name = (title: string) => {
        const words = title.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => tokenizeDocument(w));
        const own = words.filter((tokens) => !tokens.some((t) => topicWords.has(t))).flat();
        return own.length ? own : words.flat();
      };
      // The answer's name without its gloss in parentheses, which describes it rather than names it.
      const answer = name(q.answer.replace(/\s*\([^)]*\)\s*$/, ''));
      for (const option of q.candidates) {
        const other = name(option);
        if (answer.length && other.length && (answer.every((t) => other.includes(t)) || other.every((t) => answer.includes(t)))) nested.push(`${q.key}: ${option}`);
      }
    }
    expect(nested).toEqual([]);
  });

  it('draw their wrong options only from those checked titles', () => {
    for (const q of generated) {
      expect(q.candidates.length, q.key).toBeGreaterThanOrEqual(3);
      expect(q.candidates, q.key).not.toContain(q.answer);
      for (let seed = 1; seed <= 5; seed++) {
        const m = materialize(q, seeded(seed));
        expect(new Set(m.options).size, q.key).toBe(4);
        expect(m.options[m.correct]).toBe(q.answer);
        for (const o of m.options.filter((_, i) => i !== m.correct)) expect(q.candidates, q.key).toContain(o);
      }
    }
  });

  it('draw wrong options from the concept\'s own subtopic when it has enough (a ZooKeeper question, other ZooKeeper concepts)', () => {
    const zookeeper = new Set(kb.concepts.filter((c) => c.topic === 'hadoop' && (c.slug.startsWith('zookeeper') || c.slug === 'oozie-vs-zookeeper')).map((c) => c.title));
    const asked = generated.filter((q) => q.concept.topic === 'hadoop' && q.concept.slug.startsWith('zookeeper'));
    expect(asked.length).toBeGreaterThanOrEqual(2);
    for (const q of asked) for (const title of q.candidates) expect(zookeeper, `${q.key}: ${title}`).toContain(title);
    // A subtopic too small to fill the options falls back to the topic: Kafka Streams has one card.
    const streams = generated.find((q) => q.concept.id === 'kafka/streams');
    if (streams) expect(streams.candidates.length).toBeGreaterThanOrEqual(3);
  });

  it('explain with the sentence the blanks were cut from, filled in, or else the clue that gives the concept away', () => {
    let sentences = 0;
    for (const q of generated) {
      expect(q.why, q.key).not.toMatch(/^That describes /);
      expect(q.why.length, q.key).toBeLessThanOrEqual(200);
      const sentence = /^The blanks hide (.+?): “(.+?)(…)?”$/s.exec(q.why);
      if (sentence) {
        sentences++;
        expect(sentence[1], q.key).toBe(q.answer);
        expect(q.concept.summary.startsWith(sentence[2]!), `${q.key}: ${q.why}`).toBe(true);
        continue;
      }
      const clue = /^The clue is “(.+)”, which points to (.+)\.$/.exec(q.why);
      expect(clue, `${q.key}: ${q.why}`).not.toBeNull();
      expect(q.prompt, q.key).toContain(clue![1]);
      expect(clue![1]!.split(' ').length, q.key).toBeGreaterThanOrEqual(2);
      expect(clue![2], q.key).toBe(q.answer);
      expect(q.why.length, q.key).toBeLessThanOrEqual(200);
      // Not what the summary says the concept is not ("not everything in the account").
      expect(q.prompt, q.key).not.toMatch(new RegExp(`\\b(?:not|never|no|without|unlike)\\s+${clue![1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i'));
    }
    // What the summary says the concept is not is quoted only with its "not" ("... not everything in the account").
    const destroy = generated.find((q) => q.concept.id === 'terraform/destroy')?.why ?? '';
    expect(destroy.replace(/\bnot everything in the account/g, '')).not.toContain('everything in the account');
    // Most fit: a quoted clue is the exception.
    expect(sentences).toBeGreaterThan(generated.length / 2);
  });

  it('hide the words that gave away the answers the review found', () => {
    const prompt = (id: string) => generated.find((q) => q.concept.id === id)?.prompt ?? '';
    expect(prompt('kafka/connect')).toMatch(/reusable source and sink ___/);
    expect(prompt('kafka/connect')).not.toMatch(/connect/i);
    expect(prompt('airflow/params')).toMatch(/defined with ___ and JSON Schema/);
    expect(prompt('airflow/schedule')).not.toMatch(/schedule\b|timetable/i);
    expect(prompt('airflow/dag-run')).not.toMatch(/\bDAG run\b/i);
  });

  it('blank a compound word whole, never a part of it ("___-processing" gave the rest away)', () => {
    for (const q of generated) expect(q.prompt, q.key).not.toMatch(/___[-._]\w|\w[-._]___/);
    expect(generated.find((q) => q.concept.id === 'kafka/streams')?.prompt).toMatch(/a Java library for ___ applications/);
  });

  it('offer no wrong option that shares a word with the question, however the question writes it ("exactly-once" is exactly and once)', () => {
    const streams = generated.find((q) => q.concept.id === 'kafka/streams');
    expect(streams?.prompt).toMatch(/exactly-once/);
    expect(streams?.candidates).not.toContain('At-least-once vs exactly-once in Kafka');
    const once = generated.filter((q) => /\b(?:exactly|at-least|at-most)-once\b/i.test(q.prompt));
    expect(once.length).toBeGreaterThan(1);
    for (const q of once) expect(q.candidates.filter((title) => /once/i.test(title)), q.key).toEqual([]);
  });

  it('never name a side of a comparison they ask about ("Oozie is ...; ___ is ..." would point at the one option naming Oozie)', () => {
    const comparisons = generated.filter((q) => /\bvs\b/i.test(q.answer));
    expect(comparisons.length).toBeGreaterThan(0);
    for (const q of comparisons) {
      const words = new Set(tokenizeDocument(q.prompt));
      const sides = tokenizeDocument(q.answer.replace(/\s*\([^)]*\)\s*$/, '')).filter((t) => t !== 'vs');
      expect(sides.filter((t) => words.has(t)), q.key).toEqual([]);
    }
  });

  it('leave the hand-written questions as written', () => {
    const handWritten = bank.filter((q: QuestionTemplate) => !q.key.endsWith('#which'));
    expect(handWritten.length).toBe(kb.concepts.reduce((n, c) => n + c.quiz.length, 0));
  });
});

describe('masking a summary', () => {
  const fixture = loadKnowledge(
    writeKnowledge([
      { id: 'kafka/connect', title: 'Kafka Connect', aliases: ['connect workers'], summary: 'Kafka Connect streams data between Kafka and other systems with reusable source and sink connectors, run by workers in a REST-managed cluster.' },
      { id: 'kafka/acks', title: 'Producer acks', summary: 'Producer acks: how many acks a producer waits for.', quiz: [{ question: 'Which setting waits for every in-sync replica?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'linger.ms=5'], why: 'It waits for the whole ISR.' }] },
      { id: 'kafka/lag', title: 'Consumer lag', summary: 'Consumer lag of a consumer.' },
      { id: 'kafka/streams', title: 'Kafka Streams', summary: 'A Java library for stream processing applications that read and write topics.' },
      { id: 'kafka/consumer', title: 'Consumer poll loop', summary: 'How a consumer fetches records from the partitions it was assigned.' },
      { id: 'kafka/topic', title: 'Topic', summary: 'A named stream of records split into partitions spread over brokers.' },
      { id: 'kafka/broker', title: 'Broker', summary: 'A server that stores partition replicas and answers produce and fetch requests.' },
      {
        id: 'kafka/isr',
        title: 'ISR',
        summary: 'ISR, short for in-sync replicas, is the set of replicas of a partition that have caught up with its leader recently.',
        quiz: [{ question: 'Which replicas may become leader without losing data?', answer: 'In-sync replicas', wrong: ['Any replica', 'Observers', 'Followers on other racks'], why: 'Only they have every acknowledged record.' }],
      },
    ]),
  );
  const connect = fixture.byId.get('kafka/connect')!;

  it('blanks every word of the title by stem and prefix, and the aliases as phrases', () => {
    // The alias "connect workers" is a phrase: "workers" alone stays.
    expect(maskedSummary(connect)).toBe('___ streams data between ___ and other systems with reusable source and sink ___, run by workers in a REST-managed cluster.');
  });

  it('writes an article before a blank as "a(n)", so that "An ___" does not leave only the options that start with a vowel', () => {
    const executor = { ...connect, id: 'spark/executor', title: 'Spark executor', aliases: [], summary: 'An executor is a JVM process on a worker node that runs the tasks of one application and keeps its cached data.' };
    expect(maskedSummary(executor)).toBe('A(n) ___ is a JVM process on a worker node that runs the tasks of one application and keeps its cached data.');
  });

  it('keeps two names either side of a full stop as two blanks, so the sentence still ends there', () => {
    const incremental = { ...connect, id: 'dbt/incremental-models', title: 'Incremental models', aliases: ['unique_key', '--full-refresh'], summary: 'Each run adds only new rows, matched on unique_key. --full-refresh rebuilds the table from scratch when its logic changed.' };
    expect(maskedSummary(incremental, true)).toBe('Each run adds only new rows, matched on ___. ___ rebuilds the table from scratch when its logic changed.');
  });

  it('stops before a sentence that writes the name as another syntax’s keyword ("SQL ___ ALL" gives union away)', () => {
    const union = { ...connect, id: 'spark/union', title: 'RDD union', aliases: [], summary: 'union returns an RDD holding every element of both inputs without a shuffle. It keeps duplicates, so it behaves like SQL UNION ALL; call distinct() afterwards.' };
    expect(maskedSummary(union)).toBe('___ returns a(n) ___ holding every element of both inputs without a shuffle.');
    // When the first sentence does, nothing is asked of the summary (the card's own questions are).
    expect(maskedSummary({ ...union, summary: 'It behaves like SQL UNION ALL, keeping duplicates of both inputs without a shuffle.' })).toBeUndefined();
  });

  it('keeps the topic’s own words in the question, but not beside a blank as part of the name ("Kafka ___" would point at the options that start so)', () => {
    expect(whichConcept(fixture, connect)?.prompt).toBe('What does this describe? “___ streams data between Kafka and other systems with reusable source and sink ___, run by workers in a REST-managed cluster.”');
  });

  it('asks nothing of a summary that spells out the blank ("___, short for in-sync replicas"), when the card has hand-written questions', () => {
    expect(whichConcept(fixture, fixture.byId.get('kafka/isr')!)).toBeUndefined();
  });

  it('skips a summary that is mostly its own name, when the card has hand-written questions to ask instead', () => {
    expect(maskedSummary(fixture.byId.get('kafka/acks')!)).toBeUndefined();
    expect(whichConcept(fixture, fixture.byId.get('kafka/acks')!)).toBeUndefined();
  });

  it('still asks about a card with no hand-written question, never showing its title, and says what the blanks hid', () => {
    const q = whichConcept(fixture, fixture.byId.get('kafka/lag')!)!;
    expect(q.prompt).toBe('What does this describe? “___ of a(n) ___.”');
    for (const title of [q.answer, ...q.candidates]) expect(shared(q.prompt, title), title).toEqual([]);
    expect(q.why).toBe('The blanks hide Consumer lag: “Consumer lag of a consumer.”');
  });

  it('keeps out of the options every concept whose title the question shows', () => {
    const q = whichConcept(fixture, connect)!;
    // "streams" is in the question, so Kafka Streams would be a give-away wrong option.
    expect([...q.candidates].sort()).toEqual(['Broker', 'Consumer lag', 'Consumer poll loop', 'ISR', 'Producer acks', 'Topic']);
    expect(q.why).toBe(`The blanks hide Kafka Connect: “${connect.summary}”`);
  });
});
