import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SOCKETS, responder } from '../../src/adapters/slack/respond.js';

/** A response_url on loopback: answers each POST with `status` (none: never answers), recording the bodies and counting connections. */
async function responseUrl(status: number | undefined): Promise<{ url: string; bodies: unknown[]; server: Server; connections: () => number }> {
  const bodies: unknown[] = [];
  let connections = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push({ method: req.method, type: req.headers['content-type'], json: JSON.parse(body) });
      if (status === undefined) return;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'expired_url');
    });
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond/1`, bodies, server, connections: () => connections };
}

describe('answering through a response_url', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('posts the message as JSON and resolves once Slack accepts it, over one kept-alive connection', async () => {
    const target = await responseUrl(200);
    servers.push(target.server);
    const respond = responder(target.url)!;
    await respond({ text: 'a card', response_type: 'ephemeral' });
    await respond({ text: 'another', response_type: 'in_channel' });
    expect(target.bodies).toEqual([
      { method: 'POST', type: 'application/json', json: { text: 'a card', response_type: 'ephemeral' } },
      { method: 'POST', type: 'application/json', json: { text: 'another', response_type: 'in_channel' } },
    ]);
    expect(target.connections()).toBe(1);
  });

  it('delivers a burst of answers over at most MAX_SOCKETS connections to one host, every answer once', async () => {
    const target = await responseUrl(200);
    servers.push(target.server);
    const respond = responder(target.url)!;
    await Promise.all(Array.from({ length: 100 }, (_, i) => respond({ text: `card ${i}` })));
    expect(target.bodies).toHaveLength(100);
    expect(new Set(target.bodies.map((b) => (b as { json: { text: string } }).json.text)).size).toBe(100);
    expect(target.connections()).toBeGreaterThan(1);
    expect(target.connections()).toBeLessThanOrEqual(MAX_SOCKETS);
  });

  it('rejects, saying the status, when Slack refuses the message (an expired response_url)', async () => {
    const target = await responseUrl(404);
    servers.push(target.server);
    await expect(responder(target.url)!({ text: 'late' })).rejects.toThrow(/404/);
  });

  it('rejects when the response_url never answers, and when it is no http(s) address; there is none without a response_url', async () => {
    const target = await responseUrl(undefined);
    servers.push(target.server);
    await expect(responder(target.url, 200)!({ text: 'stuck' })).rejects.toThrow(/did not answer within 200 ms/);
    await expect(responder('file:///etc/passwd')!({ text: 'x' })).rejects.toThrow(/not an http\(s\) address/);
    expect(responder(undefined)).toBeUndefined();
  });
});
