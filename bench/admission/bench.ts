import { canPin, startChild, type Child } from '../lib/proc.js';
import { ms } from '../lib/latency.js';
import { reviewBodies } from './objects.js';
import type { PacedResult } from './paced.js';
import type { SaturateResult } from './saturate.js';

export interface AdmissionOptions {
  seconds: number;
  rounds: number;
  connections: number;
  rate: number;
  apps: number;
}

export interface AdmissionReport {
  layout: string;
  bare: SaturateResult[];
  webhook: SaturateResult[];
  ratio: number;
  pacedBare: PacedResult;
  pacedWebhook: PacedResult;
  pacedDuringRetrain: PacedResult;
  retrain: { info: string; retrains: number; ms: number };
  goals: Record<string, boolean>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Server process pinned to core 0, load generators in another process on core 1: the webhook
 * gets one whole core and the generator's CPU does not count against it.
 */
export async function benchAdmission(o: AdmissionOptions, print: (line: string) => void): Promise<AdmissionReport> {
  const server = startChild(new URL('./server-child.js', import.meta.url), { cpu: 0 });
  const load = startChild(new URL('./load-child.js', import.meta.url), { cpu: 1 });
  try {
    await Promise.all([server.next('ready'), load.next('ready')]);
    const ports = await server.ask<{ webhook: number; bare: number }>({ type: 'start' }, 'ports');
    const url = (port: number) => `https://127.0.0.1:${port}`;
    const requests = reviewBodies(o.apps);
    const run = <T>(l: Child, msg: object) => l.ask<{ result: T }>(msg, 'result', 600_000).then((r) => r.result);
    const sat = (port: number, seconds: number) => run<SaturateResult>(load, { type: 'saturate', url: url(port), requests, seconds, connections: o.connections });
    const pace = (port: number) => run<PacedResult>(load, { type: 'paced', url: url(port), requests, rate: o.rate, seconds: o.seconds * 2 });
    const layout = canPin ? 'server process pinned to core 0 (taskset), load generator process pinned to core 1' : 'no taskset: processes not pinned';
    print(`admission: ${layout}; ${requests.length} review bodies (${requests.map((r) => `${r.path} ${r.body.length} B`).join(', ')})`);

    // Warm-up: JIT and TLS sessions on both servers before anything is measured.
    await sat(ports.bare, 2);
    await sat(ports.webhook, 2);
    const bare: SaturateResult[] = [];
    const webhook: SaturateResult[] = [];
    for (let r = 0; r < o.rounds; r++) {
      // Alternate the order so drift in background load hits both sides alike.
      const pair = r % 2 === 0 ? [ports.bare, ports.webhook] : [ports.webhook, ports.bare];
      for (const port of pair) {
        const res = await sat(port, o.seconds);
        (port === ports.bare ? bare : webhook).push(res);
        print(`  round ${r + 1} ${port === ports.bare ? 'bare   ' : 'webhook'}: ${res.rps.toFixed(0)} req/s, p50 ${ms(res.latency.p50)}, p99 ${ms(res.latency.p99)}, errors ${res.errors}, non-2xx ${res.non2xx}`);
      }
    }
    const ratio = median(webhook.map((x) => x.rps)) / median(bare.map((x) => x.rps));
    print(`  throughput ratio webhook/bare (medians of ${o.rounds}): ${ratio.toFixed(3)}`);

    const pacedBare = await pace(ports.bare);
    const pacedWebhook = await pace(ports.webhook);
    const line = (name: string, p: PacedResult) =>
      `  ${name} at ${p.rate} req/s (open loop, ${p.sent} requests): p50 ${ms(p.latency.p50)}, p90 ${ms(p.latency.p90)}, p99 ${ms(p.latency.p99)}, p99.9 ${ms(p.latency.p999)}, max ${ms(p.latency.max)}, failed ${p.failed}, generator lag p99 ${ms(p.sendLagP99)}`;
    print(line('bare   ', pacedBare));
    print(line('webhook', pacedWebhook));

    const started = await server.ask<{ info: string }>({ type: 'retrain-start', targets: 50 }, 'retrain-started');
    const pacedDuringRetrain = await pace(ports.webhook);
    const stopped = await server.ask<{ stats: { retrains: number; ms: number } }>({ type: 'retrain-stop' }, 'retrain-stopped');
    print(line('webhook during retrain', pacedDuringRetrain));
    print(`  retrain load: ${started.info}; ${stopped.stats.retrains} retrains, ${stopped.stats.ms.toFixed(0)} ms of retrain work`);

    const goals = {
      'throughput >= 0.8x bare': ratio >= 0.8,
      'p99 < 2 ms at 1,000 req/s': pacedWebhook.latency.p99 < 2,
      'p99 during retrain <= 2x idle': pacedDuringRetrain.latency.p99 <= 2 * pacedWebhook.latency.p99,
    };
    return { layout, bare, webhook, ratio, pacedBare, pacedWebhook, pacedDuringRetrain, retrain: { info: started.info, ...stopped.stats }, goals };
  } finally {
    await Promise.all([server.stop(), load.stop()]);
  }
}
