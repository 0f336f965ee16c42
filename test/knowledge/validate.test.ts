import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadKnowledge, parseConcept, readKnowledge, KnowledgeError, type Problem } from '../../src/knowledge/load.js';
import { problemLine } from '../../src/knowledge/lines.js';
import { conceptFile, writeKnowledge } from '../helpers/knowledge.js';

function problemsOf(...args: Parameters<typeof writeKnowledge>): string[] {
  return readKnowledge(writeKnowledge(...args)).problems.map(formatProblem);
}

describe('knowledge validation', () => {
  it('loads a valid knowledge base with topics derived from ids', () => {
    const kb = loadKnowledge(
      writeKnowledge([
        { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], related: ['kafka/isr'] },
        { id: 'kafka/isr', title: 'In-sync replicas', prerequisites: [] },
      ]),
    );
    expect(kb.concepts.map((c) => [c.id, c.topic, c.slug])).toEqual([
      ['kafka/acks', 'kafka', 'acks'],
      ['kafka/isr', 'kafka', 'isr'],
    ]);
    expect(kb.byId.get('kafka/acks')?.related).toEqual(['kafka/isr']);
  });

  it('names the file, the field and the reason for schema errors', () => {
    const problems = problemsOf([{ id: 'kafka/acks', title: 'x'.repeat(81), sources: [] }]);
    expect(problems).toContain('kafka/acks.md: title: must be at most 80 characters; it has 81');
    expect(problems).toContain('kafka/acks.md: sources: must cite at least one official documentation page');
    // A body too short or too long says by how much.
    expect(problemsOf([{ id: 'kafka/acks', title: 'Acks', body: 'Too short.' }])).toContain('kafka/acks.md: body: must be at least 150 characters; it has 10');
  });

  it('reports YAML syntax errors with a line number', () => {
    const problems = problemsOf([], { 'kafka/broken.md': '---\nid: kafka/broken\ntitle: [unclosed\n---\nbody\n' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^kafka\/broken\.md: invalid YAML at line \d+/);
  });

  it('points at the line of the file, and says to quote a value with a colon in it', () => {
    const dir = writeKnowledge([], { 'kafka/colon.md': '---\nid: kafka/colon\ntitle: acks: all\n---\nbody\n' });
    const read = readKnowledge(dir).problems;
    expect(read.map(formatProblem)).toEqual(['kafka/colon.md: invalid YAML at line 3, column 8: Nested mappings are not allowed in compact mappings (a value that contains ": " or starts with [ or { must be in double quotes)']);
    // ... and gives that line to an editor (kb validate --json), as it does for a field's problem.
    expect(problemLine(dir, read[0]!)).toBe(3);
  });

  it('says a required field is missing in plain words', () => {
    const problems = problemsOf([], { 'kafka/untitled.md': '---\nid: kafka/untitled\nsummary: Something short.\n---\nbody\n' });
    expect(problems).toContain('kafka/untitled.md: title: is missing (expected text)');
  });

  it('refuses card files it would not load instead of skipping them', () => {
    const card = '---\nid: kafka/acks\ntitle: Acks\n---\nbody\n';
    const problems = problemsOf([{ id: 'kafka/isr', title: 'In-sync replicas' }], { 'stray.md': card, 'kafka/acks.markdown': card, 'kafka/nested/acks.md': card });
    expect(problems).toContain("stray.md: a card must sit in its topic's folder, e.g. kafka/<name>.md (this file is not loaded)");
    expect(problems).toContain('kafka/acks.markdown: is not loaded: a card is a ".md" file, rename it to acks.md');
    expect(problems.some((p) => p.startsWith('kafka/nested: cards sit directly in the topic folder'))).toBe(true);
  });

  it('rejects a file without front matter and an id that does not match the path', () => {
    const problems = problemsOf([{ id: 'kafka/other', title: 'Other' }], { 'kafka/plain.md': 'just text\n' });
    expect(problems).toContain('kafka/plain.md: must start with YAML front matter between two "---" lines');
    const unclosed = problemsOf([], { 'kafka/open.md': '---\nid: kafka/open\ntitle: Open\nbody text\n' });
    expect(unclosed).toContain('kafka/open.md: front matter opens with "---" but no "---" line closes it before the body');
    const moved = problemsOf([], { 'kafka/moved.md': '---\nid: kafka/elsewhere\n---\n' });
    expect(moved.some((p) => p.startsWith('kafka/moved.md'))).toBe(true);
  });

  it('names a misspelt or miscased field with the one it most likely was, and not also as missing', () => {
    const card = conceptFile({ id: 'kafka/acks', title: 'Producer acks', reviewed: { date: '2026-01-10', versions: { kafka: '4.1' } }, sources: [{ title: 'Docs', url: 'https://kafka.apache.org/docs/' }] })
      .replace('title: Producer acks', 'titel: Producer acks')
      .replace('reviewed:', 'Reviewed:')
      .replace('    url:', '    URL:')
      .replace('summary:', 'colour: red\nsummary:');
    const problems = problemsOf([], { 'kafka/acks.md': card });
    expect(problems).toContain('kafka/acks.md: unknown field "titel" (did you mean "title"?)');
    expect(problems).toContain('kafka/acks.md: unknown field "Reviewed" (did you mean "reviewed"?)');
    expect(problems).toContain('kafka/acks.md: sources[0]: unknown field "URL" (did you mean "url"?)');
    expect(problems.find((p) => p.includes('"colour"'))).toMatch(/^kafka\/acks\.md: unknown field "colour" \(the fields are "id", "title", .* and "reviewed"\)$/);
    expect(problems.filter((p) => /title: is missing|sources\[0\]\.url: is missing|Unrecognized key/.test(p))).toEqual([]);
    // Words authors reach for that are no typo of the field: "alias" for aliases, "explanation" for a quiz's why.
    const synonyms = conceptFile({ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], quiz: [{ question: 'What does acks=all wait for?', answer: 'Every in-sync replica', wrong: ['The leader', 'Nothing', 'A quorum of brokers'], why: 'It waits for the ISR.' }] })
      .replace('aliases:', 'alias:')
      .replace('why:', 'explanation:');
    const named = problemsOf([], { 'kafka/acks.md': synonyms });
    expect(named).toContain('kafka/acks.md: unknown field "alias" (did you mean "aliases"?)');
    expect(named).toContain('kafka/acks.md: quiz[0]: unknown field "explanation" (did you mean "why"?)');
  });

  it('says to rename a card file whose name is not lowercase kebab-case, rather than to set an invalid id', () => {
    const card = conceptFile({ id: 'kafka/tiered-storage', title: 'Tiered storage' });
    const problems = problemsOf([{ id: 'kafka/acks', title: 'Acks', related: ['kafka/tiered-storage'] }], { 'kafka/Tiered-Storage.md': card });
    expect(problems).toEqual(['kafka/Tiered-Storage.md: a card\'s file name must be lowercase kebab-case, like its id: rename it to kafka/tiered-storage.md (with id: kafka/tiered-storage)']);
    expect(problemsOf([], { 'kafka/Tiered Storage.md': card.replace('kafka/tiered-storage', 'kafka/Tiered Storage') })[0]).toContain('rename it to kafka/tiered-storage.md');
  });

  it('says everything wrong with a new card in one run, its id included', () => {
    // Written as kafka/fetch-size.md with the wrong id, a stolen name, a link nowhere and a source off the official site.
    const misplaced = conceptFile({ id: 'kafka/fetch', title: 'Fetch size', aliases: ['acks'], related: ['kafka/nowhere'], sources: [{ title: 'Blog', url: 'https://example.com/kafka' }] });
    expect(problemsOf([{ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] }], { 'kafka/fetch-size.md': misplaced })).toEqual([
      'kafka/fetch-size.md: id: must be "kafka/fetch-size" to match the file\'s path (or rename the file to kafka/fetch.md, as its id says)',
      'kafka/fetch-size.md: aliases[0]: "acks" is already a name of kafka/acks (kafka/acks.md): a name leads to one card, so keep it on one of the two',
      // Said on the other card too: which of the two brought the clash, the validator cannot know.
      'kafka/acks.md: aliases[0]: "acks" is also a name of kafka/fetch-size (kafka/fetch-size.md): a name leads to one card, so keep it on one of the two',
      'kafka/fetch-size.md: sources[0].url: must be on an official Apache Kafka site (kafka.apache.org)',
      'kafka/fetch-size.md: related[0]: unknown concept id "kafka/nowhere"',
    ]);
    // An alias that is another card's title is the alias's mistake, said on its card alone.
    expect(problemsOf([{ id: 'kafka/acks', title: 'Producer acks' }], { 'kafka/fetch-size.md': conceptFile({ id: 'kafka/fetch-size', title: 'Fetch size', aliases: ['Producer acks'] }) })).toEqual([
      'kafka/fetch-size.md: aliases[0]: "Producer acks" is the title of kafka/acks (kafka/acks.md): drop it here',
    ]);
    // With a schema error as well, the id is still named.
    const tooLong = conceptFile({ id: 'kafka/fetch', title: 'x'.repeat(81) });
    expect(problemsOf([], { 'kafka/fetch-size.md': tooLong })).toEqual([
      'kafka/fetch-size.md: title: must be at most 80 characters; it has 81',
      'kafka/fetch-size.md: id: must be "kafka/fetch-size" to match the file\'s path (or rename the file to kafka/fetch.md, as its id says)',
    ]);
    // Put in another topic's folder: moving it back is the fix, and said alone (not its sources and
    // versions checked against the folder's topic, nor the links to it that moving it back restores).
    const links = { id: 'kafka/acks', title: 'Producer acks', related: ['kafka/fetch-size'] };
    const kafkaSource = { sources: [{ title: 'Kafka docs', url: 'https://kafka.apache.org/documentation/' }] };
    expect(problemsOf([links], { 'spark/fetch-size.md': conceptFile({ id: 'kafka/fetch-size', title: 'Fetch size', ...kafkaSource }) })).toEqual([
      'spark/fetch-size.md: id: must be "spark/fetch-size" to match the file\'s path (or move the file to kafka/fetch-size.md, as its id says)',
    ]);
    // Copied from another card with its id kept: renaming the file to that id would overwrite the other card.
    expect(problemsOf([{ id: 'kafka/fetch', title: 'Fetch' }], { 'kafka/fetch-size.md': conceptFile({ id: 'kafka/fetch', title: 'Fetch size' }) })).toContain(
      'kafka/fetch-size.md: id: must be "kafka/fetch-size" to match the file\'s path: "kafka/fetch" is already the id of kafka/fetch.md (copied from it?)',
    );
  });

  it('refuses a card that is not UTF-8, saying on which line, and says it once', () => {
    const dir = writeKnowledge([{ id: 'kafka/fetch-size', title: 'Fetch size' }]);
    const file = join(dir, 'kafka', 'fetch-size.md');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, Buffer.concat([Buffer.from(`${text.trimEnd()}\nSaved as `), Buffer.from([0xff, 0xfe]), Buffer.from(' by an old editor.\n')]));
    const line = text.trimEnd().split('\n').length + 1;
    expect(readKnowledge(dir).problems.map(formatProblem)).toEqual([`kafka/fetch-size.md: is not UTF-8 text (line ${line} has bytes that are not): save it as UTF-8`]);
  });

  it('says what a malformed or missing id is, and what it is for that file; a date that is none only as such', () => {
    expect(problemsOf([], { 'kafka/fetch-size.md': conceptFile({ id: 'kafka/fetch-size', title: 'Fetch size' }).replace('id: kafka/fetch-size', 'id: Kafka/Fetch_Size') })).toEqual([
      'kafka/fetch-size.md: id: must look like topic/slug (lowercase, kebab-case); it is “Kafka/Fetch_Size”; this file\'s id is kafka/fetch-size',
    ]);
    expect(problemsOf([{ id: 'kafka/acks', title: 'Acks', reviewed: { date: '2026-13-45', versions: { kafka: '4.1' } } }])).toContain('kafka/acks.md: reviewed.date: must be a date like 2026-11-30');
    expect(problemsOf([{ id: 'kafka/acks', title: 'Acks', reviewed: { date: '2026-13-45', versions: { kafka: '4.1' } } }]).filter((p) => p.includes('in the future'))).toEqual([]);
  });

  it('reads a card saved with a byte-order mark or Windows line ends as the same card', () => {
    const card = conceptFile({ id: 'kafka/fetch-size', title: 'Fetch size' });
    expect(problemsOf([], { 'kafka/fetch-size.md': `\uFEFF${card.replace(/\n/g, '\r\n')}` })).toEqual([]);
    const problems: Problem[] = [];
    const read = parseConcept(`\uFEFF${card.replace(/\n/g, '\r\n')}`, 'kafka/fetch-size.md', problems, 'kafka/fetch-size');
    expect(problems).toEqual([]);
    expect(read?.body).toBe(parseConcept(card, 'kafka/fetch-size.md', [], 'kafka/fetch-size')?.body);
    expect(read?.body).not.toContain('\r');
  });

  it('reports a card that fails its checks once, not again at every link to it', () => {
    const broken = conceptFile({ id: 'kafka/acks', title: 'Producer acks' }).replace(/summary: .*\n/, '');
    const problems = problemsOf(
      [
        { id: 'kafka/isr', title: 'In-sync replicas', related: ['kafka/acks'], prerequisites: ['kafka/acks'] },
        { id: 'kafka/leader', title: 'Leader', related: ['kafka/acks', 'kafka/nowhere'] },
      ],
      { 'kafka/acks.md': broken },
    );
    expect(problems).toEqual(['kafka/acks.md: summary: is missing (expected text)', 'kafka/leader.md: related[1]: unknown concept id "kafka/nowhere"']);
  });

  it('names the card a link meant when only its case is off', () => {
    const problems = problemsOf([
      { id: 'kafka/connect', title: 'Kafka Connect' },
      { id: 'kafka/leader', title: 'Leader', related: ['Kafka/Connect'] },
    ]);
    expect(problems).toEqual(['kafka/leader.md: related[0]: unknown concept id "Kafka/Connect" (did you mean "kafka/connect"?)']);
  });

  it("rejects an alias that reads as another card's title without its topic word", () => {
    const problems = problemsOf([
      { id: 'kafka/connect', title: 'Kafka Connect' },
      { id: 'kafka/connectors', title: 'Source connectors', aliases: ['connect:'] },
    ]);
    expect(problems).toEqual(['kafka/connectors.md: aliases[0]: "connect:" reads as the name of kafka/connect ("Kafka Connect" without its topic word): say more ("connect: ...") or drop it']);
  });

  it('rejects duplicate names across concepts, ignoring case and punctuation', () => {
    const problems = problemsOf([
      { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] },
      { id: 'spark/acks', title: 'Spark acks', aliases: ['ACKS!'] },
    ]);
    expect(problems).toContain('spark/acks.md: aliases[0]: "ACKS!" is already a name of kafka/acks (kafka/acks.md): a name leads to one card, so keep it on one of the two');
  });

  it('checks keys: a key as the tool writes it, what it means on one line, each listed on one card only', () => {
    const means = 'What it does, in one line.';
    const problems = problemsOf([
      {
        id: 'kafka/acks',
        title: 'Producer acks',
        aliases: ['acks'],
        keys: [
          { key: 'delivery.timeout.ms', means },
          { key: 'DELIVERY.TIMEOUT.MS', means },
          { key: 'a key of far too many words', means },
          { key: 'retries', means: 'First line.\nSecond line.' },
          { key: 'acks', means },
        ],
      },
      { id: 'kafka/retries', title: 'Producer retries', keys: [{ key: 'delivery.timeout.ms', means }, ...Array.from({ length: 8 }, (_, i) => ({ key: `retry.setting.${i}`, means }))] },
      { id: 'kafka/linger', title: 'Producer linger', keys: [{ key: 'linger.ms', means }] },
    ]);
    expect(problems).toContain('kafka/acks.md: keys: must not list a key twice');
    expect(problemsOf([{ id: 'kafka/acks', title: 'Producer acks', keys: 'delivery.timeout.ms' as never }])).toEqual(['kafka/acks.md: keys: must be a list, not text']);
    expect(problemsOf([{ id: 'kafka/acks', title: 'Producer acks', keys: [{ key: '', means }] }])).toEqual(['kafka/acks.md: keys[0].key: must not be empty']);
    expect(problems).toContain('kafka/acks.md: keys[2].key: must be a key, flag, command or name as the tool writes it (at most four words)');
    expect(problems).toContain('kafka/acks.md: keys[3].means: must be one line');
    expect(problems).toContain('kafka/retries.md: keys: must list at most 8 keys');
    expect(problems.filter((p) => p.startsWith('kafka/linger.md'))).toEqual([]);
  });

  it('says a key listed on two cards, or one that is already a name of its card, leads nowhere new', () => {
    const means = 'What it does, in one line.';
    const problems = problemsOf([
      { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], keys: [{ key: 'delivery.timeout.ms', means }, { key: 'ACKS', means }] },
      { id: 'kafka/retries', title: 'Producer retries', keys: [{ key: 'delivery.timeout.ms', means }, { key: 'Producer ACKS', means }] },
    ]);
    expect(problems).toContain('kafka/retries.md: keys[1].key: "Producer ACKS" is a name of kafka/acks (kafka/acks.md): it leads there, so drop it here or move it');
    expect(problems).toContain('kafka/acks.md: keys[1].key: "ACKS" is already a name of this card: drop it here');
    expect(problems).toContain('kafka/retries.md: keys[0].key: "delivery.timeout.ms" is already a key of kafka/acks (kafka/acks.md): a key leads to one card, so keep it on one of the two');
    expect(problems).toContain('kafka/acks.md: keys[0].key: "delivery.timeout.ms" is also a key of kafka/retries (kafka/retries.md): a key leads to one card, so keep it on one of the two');
  });

  it('rejects unknown related and prerequisite ids, self links and cycles', () => {
    const problems = problemsOf([
      { id: 'kafka/a', title: 'A', related: ['kafka/missing', 'kafka/a', 'kafka/bb'], prerequisites: ['kafka/b'] },
      { id: 'kafka/b', title: 'B', prerequisites: ['kafka/a'] },
    ]);
    expect(problems).toContain('kafka/a.md: related[0]: unknown concept id "kafka/missing"');
    expect(problems).toContain('kafka/a.md: related[2]: unknown concept id "kafka/bb" (did you mean "kafka/b"?)');
    expect(problems).toContain('kafka/a.md: related[1]: must not name the concept itself');
    expect(problems.some((p) => p.includes('prerequisites form a cycle: kafka/a -> kafka/b -> kafka/a'))).toBe(true);
  });

  it('accepts only https sources on the topic’s official hosts', () => {
    const problems = problemsOf([
      { id: 'kafka/a', title: 'A', sources: [{ title: 'Blog', url: 'https://medium.com/kafka' }] },
      { id: 'kafka/b', title: 'B', sources: [{ title: 'Docs', url: 'http://kafka.apache.org/documentation' }] },
    ]);
    expect(problems).toContain('kafka/a.md: sources[0].url: must be on an official Apache Kafka site (kafka.apache.org)');
    expect(problems).toContain('kafka/b.md: sources[0].url: must be an https URL');
  });

  it('checks quiz shape: three distinct wrong options, none the answer, answer not in the question', () => {
    const problems = problemsOf([
      {
        id: 'kafka/a',
        title: 'A',
        quiz: [
          { question: 'Which setting waits for all in-sync replicas?', answer: 'acks=all', wrong: ['acks=0', 'acks=0', 'acks=all'], why: 'Because.' },
          { question: 'Is acks=all the safest?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'acks=2'], why: 'Because.' },
        ],
      },
      { id: 'kafka/b', title: 'B', quiz: [{ question: 'Which?', answer: 'acks=all', wrong: ['acks=0', 'acks=1'], why: 'Because.' }] },
    ]);
    expect(problems).toContain('kafka/a.md: quiz[0].wrong: wrong options must be distinct: "acks=0" is given twice (case and punctuation aside)');
    expect(problems).toContain('kafka/a.md: quiz[0].wrong[2]: must differ from the answer');
    expect(problems).toContain('kafka/b.md: quiz[0].wrong: must list exactly three wrong options (2 here)');
    expect(problems).toContain('kafka/a.md: quiz[1].question: must not contain the answer');
    // A why is one line under the reveal.
    const twoLines = problemsOf([{ id: 'kafka/a', title: 'A', quiz: [{ question: 'Which setting waits?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'acks=2'], why: 'Because.\nAnd more.' }] }]);
    expect(twoLines).toContain('kafka/a.md: quiz[0].why: must be one line (a YAML block like `|` keeps line breaks: write it on one line)');
  });

  it('keeps card bodies renderable everywhere: no headings, links, tables or HTML', () => {
    const body = `# Heading\nSee [docs](https://kafka.apache.org).\n<b>bold</b>\n| a | b |\n${'x'.repeat(150)}`;
    const problems = problemsOf([{ id: 'kafka/a', title: 'A', body }]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'kafka/a.md: body: must not contain headings (the card has its own title)',
        'kafka/a.md: body: must not contain links (put them in sources)',
        'kafka/a.md: body: must not contain tables',
        'kafka/a.md: body: must not contain HTML tags',
      ]),
    );
    // Links and headings written the other ways Markdown knows; a URL inside code is code.
    for (const other of ['See https://kafka.apache.org for more.', 'See <https://kafka.apache.org>.', 'See [the docs][1].\n\n[1]: docs', 'See www.example.com.']) {
      expect(problemsOf([{ id: 'kafka/a', title: 'A', body: `${other}\n${'x'.repeat(150)}` }]), other).toEqual(['kafka/a.md: body: must not contain links (put them in sources)']);
    }
    expect(problemsOf([{ id: 'kafka/a', title: 'A', body: `Failover\n--------\n${'x'.repeat(150)}` }])).toEqual(['kafka/a.md: body: must not contain headings (a line of = or - under a line of text makes one; the card has its own title)']);
    expect(problemsOf([{ id: 'kafka/a', title: 'A', body: `Connect with \`jdbc:hive2://host:10000\`.\n- one\n- two\n${'x'.repeat(150)}` }])).toEqual([]);
  });

  it('rejects a folder that is not a topic and a missing directory', () => {
    expect(problemsOf([], { 'flink/x.md': '---\n---\n' })[0]).toMatch(/^flink: folder is not a topic listed in topics.yaml/);
    expect(readKnowledge('/nonexistent/knowledge').problems[0]?.message).toBe('knowledge directory not found (KNOWLEDGE_DIR sets where it is)');
  });

  it('throws a KnowledgeError listing every problem', () => {
    const dir = writeKnowledge([{ id: 'kafka/a', title: 'A', related: ['kafka/x', 'kafka/y'] }]);
    expect(() => loadKnowledge(dir)).toThrowError(KnowledgeError);
    try {
      loadKnowledge(dir);
    } catch (err) {
      expect((err as KnowledgeError).problems).toHaveLength(2);
    }
  });
});
