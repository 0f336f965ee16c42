import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config/env.js';

/** How a running platform is doing, for the health endpoint. */
export interface PlatformHealth {
  /** Connected and taking requests (every shard ready, on Discord). */
  ready: boolean;
  /** Discord: gateway shards of this process (or of the processes a ShardingManager runs). */
  shards?: { ready: number; total: number };
}

/** The process's phase: 503 until every platform is up, and again once it is stopping. */
export type Phase = 'starting' | 'serving' | 'stopping';

/** What `GET /health` answers (fields are only ever added). */
export interface HealthReport {
  /** True exactly when `status` is `ok` (HTTP 200). */
  ok: boolean;
  /** `ok` (HTTP 200) only while serving with every platform ready; otherwise 503. */
  status: 'ok' | 'starting' | 'disconnected' | 'stopping';
  /** The platforms this process runs, comma-separated: `discord`, `slack,discord`. */
  platform: string;
  /** Gateway shards ready and in all, when the process runs Discord. */
  shards?: { ready: number; total: number };
  /** Seconds since the process started. */
  uptime: number;
  platforms: Record<string, PlatformHealth>;
}

export interface HealthSource {
  phase(): Phase;
  /** Each platform by id; those not started yet are not ready. */
  platforms(): Record<string, PlatformHealth>;
}

export function healthReport(source: HealthSource): HealthReport {
  const platforms = source.platforms();
  const entries = Object.entries(platforms);
  const phase = source.phase();
  const allReady = entries.length > 0 && entries.every(([, p]) => p.ready);
  const status = phase === 'stopping' ? 'stopping' : phase === 'starting' ? 'starting' : allReady ? 'ok' : 'disconnected';
  const shards = entries.map(([, p]) => p.shards).find((s) => s !== undefined);
  return { ok: status === 'ok', status, platform: entries.map(([id]) => id).join(','), ...(shards ? { shards } : {}), uptime: Math.round(process.uptime()), platforms };
}

/** Answers a `GET /health` (or HEAD) with the report: 200 while it is ok, 503 otherwise. */
export function answerHealth(source: HealthSource, req: IncomingMessage, res: ServerResponse): void {
  const report = healthReport(source);
  res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(report));
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /health` on `port` (all interfaces): 200 with the report while every platform is ready,
 * 503 with it otherwise, so a load balancer or an orchestrator stops sending work to a process that
 * is starting, lost its gateway, or is stopping.
 */
export async function startHealthServer(port: number, source: HealthSource, host?: string): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/health' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found; GET /health' }));
      return;
    }
    answerHealth(source, req, res);
  });
  // A health check must never keep a stopping process alive.
  server.keepAliveTimeout = 1000;
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  } catch (err) {
    throw new ConfigError([`HEALTH_PORT: cannot listen on port ${port} (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
