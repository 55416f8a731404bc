import { Agent, request } from 'node:https';
import { Latencies, type LatencySummary } from '../lib/latency.js';

export interface PacedResult {
  rate: number;
  sent: number;
  ok: number;
  failed: number;
  /** From the moment a request was due (open loop: a slow server cannot slow the schedule down). */
  latency: LatencySummary;
  /** How late the generator itself sent, p99; if large, the numbers measure the generator. */
  sendLagP99: number;
}

/**
 * Open-loop load at a fixed rate: request i is due at start + i / rate, whatever happened to
 * earlier ones, and its latency counts from when it was due. autocannon's own rate limit sends
 * each second's quota in a burst at the start of the second, which measures queueing in the
 * burst rather than latency at an even 1,000 req/s, so the fixed-rate numbers come from here.
 * Bounded: exactly rate × seconds requests, and a hard stop 10 s after the last is due.
 */
export async function paced(url: string, requests: Array<{ path: string; body: string }>, rate: number, seconds: number): Promise<PacedResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false });
  const bodies = requests.map((r) => ({ path: r.path, body: Buffer.from(r.body) }));
  const total = Math.round(rate * seconds);
  const lat = new Latencies(total);
  const lag = new Latencies(total);
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now() + 50;
  const fire = (i: number, due: number) => {
    const b = bodies[i % bodies.length]!;
    lag.add(performance.now() - due);
    const req = request(
      { host: target.hostname, port: target.port, path: b.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': b.body.length } },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode === 200) ok += 1;
          else failed += 1;
          lat.add(performance.now() - due);
          done += 1;
        });
      },
    );
    req.on('error', () => {
      failed += 1;
      done += 1;
    });
    req.end(b.body);
  };
  // Warm the connection pool first so TLS handshakes are not in the measured window.
  await Promise.all(Array.from({ length: 8 }, () => new Promise<void>((resolve) => {
    const b = bodies[0]!;
    const req = request({ host: target.hostname, port: target.port, path: b.path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve());
    req.end(b.body);
  })));
  const deadline = start + seconds * 1000 + 10_000;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        fire(sent, start + (sent * 1000) / rate);
        sent += 1;
      }
      if ((sent === total && done === total) || now > deadline) return resolve();
      setImmediate(tick);
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  agent.destroy();
  return { rate, sent, ok, failed, latency: lat.summary(), sendLagP99: lag.summary().p99 };
}
