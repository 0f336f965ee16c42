import { ButtonStyle, MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { escapeUserText } from '../../src/adapters/discord/escape.js';
import { channelMessage, embedLength, fitMarkdown, LIMITS, neutraliseMentions, renderForDiscord } from '../../src/adapters/discord/render.js';
import { buttons, context, divider, fields, links, notice, reply, text, type Button } from '../../src/core/reply.js';
import { liveLinks, markdownOf } from './links.js';

const card = reply(
  [
    context('Apache Kafka · kafka/acks'),
    text('**How many replicas must confirm a write.**'),
    text('With `acks=all` the leader waits for every in-sync replica.'),
    fields([
      { label: 'Builds on', value: 'Replication' },
      { label: 'Related', value: 'In-sync replicas' },
    ]),
    links([{ label: 'Kafka docs', url: 'https://kafka.apache.org/documentation/#producerconfigs_acks' }]),
    buttons([
      { action: 'explain:kafka/isr', label: 'In-sync replicas' },
      { action: 'share:kafka/acks', label: 'Share in channel', style: 'primary' },
    ]),
  ],
  { title: 'Producer acks', ephemeral: true },
);

const allButtons = (m: ReturnType<typeof renderForDiscord>) => m.components.flatMap((row) => row.components);

describe('renderForDiscord', () => {
  it('renders a card as one embed with its blocks in order, and a row of buttons', () => {
    const m = renderForDiscord(card);
    expect(m.flags).toBe(MessageFlags.Ephemeral);
    expect(m.content).toBeUndefined();
    const [embed] = m.embeds;
    expect(embed?.title).toBe('Producer acks');
    expect(embed?.description).toBe('-# Apache Kafka · kafka/acks\n\n**How many replicas must confirm a write.**\n\nWith `acks=all` the leader waits for every in-sync replica.');
    expect(embed?.fields).toEqual([
      { name: 'Builds on', value: 'Replication', inline: true },
      { name: 'Related', value: 'In-sync replicas', inline: true },
      { name: '\u200b', value: '[Kafka docs](https://kafka.apache.org/documentation/#producerconfigs_acks)' },
    ]);
    expect(allButtons(m)).toEqual([
      { type: 2, custom_id: 'explain:kafka/isr', label: 'In-sync replicas', style: ButtonStyle.Secondary },
      { type: 2, custom_id: 'share:kafka/acks', label: 'Share in channel', style: ButtonStyle.Primary },
    ]);
  });

  it('sends a short untitled notice as plain content', () => {
    expect(renderForDiscord(notice('Locked in: B. Leader.'))).toEqual({ content: 'Locked in: B. Leader.', embeds: [], components: [], flags: MessageFlags.Ephemeral });
    expect(renderForDiscord(reply([text('For everyone')])).flags).toBeUndefined();
  });

  it('never sends an empty message, and drops the ephemeral flag for channel posts', () => {
    expect(renderForDiscord(reply([])).content).toBe('…');
    expect(channelMessage(card)).not.toHaveProperty('flags');
    expect(renderForDiscord(reply([divider()], { title: 'T' })).embeds[0]?.description).toMatch(/^─+$/);
  });

  it('keeps titles, descriptions and fields within their limits, ending cut text with an ellipsis', () => {
    const m = renderForDiscord(reply([text('d'.repeat(5000)), fields([{ label: 'n'.repeat(300), value: 'v'.repeat(2000) }])], { title: 't'.repeat(300) }));
    const [embed] = m.embeds;
    expect(embed?.title).toHaveLength(LIMITS.title);
    expect(embed?.title?.endsWith('…')).toBe(true);
    expect(embed?.description).toHaveLength(LIMITS.description);
    expect(embed?.fields?.[0]?.name).toHaveLength(LIMITS.fieldName);
    expect(embed!.fields![0]!.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(embed!.fields![0]!.value.endsWith('…')).toBe(true);
    expect(embedLength(embed!)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('keeps at most 25 fields, the last saying how many more there were, and 6000 characters in all', () => {
    const many = fields(Array.from({ length: 40 }, (_, i) => ({ label: `field ${i}`, value: 'x'.repeat(1000) })));
    const [embed] = renderForDiscord(reply([text('intro'), many], { title: 'Many' })).embeds;
    expect(embedLength(embed!)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(embed!.fields!.length).toBeLessThanOrEqual(LIMITS.fields);

    const short = fields(Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`, value: `v${i}` })));
    const fieldsOut = renderForDiscord(reply([short], { title: 'Short' })).embeds[0]!.fields!;
    expect(fieldsOut).toHaveLength(LIMITS.fields);
    expect(fieldsOut[24]?.value).toBe('…and 16 more');
  });

  it('puts five buttons in a row and at most five rows, with labels of 80 and valid unique custom ids', () => {
    const many: Button[] = Array.from({ length: 30 }, (_, i) => ({ action: `a:${i}`, label: `${'L'.repeat(100)}${i}` }));
    const m = renderForDiscord(reply([buttons(many)], { title: 'Buttons' }));
    expect(m.components).toHaveLength(LIMITS.rows);
    for (const row of m.components) expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    expect(allButtons(m).every((b) => b.label!.length <= LIMITS.label && b.label!.endsWith('…'))).toBe(true);

    const odd = renderForDiscord(
      reply([buttons([{ action: 'x'.repeat(101), label: 'too long' }, { action: 'ok', label: 'OK' }, { action: 'ok', label: 'again' }, { action: '', label: 'empty' }]), buttons([{ action: 'next', label: 'Next', style: 'danger' }])]),
    );
    expect(odd.components.map((row) => row.components.map((b) => b.custom_id))).toEqual([['ok'], ['next']]);
    expect(allButtons(odd)[1]?.style).toBe(ButtonStyle.Danger);
  });

  it('neutralises @everyone, @here and user, role and channel mentions everywhere it puts text', () => {
    const hostile = '@everyone @here <@123> <@!123> <@&456> <#789>';
    const m = renderForDiscord(
      reply([text(hostile), context(hostile), fields([{ label: hostile, value: hostile }]), links([{ label: hostile, url: 'https://example.com' }]), buttons([{ action: 'a', label: hostile }])], { title: hostile }),
    );
    const out = JSON.stringify(m);
    expect(out).not.toMatch(/@(everyone|here)/);
    expect(out).not.toMatch(/<[@#]/);
    expect(renderForDiscord(notice(hostile)).content).toBe(neutraliseMentions(hostile));
    expect(neutraliseMentions('mail me at a@b.c')).toBe('mail me at a@b.c');
  });

  it('closes a code fence that truncation left open', () => {
    const code = `Example\n\`\`\`\n${'x = 1\n'.repeat(1000)}\`\`\``;
    const cut = fitMarkdown(code, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith('…\n```')).toBe(true);
    expect(fitMarkdown('short `code`', 200)).toBe('short `code`');
  });

  it('writes links as Markdown links that survive parentheses, and plain labels for non-web URLs', () => {
    const m = renderForDiscord(reply([links([{ label: 'Wiki [x]', url: 'https://en.wikipedia.org/wiki/Kafka_(software)' }, { label: 'Local', url: 'file:///etc/passwd' }])], { title: 'L' }));
    expect(m.embeds[0]?.description).toBe('[Wiki \\[x\\]](https://en.wikipedia.org/wiki/Kafka_%28software%29) · Local');
  });
});

describe('user text and links on Discord', () => {
  const HOSTILE = [
    '[Verify](https://evil.tld)',
    '[[Verify](https://evil.tld)',
    '[Verify](<https://evil.tld>)',
    '[x](https:\\/\\/evil.tld)',
    '<https://evil.tld>',
    'see https://evil.tld/login',
    'http://evil.tld',
    '**bold** _it_ __u__ ~~s~~ ||spoiler|| `code` ```fence```',
    '# Big\n> quote\n-# small\n- item\n1. first',
    '\\[escaped](https://evil.tld)',
  ];

  it.each(HOSTILE)('escapeUserText(%j) links nowhere, formats nothing, and reads as typed', (value) => {
    const escaped = escapeUserText(value);
    expect(liveLinks(escaped)).toEqual([]);
    // Discord drops a backslash before punctuation: what people read is what was typed.
    expect(escaped.replace(/\\([^0-9A-Za-z\s])/g, '$1')).toBe(value);
    expect(escaped).not.toMatch(/(^|[^\\])(\*\*|__|~~|\|\|)/);
    expect(escaped).not.toMatch(/^(#|>|-#|- |1\.)/m);
  });

  it('renders a name in a reveal, the standings and a leaderboard row as plain text', () => {
    const name = escapeUserText('[Verify](https://evil.tld)');
    const m = renderForDiscord(reply([fields([{ label: 'Got it right', value: `${name}, Bob` }]), text(`1. **${name}**: 150 pts`), context(`Shared by ${name}`)], { title: 'Quiz over' }));
    expect(markdownOf(m).join("\n")).toContain("Shared by");
    for (const s of markdownOf(m)) expect(liveLinks(s)).toEqual([]);
    expect(m.embeds[0]!.fields![0]!.value.replace(/\\(.)/g, '$1')).toBe('[Verify](https://evil.tld), Bob');
  });

  it('links nothing a person could have put into prose, but keeps the links of a card and text in code', () => {
    const m = renderForDiscord(
      reply([
        text('I have no card that matches “[Verify](https://evil.tld) or https://evil.tld”.'),
        text('Use `k8s://https://host:6443` as the master, or:\n```\nspark.master k8s://https://host:6443\n```'),
        links([{ label: 'Spark docs', url: 'https://spark.apache.org/docs/latest/' }]),
      ]),
    );
    const description = m.embeds[0]?.description ?? m.content!;
    expect(liveLinks(description)).toEqual(['https://spark.apache.org/docs/latest/']);
    expect(description).toContain('`k8s://https://host:6443`');
    expect(description).toContain('spark.master k8s://https://host:6443\n```');
  });

  it('leaves brackets that form no link alone', () => {
    expect(renderForDiscord(notice('args=[kafka 5]')).content).toBe('args=[kafka 5]');
  });
});
