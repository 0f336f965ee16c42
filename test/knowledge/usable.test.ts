import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeError, readKnowledge } from '../../src/knowledge/load.js';
import { openKnowledgeCached } from '../../src/knowledge/snapshot.js';
import { readUsableKnowledge, skippedLines } from '../../src/knowledge/usable.js';
import { SearchIndex } from '../../src/search/engine.js';
import { TOPICS, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';

/** The cards a bot starts on when some are invalid (`kb validate` still fails on each of these). */

const card = (id: string, extra: Partial<ConceptFixture> = {}): ConceptFixture => ({ id, title: `Title of ${id}`, ...extra });
const ids = (dir: string) => readUsableKnowledge(dir).kb.concepts.map((c) => c.id);
const skippedFiles = (dir: string) => readUsableKnowledge(dir).skipped.map((s) => s.file);

describe('readUsableKnowledge', () => {
  it('returns the knowledge base as loadKnowledge does when nothing is wrong', () => {
    const dir = writeKnowledge([card('kafka/a'), card('kafka/b', { related: ['kafka/a'] })]);
    const usable = readUsableKnowledge(dir);
    expect(usable).toMatchObject({ cards: 2, skipped: [], ignored: [] });
    expect(usable.kb.byId.get('kafka/b')?.related).toEqual(['kafka/a']);
    expect(skippedLines(usable)).toEqual([]);
  });

  it('keeps a card whose link names no card (deleted, renamed or misspelt), leaving the link out', () => {
    const dir = writeKnowledge([card('kafka/a', { prerequisites: ['kafka/missing'], related: ['kafka/c'] }), card('kafka/b', { prerequisites: ['kafka/a'], related: ['kafka/missing'] }), card('kafka/c')]);
    expect(readKnowledge(dir).problems.length).toBeGreaterThan(0);
    const usable = readUsableKnowledge(dir);
    expect(usable.kb.concepts.map((c) => c.id)).toEqual(['kafka/a', 'kafka/b', 'kafka/c']);
    // Only the links to nowhere are dropped, so nothing follows them.
    expect(usable.kb.byId.get('kafka/a')).toMatchObject({ prerequisites: [], related: ['kafka/c'] });
    expect(usable.kb.byId.get('kafka/b')).toMatchObject({ prerequisites: ['kafka/a'], related: [] });
    expect(skippedLines(usable)).toEqual([
      'knowledge cards link to kafka/missing, which no card has (deleted, renamed or misspelt?): the links from kafka/a.md, kafka/b.md are left out',
      'links to cards that no file holds left out: fix them and run `npm run backfill -- kb validate`',
    ]);
  });

  it('keeps both cards of a name they share, saying so on each (a new card must not knock out the one it repeats)', () => {
    const dir = writeKnowledge([card('kafka/a', { aliases: ['acks'] }), card('kafka/b', { aliases: ['acks'] })]);
    expect(ids(dir)).toEqual(['kafka/a', 'kafka/b']);
    const usable = readUsableKnowledge(dir);
    expect(usable.skipped).toEqual([]);
    expect(skippedLines(usable)).toEqual([
      'knowledge card kafka/b.md aliases[0]: "acks" is already a name of kafka/a (kafka/a.md): a name leads to one card, so keep it on one of the two (both cards kept)',
      'knowledge card kafka/a.md aliases[0]: "acks" is also a name of kafka/b (kafka/b.md): a name leads to one card, so keep it on one of the two (both cards kept)',
      'names that two cards have kept on both: fix them and run `npm run backfill -- kb validate`',
    ]);
    // Search offers both for the name, and each still by its own.
    const search = new SearchIndex(usable.kb.concepts, usable.kb.topics);
    expect(search.search('acks').suggestions.map((s) => s.concept.id).sort()).toEqual(['kafka/a', 'kafka/b']);
  });

  it('breaks a prerequisite cycle by leaving out the card it is reported on, then checks again', () => {
    const dir = writeKnowledge([card('kafka/a', { prerequisites: ['kafka/b'] }), card('kafka/b', { prerequisites: ['kafka/a'] }), card('kafka/c', { prerequisites: ['kafka/d'] }), card('kafka/d', { prerequisites: ['kafka/c'] })]);
    const usable = readUsableKnowledge(dir);
    expect(usable.skipped.map((s) => s.file)).toEqual(['kafka/a.md', 'kafka/c.md']);
    expect(usable.kb.concepts.map((c) => c.id)).toEqual(['kafka/b', 'kafka/d']);
    expect(usable.kb.concepts.every((c) => c.prerequisites.length === 0)).toBe(true);
  });

  it('does not count a subtopic whose only card was left out as a topics.yaml problem', () => {
    const topics = [{ ...TOPICS[0]!, subtopics: [{ id: 'kafka-streams', name: 'Kafka Streams', names: ['kafka streams'], concepts: ['streams'] }] }];
    const dir = writeKnowledge([card('kafka/a'), card('kafka/streams', { body: 'x'.repeat(2000) })], {}, topics);
    expect(readKnowledge(dir).problems.map((p) => p.file)).toEqual(['kafka/streams.md']);
    expect(ids(dir)).toEqual(['kafka/a']);
  });

  it('ignores, with a warning, a file that is not loaded as a card anyway', () => {
    const dir = writeKnowledge([card('kafka/a')], { 'kafka/notes.txt': 'notes', 'stray.md': '# stray' });
    const usable = readUsableKnowledge(dir);
    expect(usable.kb.concepts.map((c) => c.id)).toEqual(['kafka/a']);
    expect(usable.skipped).toEqual([]);
    expect(skippedLines(usable)).toEqual([
      'knowledge file kafka/notes.txt ignored: is not loaded: a card is a ".md" file',
      expect.stringMatching(/^knowledge file stray\.md ignored: a card must sit in its topic's folder/),
      '2 knowledge files ignored: fix them and run `npm run backfill -- kb validate`',
    ]);
  });

  it('refuses, with every problem, when topics.yaml is invalid or the folder is missing', () => {
    const badTopics = writeKnowledge([card('kafka/a')], {}, [{ ...TOPICS[0]!, hosts: [] }]);
    expect(() => readUsableKnowledge(badTopics)).toThrow(KnowledgeError);
    expect(() => readUsableKnowledge(badTopics)).toThrow(/topics\.yaml: \[0\]\.hosts/);
    expect(() => readUsableKnowledge(join(badTopics, 'nope'))).toThrow(/knowledge directory not found/);
  });

  it('leaves out every card when each is invalid; the start then refuses in one line and writes no snapshot', async () => {
    const dir = writeKnowledge([card('kafka/a', { body: 'short' }), card('spark/b', { body: 'short' })]);
    expect(skippedFiles(dir)).toEqual(['kafka/a.md', 'spark/b.md']);
    expect(ids(dir)).toEqual([]);
    const cacheDir = mkdtempSync(join(tmpdir(), 'backfill-cache-'));
    const warnings: string[] = [];
    const opening = openKnowledgeCached(dir, { cacheDir, skipInvalidCards: true, log: { debug: () => {}, warn: (m) => warnings.push(m) } });
    await expect(opening).rejects.toThrow(KnowledgeError);
    await expect(opening).rejects.toMatchObject({ problems: [{ file: dir, field: '', message: expect.stringMatching(/^none of the 2 cards is valid/) }] });
    expect(warnings).toHaveLength(3);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.snap'))).toEqual([]);
  });

  it('opens part of the knowledge base without writing it as a snapshot, and the whole one with', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'backfill-cache-'));
    const log = { debug: () => {}, warn: () => {} };
    const partial = await openKnowledgeCached(writeKnowledge([card('kafka/a'), card('kafka/b', { body: 'short' })]), { cacheDir, skipInvalidCards: true, log });
    expect(partial).toMatchObject({ from: 'files', skipped: 1 });
    expect(partial.snapshot).toBeUndefined();
    expect(partial.search.search('Title of kafka/a').match?.concept.id).toBe('kafka/a');
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.snap'))).toEqual([]);
    const whole = await openKnowledgeCached(writeKnowledge([card('kafka/a'), card('kafka/b')]), { cacheDir, skipInvalidCards: true, log });
    expect(whole).toMatchObject({ from: 'files', skipped: 0 });
    expect(whole.snapshot).toBeDefined();
  });
});
