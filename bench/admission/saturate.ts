import autocannon from 'autocannon';
import { Latencies, type LatencySummary } from '../lib/latency.js';

export interface SaturateResult {
  rps: number;
  total: number;
  errors: number;
  non2xx: number;
  latency: LatencySummary;
}

/**
 * Closed-loop maximum throughput with autocannon: `connections` keep-alive HTTPS connections,
 * one request in flight on each (as the API server sends reviews), for `seconds`.
 * Latencies are taken from autocannon's per-response event, which carries sub-millisecond
 * times (its own histogram rounds to whole milliseconds).
 */
export async function saturate(url: string, requests: Array<{ path: string; body: string }>, seconds: number, connections: number): Promise<SaturateResult> {
  const lat = new Latencies();
  const instance = autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: requests.map((r) => ({ method: 'POST', path: r.path, body: r.body, headers: { 'content-type': 'application/json' } })),
    timeout: 10,
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => lat.add(responseTime));
  const r = await instance;
  const total = r['2xx'];
  return { rps: total / r.duration, total, errors: r.errors + r.timeouts, non2xx: r.non2xx, latency: lat.summary() };
}
