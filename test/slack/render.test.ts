import { describe, expect, it } from 'vitest';
import { escapeText, markdownToMrkdwn, mrkdwnLink, splitMrkdwn, truncateMrkdwn } from '../../src/adapters/slack/mrkdwn.js';
import { buttonAction, fallbackText, renderReply, SLACK_LIMITS, type SlackMessage } from '../../src/adapters/slack/render.js';
import { buttons, context, divider, fields, links, reply, text, type Reply } from '../../src/core/reply.js';

type AnyBlock = Record<string, any>;

/** Every text object's text in a message, the measure of Slack's size limit. */
function texts(message: SlackMessage): string[] {
  const out: string[] = [];
  for (const b of message.blocks as AnyBlock[]) {
    if (b.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) {
      if (typeof e.text === 'string') out.push(e.text);
      else if (e.text) out.push(e.text.text, e.value ?? '');
    }
  }
  return out;
}

function expectWithinLimits(message: SlackMessage): void {
  const blocks = message.blocks as AnyBlock[];
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackChars);
  const actionIds: string[] = [];
  for (const b of blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === 'context') for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
      for (const e of b.elements) {
        expect(e.text.text.length).toBeGreaterThan(0);
        expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect(e.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
        expect(e.action_id.length).toBeLessThanOrEqual(SLACK_LIMITS.actionId);
        actionIds.push(e.action_id);
      }
    }
  }
  expect(new Set(actionIds).size).toBe(actionIds.length);
  const total = texts(message).reduce((n, t) => n + t.length, 0) + message.text.length;
  expect(total).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
}

const card: Reply = reply(
  [
    context('Apache Kafka · kafka/acks'),
    text('**How many acknowledgements** a producer waits for.'),
    fields([{ label: 'Related', value: 'In-sync replicas' }]),
    links([{ label: 'Kafka docs', url: 'https://kafka.apache.org/documentation/#producerconfigs_acks' }]),
    buttons([
      { action: 'explain:kafka/isr', label: 'In-sync replicas' },
      { action: 'share:kafka/acks', label: 'Share in channel', style: 'primary' },
    ]),
  ],
  { title: 'Producer acks', ephemeral: true },
);

describe('Slack rendering of a card', () => {
  it('maps each neutral block to Block Kit', () => {
    const message = renderReply(card);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'context', 'actions']);
    const [header, , summary, related, sources, actions] = message.blocks as AnyBlock[];
    expect(header!.text).toMatchObject({ type: 'plain_text', text: 'Producer acks' });
    expect(summary!.text).toEqual({ type: 'mrkdwn', text: '*How many acknowledgements* a producer waits for.', verbatim: true });
    expect(related!.fields[0].text).toBe('*Related*\nIn-sync replicas');
    expect(sources!.elements[0].text).toBe('<https://kafka.apache.org/documentation/#producerconfigs_acks|Kafka docs>');
    expect(actions!.elements).toEqual([
      { type: 'button', text: { type: 'plain_text', text: 'In-sync replicas', emoji: true }, action_id: '0:explain:kafka/isr', value: 'explain:kafka/isr' },
      { type: 'button', text: { type: 'plain_text', text: 'Share in channel', emoji: true }, action_id: '1:share:kafka/acks', value: 'share:kafka/acks', style: 'primary' },
    ]);
    expectWithinLimits(message);
  });

  it('reads the core action back from a click, by value or by action_id', () => {
    expect(buttonAction({ action_id: '1:share:kafka/acks', value: 'share:kafka/acks' })).toBe('share:kafka/acks');
    expect(buttonAction({ action_id: '12:quiz:abc:2' })).toBe('quiz:abc:2');
  });

  it('gives a plain fallback text without the buttons', () => {
    const fallback = fallbackText(card);
    expect(fallback.split('\n')[0]).toBe('Producer acks');
    expect(fallback).toContain('*How many acknowledgements* a producer waits for.');
    expect(fallback).toContain('Kafka docs: https://kafka.apache.org/documentation/#producerconfigs_acks');
    expect(fallback).not.toContain('Share in channel');
    expect(renderReply(reply([])).text).toBe('Backfill');
  });
});

describe('Markdown to mrkdwn', () => {
  it('translates bold, bullets and headings', () => {
    expect(markdownToMrkdwn('**acks=all** waits\n- one\n- two\n  * nested\n# Heading')).toBe('*acks=all* waits\n• one\n• two\n  • nested\n*Heading*');
  });

  it('leaves code alone except for escaping, and drops fence language tags', () => {
    expect(markdownToMrkdwn('use `**not bold** & <b>` here')).toBe('use `**not bold** &amp; &lt;b&gt;` here');
    expect(markdownToMrkdwn('Example:\n```sql\n- not a bullet\nSELECT a < b\n```\nafter **bold**')).toBe(
      'Example:\n```\n- not a bullet\nSELECT a &lt; b\n```\nafter *bold*',
    );
    expect(markdownToMrkdwn('```\nunclosed')).toBe('```\nunclosed\n```');
  });

  it('names help by its Slack slash command', () => {
    expect(markdownToMrkdwn('Type `/help` or `/help quiz`; `/helpful` stays')).toBe('Type `/backfill` or `/backfill quiz`; `/helpful` stays');
  });
});

