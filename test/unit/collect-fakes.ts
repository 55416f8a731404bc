// Test doubles for the collect tests: a real HTTP server on 127.0.0.1 and a quiet logger.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';

export interface Seen {
  path: string;
  params: URLSearchParams;
}

export type Handler = (seen: Seen, res: ServerResponse, req: IncomingMessage) => void;

export interface FakeServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = new URLSearchParams(body || url.search);
      const s = { path: url.pathname, params };
      seen.push(s);
      handler(s, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A Prometheus instant-query answer with one series per value. */
export function vector(...values: string[]): unknown {
  return {
    status: 'success',
    data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1700000000, v] })) },
  };
}

export const quietLogger = () => pino({ level: 'silent' });

export function newRegistry(): Registry {
  return new Registry();
}

/** The value of hydra_route_metrics_collection_errors_total for one label set (0 if absent). */
export async function errorCount(registry: Registry, source: string, reason: string): Promise<number> {
  const metric = registry.getSingleMetric('hydra_route_metrics_collection_errors_total');
  const data = await metric?.get();
  const hit = data?.values.find((v) => v.labels.source === source && v.labels.reason === reason);
  return hit?.value ?? 0;
}
