// A real Prometheus (Debian's package) scraping a tiny exporter with known rates; the
// collector must read back every signal within 3 %. Run: node --test dist/test/integration-prometheus/
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runPrometheus, type RunningPrometheus } from '../../src/local/prometheus.js';
import { MetricsCollector } from '../../src/scaling/collect/collector.js';
import type { CollectorSettings } from '../../src/scaling/collect/settings.js';
import { errorCount, fakeServer, newRegistry, quietLogger, type FakeServer } from '../unit/collect-fakes.js';

const PODS = ['web-replay-0', 'web-replay-1', 'web-replay-2'];
const EXPECTED = {
  request_rate: 11, // 33 req/s over 3 replicas
  error_rate: (100 * 3) / 33,
  response_time: 750, // rank 0.95 inside (0.5, 1] s with 90 % ≤ 0.5 s
  cpu_utilization: 40, // 0.2 cores of 0.5 requested
  memory_utilization: 50, // 100 MB of 200 MB
  network_bandwidth: 1.5, // 1.0 + 0.5 MB/s per pod
  io_bandwidth: 0.5, // 0.2 + 0.3 MB/s per pod
};
const TOLERANCE = 0.03;

function exposition(seconds: number): string {
  const n = 'namespace="shop",ingress="web",service="web"';
  const total = 33 * seconds;
  const lines = [
    `nginx_ingress_controller_requests{${n},status="200"} ${30 * seconds}`,
    `nginx_ingress_controller_requests{${n},status="503"} ${3 * seconds}`,
    ...([['0.1', 0.5], ['0.5', 0.9], ['1', 1], ['+Inf', 1]] as const).map(
      ([le, share]) => `nginx_ingress_controller_request_duration_seconds_bucket{${n},le="${le}"} ${share * total}`,
    ),
  ];
  for (const pod of PODS) {
    const p = `namespace="shop",pod="${pod}"`;
    lines.push(
      `container_cpu_usage_seconds_total{${p},container="app"} ${0.2 * seconds}`,
      `container_memory_working_set_bytes{${p},container="app"} 100000000`,
      `container_network_receive_bytes_total{${p},interface="eth0"} ${1e6 * seconds}`,
      `container_network_transmit_bytes_total{${p},interface="eth0"} ${0.5e6 * seconds}`,
      `container_fs_reads_bytes_total{${p},container="app",device="/dev/sda"} ${0.2e6 * seconds}`,
      `container_fs_writes_bytes_total{${p},container="app",device="/dev/sda"} ${0.3e6 * seconds}`,
      `kube_pod_container_resource_requests{${p},container="app",resource="cpu",unit="core"} 0.5`,
      `kube_pod_container_resource_requests{${p},container="app",resource="memory",unit="byte"} 200000000`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const started = Date.now();
let exporter: FakeServer;
let prom: RunningPrometheus;
let dir: string;
const target = { namespace: 'shop', deployment: 'web', service: 'web', ingress: 'web' };
const settings = (url: string): CollectorSettings => ({
  prometheusUrl: url, nginxMetricsUrl: '', collectionIntervalMs: 2_000, retentionMs: 600_000, requestRateWindowMs: 10_000,
  enableCustomMetrics: true, enableNetworkBandwidth: true, enableIoBandwidth: true, measurementIntervalMs: 5_000,
  networkInterface: '', timeoutMs: 2_000,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  exporter = await fakeServer((_seen, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(exposition((Date.now() - started) / 1000));
  });
  dir = mkdtempSync(join(tmpdir(), 'hydra-prom-'));
  prom = await runPrometheus({ dir, scrapeTargets: [new URL(exporter.url).host], scrapeIntervalSec: 1 });
  // Prometheus' rate() under-reads a window it has not scraped all of: wait for a full one.
  await sleep(16_000);
});
after(async () => {
  await prom.stop();
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
});

test('all seven signals match what the exporter played, within 3 %', async () => {
  const c = new MetricsCollector(settings(prom.url), { logger: quietLogger(), registry: newRegistry() });
  const s = await c.collect(target);
  assert.deepEqual(s.missing, {});
  assert.equal(s.replicas, 3);
  for (const [signal, want] of Object.entries(EXPECTED)) {
    const got = s.values[signal as keyof typeof EXPECTED] as number;
    assert.ok(Math.abs(got - want) <= TOLERANCE * want, `${signal}: got ${got}, want ${want} ± 3 %`);
  }
});

test('Prometheus stopped: signals missing and counted; restarted on the same data: backfill restores history', async () => {
  const registry = newRegistry();
  await prom.stop();
  const down = new MetricsCollector(settings(prom.url), { logger: quietLogger(), registry });
  const s = await down.collect(target);
  assert.deepEqual(s.values, {});
  assert.equal(await errorCount(registry, 'prometheus', 'unreachable'), 8);
  prom = await runPrometheus({ dir, port: prom.port, scrapeTargets: [new URL(exporter.url).host], scrapeIntervalSec: 1 });
  const fresh = new MetricsCollector(settings(prom.url), { logger: quietLogger(), registry: newRegistry() });
  const now = Date.now();
  const samples = await fresh.backfill(target, now - 60_000, now, 2_000);
  console.log(`backfilled ${samples.length} samples from the restarted Prometheus`);
  assert.ok(samples.length >= 4, `only ${samples.length} samples`);
  // A gauge is exact at any step, rates are not at the edges of the scraped span.
  assert.ok(Math.abs((samples[0]?.values.memory_utilization ?? 0) - 50) < 0.5, 'history from before the restart');
  assert.ok(samples[0]!.t < now - 5_000, 'the oldest sample predates the restart');
  assert.equal(fresh.history(target).length, samples.length);
});