describe('escaping', () => {
  const hostile = 'Hi <!channel> <!here> <@U123> <#C42> @everyone @here & <https://evil.example|click>';

  it('escapes &, < and > and breaks broadcast words', () => {
    expect(escapeText('a & b <c> @channel')).toBe('a &amp; b &lt;c&gt; @\u2060channel');
  });

  it('lets no text anywhere in a message form a mention or a link', () => {
    const message = renderReply(
      reply(
        [
          text(hostile),
          context(hostile),
          fields([{ label: hostile, value: hostile }]),
          links([{ label: hostile, url: 'https://ok.example/a?b=1&c=<2>|3' }]),
          buttons([{ action: 'explain:x', label: hostile }]),
        ],
        { title: hostile },
      ),
    );
    const all = [...texts(message), message.text];
    for (const t of all) {
      expect(t).not.toMatch(/<[!@#]/);
      expect(t).not.toMatch(/<https:\/\/evil/);
      expect(t).not.toMatch(/@(everyone|here|channel)/);
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(all.join('\n')).toContain('&lt;!channel&gt;');
    // The one link is the one the renderer made from the links block.
    const sources = (message.blocks as AnyBlock[]).find((b) => b.type === 'context' && b.elements[0].text.startsWith('<'));
    expect(sources!.elements[0].text).toMatch(/^<https:\/\/ok\.example\/a\?b=1&amp;c=%3C2%3E%7C3\|[^<>]+>$/);
  });

  it('never links a URL that is not http(s)', () => {
    expect(mrkdwnLink('run me', 'javascript:alert(1)')).toBe('run me (javascript:alert(1))');
  });
});

describe('Slack limits', () => {
  const long = (n: number, word = 'lorem ') => word.repeat(Math.ceil(n / word.length)).slice(0, n);

  it('keeps a huge reply within every limit, keeps its buttons, and says it was shortened', () => {
    const huge = reply(
      [
        text(long(100_000)),
        ...Array.from({ length: 80 }, (_, i) => text(`paragraph ${i} & ${long(500)}`)),
        fields(Array.from({ length: 200 }, (_, i) => ({ label: `field ${i} ${long(300)}`, value: long(5000) }))),
        context(long(10_000)),
        links(Array.from({ length: 100 }, (_, i) => ({ label: `link ${i}`, url: `https://example.com/${i}/${long(50, 'x')}` }))),
        divider(),
        buttons(Array.from({ length: 60 }, (_, i) => ({ action: `quiz:${i}:${long(3000, 'a')}`, label: `answer ${i} ${long(200)}` }))),
      ],
      { title: long(1000) },
    );
    const message = renderReply(huge);
    expectWithinLimits(message);
    const blocks = message.blocks as AnyBlock[];
    expect(blocks.some((b) => b.type === 'actions')).toBe(true);
    expect(JSON.stringify(blocks)).toContain('shortened to fit');
  });

  it('splits long text at paragraphs and fields into sections of ten', () => {
    const paragraphs = Array.from({ length: 5 }, (_, i) => `${i}: ${long(1400)}`).join('\n\n');
    const message = renderReply(reply([text(paragraphs), fields(Array.from({ length: 23 }, (_, i) => ({ label: `f${i}`, value: 'v' })))]));
    const sections = (message.blocks as AnyBlock[]).filter((b) => b.type === 'section');
    expect(sections.filter((s) => s.text).map((s) => s.text.text.slice(0, 2))).toEqual(['0:', '2:', '4:']);
    expect(sections.filter((s) => s.fields).map((s) => s.fields.length)).toEqual([10, 10, 3]);
    expect(JSON.stringify(message.blocks)).not.toContain('shortened');
    expectWithinLimits(message);
  });

  it('puts more than 25 buttons in several actions blocks with unique action ids', () => {
    const message = renderReply(reply([buttons(Array.from({ length: 30 }, (_, i) => ({ action: 'same', label: `b${i}` })))]));
    const actions = (message.blocks as AnyBlock[]).filter((b) => b.type === 'actions');
    expect(actions.map((a) => a.elements.length)).toEqual([25, 5]);
    expectWithinLimits(message);
  });

  it('truncates without breaking an entity or a link, and closes an open code fence', () => {
    expect(truncateMrkdwn('a &amp; b', 5)).toBe('a…');
    expect(truncateMrkdwn('see <https://x.example|docs> now', 20)).toBe('see…');
    const cut = truncateMrkdwn(`text\n\`\`\`\n${'x'.repeat(100)}\n\`\`\``, 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut.endsWith('…\n```')).toBe(true);
    expect(splitMrkdwn('```\na\n\nb\n```\n\nc', 12)).toEqual(['```\na\n\nb\n```', 'c']);
  });
});
