import { arg, defineCommand, type Command } from '../../core/command.js';
import { vocabularyList } from '../../core/args.js';
import { notice, type Reply } from '../../core/reply.js';
import { conceptCard } from '../cards.js';
import { catalogOf } from '../catalog.js';
import type { Knowledge } from '../knowledge.js';
import { notCoveredLine } from './explain.js';

/** A random concept of a selection of topics and subtopics (`[]`: all). */
export function randomConcept({ kb }: Knowledge, random: () => number, topics: readonly string[]): Reply {
  const pool = catalogOf(kb).concepts(topics);
  const concept = pool[Math.floor(random() * pool.length)];
  if (!concept) return notice('The knowledge base is empty.');
  return conceptCard(kb, concept, { shareable: true });
}

/**
 * The topics argument every command that takes topics shares: topics and subtopics, in any number.
 * A tool the knowledge base does not cover ("/quiz flink") is said to be one, as /explain says it.
 */
export function topicsArg(knowledge: Knowledge) {
  const vocabulary = catalogOf(knowledge.kb).vocabulary();
  const unknown = (word: string) => {
    const outside = knowledge.search.search(word).notCovered;
    return outside?.length ? notCoveredLine(knowledge, outside) : vocabulary.unknown(word);
  };
  return vocabularyList({ ...vocabulary, unknown }, { placeholder: 'topics', what: 'a topic or subtopic (kafka, hive, spark sql)' });
}

export function randomCommand(knowledge: Knowledge, random: () => number): Command {
  return defineCommand({
    name: 'random',
    summary: 'Show a random concept, from some topics or subtopics, or all',
    args: { topics: arg(topicsArg(knowledge), { description: 'Only concepts of these topics or subtopics, e.g. kafka, hive', default: [], defaultText: 'all topics' }) },
    examples: ['', 'hive', 'kafka streams'],
    run: async ({ args }) => randomConcept(knowledge, random, args.topics),
  });
}
