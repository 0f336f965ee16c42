import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

/**
 * A bare Bolt app that only acks /explain, as a process of its own (the floor for a freshly
 * started bot): Bolt's own HTTP receiver on 127.0.0.1:PORT (and GET /health), the Web API at SLACK_API_URL. Says
 * "listening for POST" on stderr when ready; stops on SIGTERM.
 */
async function main(): Promise<void> {
  const app = new App({
    token: 'xoxb-bench',
    signingSecret: process.env['SLACK_SIGNING_SECRET'] ?? '',
    clientOptions: { slackApiUrl: process.env['SLACK_API_URL'] },
    deferInitialization: true,
    convoStore: false,
    logLevel: LogLevel.ERROR,
    // What the benchmark opens its connections with, as it does to the bot.
    customRoutes: [{ path: '/health', method: ['GET'], handler: (_req, res) => void res.writeHead(200).end('ok') }],
  });
  app.command('/explain', async ({ ack }) => {
    await ack();
  });
  await app.init();
  const server = (await app.start({ port: Number(process.env['PORT']), host: '127.0.0.1' })) as Server;
  process.stderr.write(`bare Bolt: listening for POST /slack/events on port ${(server.address() as AddressInfo).port}\n`);
  process.once('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
