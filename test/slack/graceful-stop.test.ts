import { describe, expect, it } from 'vitest';
import { text } from '../../src/core/reply.js';
import type { Logger } from '../../src/core/log.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { slackHarness } from '../helpers/slack.js';

/** Stopping the Slack process: no new requests, and what was under way finishes first, within a limit. */

const dir = writeKnowledge([{ id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'] }]);

function recordingLog(lines: string[]): Logger {
  const keep = (m: string) => void lines.push(m);
  return { debug: () => undefined, info: keep, warn: keep, error: keep };
}

/** The harness, stopped by the test itself: only the database and the fake are left to close. */
async function started(options: { drainMs?: number; log?: Logger } = {}) {
  const slack = await slackHarness(dir, options);
  return { slack, cleanUp: async () => Promise.all([slack.app.close(), slack.fake.close()]) };
}

describe('stopping Slack gracefully', () => {
  it('answers a command it acked before the stop, and takes no request after it', async () => {
    const { slack, cleanUp } = await started();
    slack.fake.slowDown('users.info', 300);
    expect((await slack.command('/explain', 'acks', 'in-flight')).status).toBe(200);
    await slack.running.stop();
    expect(slack.fake.responsesTo('in-flight')).toHaveLength(1);
    await expect(slack.command('/explain', 'acks', 'too-late')).rejects.toThrow();
    await cleanUp();
  });

  it('lets the posts under way finish, the one waiting its turn in the channel too, before it stops sending', async () => {
    const { slack, cleanUp } = await started();
    // Slack takes the first post, and answers 300 ms later; the second waits in the channel's lane.
    slack.fake.hold('chat.postMessage', (params) => JSON.stringify(params['blocks']).includes('first'), { deliver: true, onHeld: (answer) => setTimeout(answer, 300) });
    const first = slack.app.messengers.send('slack:TFAKE:CSLOW', { blocks: [text('first')] });
    const second = slack.app.messengers.send('slack:TFAKE:CSLOW', { blocks: [text('second')] });
    await slack.fake.firstCallOf('chat.postMessage');
    await slack.running.stop();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(slack.fake.messagesIn('CSLOW').map((m) => m.text)).toEqual(['first', 'second']);
    await cleanUp();
  });

  it('stops after its limit when a post never finishes, saying what was cut off', async () => {
    const lines: string[] = [];
    const { slack, cleanUp } = await started({ drainMs: 300, log: recordingLog(lines) });
    slack.fake.hold('chat.postMessage', () => true, { deliver: false });
    void slack.app.messengers.send('slack:TFAKE:CSTUCK', { blocks: [text('stuck')] }).catch(() => undefined);
    await slack.fake.firstCallOf('chat.postMessage');
    const stopping = Date.now();
    await slack.running.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(lines).toContain('slack: stopped after 300 ms with 0 requests and 1 posts or edits still under way');
    await cleanUp();
  });
});
