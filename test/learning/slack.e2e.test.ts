import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOME_VIEW } from '../../src/adapters/slack/home.js';
import { silentLogger } from '../../src/core/log.js';
import { Outbox } from '../../src/core/outbox.js';
import { learnerOf } from '../../src/learning/learner.js';
import { reminderSender } from '../../src/learning/reminders.js';
import { slackHarness, TEAM } from '../helpers/slack.js';
import { DAY, KNOWLEDGE_DIR } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBlock = Record<string, any>;

let slack: Awaited<ReturnType<typeof slackHarness>>;
beforeAll(async () => {
  slack = await slackHarness(KNOWLEDGE_DIR);
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

const ALICE = learnerOf(`slack:${TEAM}:CGENERAL`, 'UALICE');
const buttonsOf = (blocks: AnyBlock[]): AnyBlock[] => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
const valuesOf = (blocks: AnyBlock[]) => buttonsOf(blocks).map((b) => String(b.value));
const textOf = (body: Record<string, unknown>) => JSON.stringify(body['blocks'] ?? body);
let responses = 0;

/** A slash command by Alice (or someone) in #general, and its answer through response_url. */
async function command(name: string, text: string, user = 'UALICE') {
  const id = `r${++responses}`;
  await slack.command(name, text, id, user);
  return (await slack.fake.firstResponseTo(id)).body;
}

/** A click on a button of a private (ephemeral) message in #general, and its answer. */
async function click(value: string, user = 'UALICE') {
  const id = `r${++responses}`;
  await slack.click({ action_id: `0:${value}`, value }, id, { ephemeral: true, user });
  return (await slack.fake.firstResponseTo(id)).body;
}

/** A click on the Home tab: a view container, no channel, no response_url. */
function homeClick(value: string, dmChannel = 'DALICE') {
  const payload = {
    type: 'block_actions',
    user: { id: 'UALICE', username: 'alice', name: 'alice', team_id: TEAM },
    api_app_id: 'AFAKE',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: 'V1' },
    trigger_id: '1.2.home',
    team: { id: TEAM, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: 'V1', team_id: TEAM, type: 'home', callback_id: HOME_VIEW, private_metadata: dmChannel, blocks: [], hash: 'h', app_id: 'AFAKE', bot_id: 'BBOTFAKE' },
    actions: [{ type: 'button', block_id: 'b1', action_id: `0:${value}`, value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000001.000001' }],
  };
  return slack.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
}

describe('Slack: learning through the real Bolt receiver', () => {
  it('/review asks privately, an answer is graded privately and moves the schedule; nothing is posted in the channel', async () => {
    expect(await click('again:kafka/c1')).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('kafka concept 1 comes back in your reviews tomorrow') });
    const before = await slack.app.store.learningCard(ALICE, 'kafka/c1');
    await slack.time.advance(DAY);
    const question = await command('/review', '');
    expect(question).toMatchObject({ response_type: 'ephemeral' });
    const answers = valuesOf(question['blocks'] as AnyBlock[]).filter((v) => v.startsWith('practice:'));
    expect(answers).toHaveLength(4);
    const id = answers[0]!.split(':')[1]!;
    const right = (await slack.app.store.getPractice(id))!.correct;
    const result = await click(answers[(right + 1) % 4]!);
    expect(result).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(result)).toContain('Not quite');
    expect(textOf(result)).toContain('A summary of idea number 1 in kafka');
    const after = await slack.app.store.learningCard(ALICE, 'kafka/c1');
    expect(after!.reps).toBe(before!.reps + 1);
    expect(after!.lapses).toBe(before!.lapses + 1);
    expect((await slack.app.store.getPractice(id))!.choice).toBe((right + 1) % 4);
    // The same button again: one answer per question.
    expect(textOf(await click(answers[right]!))).toContain('You answered this one already');
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('"I knew this" on a card feeds the clicker’s schedule, once per card message', async () => {
    const card = await command('/explain', 'kafka concept 2');
    expect(valuesOf(card['blocks'] as AnyBlock[])).toEqual(expect.arrayContaining(['knew:kafka/c2', 'again:kafka/c2', 'report:kafka/c2']));
    expect(textOf(await click('knew:kafka/c2'))).toContain('Noted that you knew kafka concept 2');
    expect(textOf(await click('knew:kafka/c2'))).toContain('Already noted for this card');
    expect((await slack.app.store.learningCard(ALICE, 'kafka/c2'))?.reps).toBe(1);
  });

  it('/progress answers privately with bars; /progress channel is refused to a member and shown to an admin', async () => {
    const mine = await command('/progress', '');
    expect(mine).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(mine)).toMatch(/Apache Kafka\*\\n[▒█]+░+/);
    const refused = await command('/progress', 'channel');
    expect(String(refused['text'])).toContain('Only channel managers can see a channel’s progress.');
    expect(String(refused['text'])).toContain('workspace admins and owners');
    const lead = await command('/progress', 'channel', 'UADMIN');
    expect(lead).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(lead)).toContain('People who answered');
  });

  it('publishes the Home tab on app_home_opened, and answers its buttons in the person’s DM', async () => {
    expect((await slack.event({ type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'home' })).status).toBe(200);
    const published = await slack.fake.firstCallOf('views.publish');
    expect(published.params['user_id']).toBe('UALICE');
    const view = published.params['view'] as AnyBlock;
    expect(view).toMatchObject({ type: 'home', callback_id: HOME_VIEW, private_metadata: 'DALICE' });
    expect(view['blocks'][0]).toMatchObject({ type: 'header', text: { text: 'Your Backfill' } });
    expect(buttonsOf(view['blocks']).map((b) => [b.text.text, b.value])).toEqual([
      ['Start a review', 'review:0:10'],
      ['Start a quiz', 'quizme'],
    ]);
    // The messages tab is not the Home tab.
    await slack.event({ type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'messages' });
    expect(slack.fake.callsOf('views.publish')).toHaveLength(1);

    await slack.time.advance(2 * DAY);
    expect((await homeClick('review:0:10')).status).toBe(200);
    const review = await slack.fake.waitFor(() => slack.fake.messagesIn('DALICE')[0]);
    expect(valuesOf(review.blocks as AnyBlock[]).filter((v) => v.startsWith('practice:'))).toHaveLength(4);
    await homeClick('quizme');
    const texts = () => slack.fake.messagesIn('DALICE').map((m) => String(m.text));
    await slack.fake.waitFor(() => texts().some((t) => t.includes('Question 1 of 5')) && texts().some((t) => t.includes('just for you')));
    await slack.app.quizzes.stop(`slack:${TEAM}:DALICE`, { id: 'UALICE', name: 'Alice', isManager: true });
    await slack.fake.waitFor(() => texts().some((t) => t.includes('Quiz over')));
    // A view whose metadata is not a DM is not ours to answer.
    const posts = slack.fake.callsOf('chat.postMessage').length;
    await homeClick('review:0:10', 'CGENERAL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.fake.callsOf('chat.postMessage').length).toBe(posts);
  });

  it('/review remind opens the DM and the reminder arrives there once, keyed for exactly-once', async () => {
    await click('again:kafka/c4');
    await slack.time.advance(DAY);
    const set = await command('/review', 'remind 23:30 UTC');
    expect(String(set['text'])).toContain('Reminders on: a direct message at 23:30 (UTC)');
    expect(slack.fake.callsOf('conversations.open')[0]?.params).toMatchObject({ users: 'UALICE' });
    expect(await slack.app.learning.reminder(ALICE)).toEqual({ time: '23:30', timezone: 'UTC', address: `slack:${TEAM}:DALICE` });
    const outbox = new Outbox({ store: slack.app.store, messenger: slack.app.messengers, clock: slack.time, timers: slack.time, log: silentLogger });
    const sender = reminderSender(outbox, slack.app.messengers);
    const day = slack.time.now().toISOString().slice(0, 10);
    await slack.time.advanceTo(`${day}T23:30:00Z`);
    expect(await slack.app.learning.sweepReminders(sender)).toBe(1);
    expect(await slack.app.learning.sweepReminders(sender)).toBe(0);
    const sent = slack.fake.messagesIn('DALICE');
    expect(sent.map((m) => String(m.text))).toEqual([expect.stringMatching(/^\d+ concepts? to review\nDue today:\n(.*\n)*• kafka concept 4\n/)]);
    expect(sent[0]!.metadata).toEqual({ event_type: 'backfill_post', event_payload: { key: `remind:slack:${TEAM}:UALICE:${day}` } });
    expect(valuesOf(sent[0]!.blocks as AnyBlock[])).toEqual(['review:0:10']);
    // A refusal to open a DM is one clear line, and nothing changes.
    slack.fake.fail('conversations.open', { error: 'missing_scope' });
    const refused = await command('/review', 'remind 07:00');
    expect(String(refused['text'])).toContain('I could not open a direct message with you here (missing_scope)');
    expect((await slack.app.learning.reminder(ALICE))?.time).toBe('23:30');
    expect(String((await command('/review', 'remind off'))['text'])).toContain('Reminders off.');
  });

  it('/review remind typed in a DM between two people goes to the bot\'s own DM with the person, not that DM', async () => {
    const id = `r${++responses}`;
    await slack.command('/review', 'remind 07:15 UTC', id, 'UALICE', 'DALICEBOB');
    expect(String((await slack.fake.firstResponseTo(id)).body['text'])).toContain('Reminders on: a direct message at 07:15 (UTC)');
    expect(slack.fake.callsOf('conversations.open').map((c) => c.params['users'])).toEqual(['UALICE']);
    expect((await slack.app.learning.reminder(learnerOf(`slack:${TEAM}:DALICEBOB`, 'UALICE')))?.address).toBe(`slack:${TEAM}:DALICE`);
    expect(String((await command('/review', 'remind off'))['text'])).toContain('Reminders off.');
  });

  it('"Report a problem" on a revealed question: the kind by button, stored without a user id', async () => {
    const chooser = await click('report:kafka/c3#0');
    expect(chooser).toMatchObject({ response_type: 'ephemeral' });
    expect(valuesOf(chooser['blocks'] as AnyBlock[])).toEqual(['reported:wrong:kafka/c3#0', 'reported:unclear:kafka/c3#0', 'reported:outdated:kafka/c3#0']);
    expect(textOf(await click('reported:unclear:kafka/c3#0'))).toContain('Thanks: reported a quiz question about kafka concept 3 as unclear.');
    const [report] = await slack.app.learning.reports();
    expect(report).toMatchObject({ conceptId: 'kafka/c3', questionKey: 'kafka/c3#0', kind: 'unclear', note: null, platform: 'slack' });
    expect(JSON.stringify(report)).not.toContain('UALICE');
  });
});
