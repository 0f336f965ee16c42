import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeKnowledge } from '../helpers/knowledge.js';
import { slackHarness, TEAM } from '../helpers/slack.js';

/**
 * Slack display names are chosen by people and shown to everyone: under a shared card, in a quiz
 * reveal. In mrkdwn only `<...>` makes a link or a mention, and only unescaped; bare URLs are not
 * linked in text objects marked `verbatim`.
 */

type AnyBlock = Record<string, any>;

const dir = writeKnowledge([
  {
    id: 'kafka/acks',
    title: 'Producer acks',
    aliases: ['acks'],
    quiz: [{ question: 'Which setting waits for all in-sync replicas?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'linger.ms'], why: 'Because all means all.' }],
  },
]);

const HOSTILE: Array<[string, string]> = [
  ['UEVIL1', '<https://evil.tld|Verify>'],
  ['UEVIL2', '<!channel> <!here> <@U0ADMIN>'],
  ['UEVIL3', 'https://evil.tld/login'],
  ['UEVIL4', '&lt;https://evil.tld|pre-escaped&gt;'],
];

let slack: Awaited<ReturnType<typeof slackHarness>>;
beforeAll(async () => {
  slack = await slackHarness(dir);
  for (const [id, name] of HOSTILE) slack.fake.addUser({ id, display_name: name });
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

/** Every mrkdwn text object of some blocks. */
function mrkdwnObjects(blocks: AnyBlock[]): Array<{ text: string; verbatim?: boolean }> {
  const found: Array<{ text: string; verbatim?: boolean }> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['type'] === 'mrkdwn' && typeof o['text'] === 'string') found.push(o as { text: string; verbatim?: boolean });
    Object.values(o).forEach(visit);
  };
  visit(blocks);
  return found;
}

/** Live `<...>` syntax: links, user and channel mentions, special mentions. */
const liveSyntax = (mrkdwn: string) => mrkdwn.match(/<(?:[a-z][a-z0-9+.-]*:|[!@#])[^>]*>/gi) ?? [];

function expectInert(blocks: AnyBlock[], name: string): void {
  const texts = mrkdwnObjects(blocks);
  const withName = texts.filter((t) => t.text.includes(name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/@(here|channel|everyone)\b/gi, '@\u2060$1')));
  expect(withName.length, JSON.stringify(texts)).toBeGreaterThan(0);
  for (const t of withName) {
    expect(t.verbatim).toBe(true);
    expect(liveSyntax(t.text), t.text).toEqual([]);
  }
}

describe('hostile display names on Slack', () => {
  it.each(HOSTILE)('"Shared by" %s shows %s as text', async (user, name) => {
    await slack.click({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' }, `share-${user}`, { ephemeral: true, user });
    // Shared in the channel through the click's response_url.
    const post = await slack.fake.firstResponseTo(`share-${user}`);
    expect(post.body['response_type']).toBe('in_channel');
    expectInert(post.body['blocks'] as AnyBlock[], name);
  });

  it('shows the name as text in a quiz reveal', async () => {
    await slack.command('/quiz', 'kafka 1', 'quiz-hostile', 'UEVIL1');
    const question = await slack.fake.firstCallOf('chat.postMessage');
    const answers = (question.params['blocks'] as AnyBlock[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
    const ts = String(question.response?.['ts']);
    const quiz = await slack.app.store.latestQuiz(`slack:${TEAM}:CGENERAL`, 'quiz');
    const q = await slack.app.store.getQuestion(quiz!.id, 0);
    const right = answers[q!.correct];
    await slack.click({ action_id: right.action_id, value: right.value }, 'answer-hostile', { messageTs: ts, user: 'UEVIL1' });
    await slack.fake.firstResponseTo('answer-hostile');
    await slack.time.advance(20_000);
    const reveal = await slack.fake.firstCallOf('chat.update');
    expectInert(reveal.params['blocks'] as AnyBlock[], '<https://evil.tld|Verify>');
  });
});

describe('hostile command arguments on Slack', () => {
  // What a person typed is echoed back in a refusal ("Unknown topic “…”"): it must stay text.
  it.each([
    ['/quiz', '<@U0ADMIN> <!channel>'],
    ['/topics', '<https://evil.tld|docs>'],
    ['/daily', 'subscribe <!here>'],
    ['/explain', '<https://evil.tld|click me> <!channel>'],
  ])('%s %s is answered without a live mention or link', async (command, text) => {
    await slack.command(command, text, `hostile-${command}`, 'UEVIL2');
    const reply = (await slack.fake.firstResponseTo(`hostile-${command}`)).body;
    const texts = [String(reply['text'] ?? ''), ...mrkdwnObjects((reply['blocks'] as AnyBlock[] | undefined) ?? []).map((t) => t.text)];
    expect(texts.join('\n'), 'the argument is echoed, as text').toMatch(/&lt;(?:@U0ADMIN|https:\/\/evil|!here)/);
    for (const t of texts) expect(liveSyntax(t), t).toEqual([]);
  });
});
