import { describe, expect, it } from 'vitest';
import { formatProblem, readKnowledge } from '../../src/knowledge/load.js';
import { unseenSourcePhrases } from '../../src/knowledge/voice.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

const BODY_END = ' The rest of the body is long enough for the validator, explaining the concept in plain words a reader can follow without any other text at hand.';

function problemsOf(...concepts: ConceptFixture[]): string[] {
  return readKnowledge(writeKnowledge(concepts)).problems.map(formatProblem);
}

const flagged = (text: string) => unseenSourcePhrases(text).map((p) => p.phrase);

describe('cards speak to the reader, not to notes the reader has never seen', () => {
  it('refuses notes-speak in every field a reader sees, naming file, field and phrase, with a suggestion', () => {
    const problems = problemsOf({
      id: 'kafka/acks',
      title: 'Producer acks',
      summary: 'How many brokers confirm a write; the study notes get this wrong.',
      body: `Correction to the notes: "all" means all in-sync replicas.${BODY_END}`,
      example: 'As the notes say, acks=all is the safe choice.',
      quiz: [
        {
          question: 'The write-up says acks=1 waits for every replica. What does it wait for?',
          answer: 'The partition leader only',
          wrong: ['Every in-sync replica', 'A majority of replicas', 'What the seed notes claim'],
          why: 'acks=1 is answered by the leader alone, whatever old notes suggest.',
        },
      ],
    });
    expect(problems).toEqual([
      'kafka/acks.md: summary: addresses notes the reader has never seen ("the study notes get this wrong."): state the fact, or say "A common misconception is ..."',
      'kafka/acks.md: body: corrects a source the reader has never seen ("Correction to the notes: "all" means all"): state the fact, or say "A common misconception is ..."',
      'kafka/acks.md: example: addresses notes the reader has never seen ("As the notes say, acks=all is the"): state the fact, or say "A common misconception is ..."',
      'kafka/acks.md: quiz[0].question: addresses a write-up the reader has never seen ("The write-up says acks=1 waits for"): state the fact, or say "A common misconception is ..."',
      'kafka/acks.md: quiz[0].wrong[2]: addresses notes the reader has never seen ("What the seed notes claim"): state the fact, or say "A common misconception is ..."',
      'kafka/acks.md: quiz[0].why: addresses notes the reader has never seen ("alone, whatever old notes suggest."): state the fact, or say "A common misconception is ..."',
    ]);
  });

  it('catches the phrasings the first review found', () => {
    const phrases = [
      'Correction to the notes: exactly-once is implemented in Kafka itself.',
      'Correction to a common note: followers fetch continuously.',
      'Correction: "no key means round-robin" is outdated.',
      'The study notes call Hive a "SQL-like framework for MR tasks".',
      'Many notes still describe a Flask webserver.',
      'this is at-least-once, not at-most-once as the notes claim.',
      'It is what study notes sometimes call crossproduct.',
      'Old notes list Mesos as a cluster manager.',
      'The library is MLlib (notes often misspell it).',
      'A popular write-up gets the order wrong.',
      'Do not rely on figures in old notes.',
      'In the study notes, d_grouped appears in a list of commands.',
      'As the seed says, HDFS stores blocks.',
      'The handout lists these as commands.',
      'As the text says, the controller is elected.',
      'The original wording is misleading.',
      'Your writeup forgets compaction.',
    ];
    for (const text of phrases) expect(flagged(text), text).not.toEqual([]);
  });

  it('leaves technical words alone: release notes, notebooks, dbt seeds, error correction, "Note that"', () => {
    const fine = [
      'See the Kafka 4.0 release notes and the upgrade notes before upgrading.',
      'Version notes: freshness moved under config: in 1.9.',
      'Notes: the default changed in 3.0.',
      'Add DAG run notes or task instance notes in the UI; the notes field is free text.',
      'Note that read_committed consumers stop at the last stable offset.',
      'Run it from a Databricks notebook or a Jupyter notebook.',
      'dbt seed loads the seed file; the seed CSV lives in seeds/.',
      'Pass a seed for a reproducible sample; the seed makes it repeatable.',
      'Erasure coding uses error correction codes; error-correction is cheaper than replication.',
      'A footnote in the docs, the keynote and notebooks.',
      'Write up the incident and correct the config.',
      'Slides, pages and a sliding window: the window slides every minute.',
      'Query with `select notes from orders` or in SQL:\n```sql\nselect notes, correction from fixes\n```',
    ];
    for (const text of fine) expect(flagged(text), text).toEqual([]);
  });

  it('reports one problem per place, even where two rules meet', () => {
    expect(unseenSourcePhrases('Correction to the study notes: it is a floor. The lecture notes are wrong.')).toEqual([
      { phrase: 'Correction to the study notes: it is a floor.', what: 'corrects a source the reader has never seen' },
      { phrase: 'The lecture notes are wrong.', what: 'addresses a source the reader has never seen' },
    ]);
  });

  it('does not read how people ask or the errors they paste: those are their words', () => {
    expect(
      problemsOf({
        id: 'kafka/acks',
        title: 'Producer acks',
        questions: ['my notes say acks=1 is safe, is it?'],
        errors: ['Note: the write-up is wrong'],
      }),
    ).toEqual([]);
  });
});
