import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../src/config/load.js';
import { MetricsCollector, settingsFromConfig } from '../../src/scaling/collect/index.js';
import { DEFAULT_TRACE, tracePath } from '../../src/local/paths.js';
import { LATENCY_BUCKETS, latencySeconds } from '../../src/local/replay-exporter.js';
import { readTrace } from '../../src/simulate/trace.js';
import { appManifest, eventually, ingressManifest, kubectlOk, localCluster, testNamespace } from '../helpers/kube.js';

// One NASA minute held for 100 s (speed 0.01), so the load is constant while Prometheus
// (scraping every 1 s) fills its rate windows; two replicas of 100 req/s each.
const MINUTE = 600;
const REPLICAS = 2;
const CAPACITY = 100;

describe('all seven signals from a real Prometheus scraping the replay exporter', () => {
  let ns: { name: string; remove: () => Promise<void> };
  before(async () => {
    ns = await testNamespace('e2e-signals');
  });
  after(async () => ns.remove());

  test('each signal matches what the exporter played, within the stated tolerance', async () => {
    const count = readTrace(tracePath(DEFAULT_TRACE)).load[MINUTE] as number;
    const scale = (0.6 * REPLICAS * CAPACITY * 60) / count; // 60% of capacity
    const load = (count / 60) * scale;
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'sig', { 'start-minute': String(MINUTE), speed: '0.01', scale: String(scale), 'capacity-per-pod': String(CAPACITY) }, REPLICAS));
    // dry-run: the harness's scaler stamps it (so the exporter plays it) but never changes replicas.
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'sig', 'sig', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/dry-run': 'true' }));

    const prometheus = `http://127.0.0.1:${(localCluster().ports as Record<string, number>).prometheus}`;
    const config = parseConfig({ metrics: { prometheus_url: prometheus, nginx_metrics_url: '', request_rate_window: '10s', bandwidth_monitoring: { measurement_interval: '5s' } } });
    const collector = new MetricsCollector(settingsFromConfig(config), { logger: pino({ level: 'silent' }), registry: new Registry() });
    const target = { namespace: ns.name, deployment: 'sig', service: 'sig', ingress: 'sig', replicas: REPLICAS };
    // Rate windows must be full of this load: 10 s of scrapes after the series appear.
    await eventually('every signal present', async () => Object.keys((await collector.collect(target, Date.now())).missing).length === 0, 60_000);
    await new Promise((r) => setTimeout(r, 12_000));
    const s = await collector.collect(target, Date.now());
    assert.deepEqual(s.missing, {});

    const u = load / (REPLICAS * CAPACITY);
    const perReplica = load / REPLICAS;
    const p95Bucket = LATENCY_BUCKETS.find((le) => le >= latencySeconds(u)) as number;
    const expected: Record<string, [number, number]> = {
      // [expected, relative tolerance]
      request_rate: [perReplica, 0.05],
      cpu_utilization: [100 * u, 0.05],
      memory_utilization: [100 * (0.3 + 0.4 * u), 0.02],
      network_bandwidth: [(perReplica * 22_000) / 1e6, 0.05],
      io_bandwidth: [(perReplica * 5_000) / 1e6, 0.05],
      // histogram_quantile answers with the upper bound of the bucket that holds the 95th percentile.
      response_time: [p95Bucket * 1000, 0.05],
    };
    const table: string[] = [];
    for (const [signal, [want, tolerance]] of Object.entries(expected)) {
      const got = s.values[signal as keyof typeof s.values] as number;
      table.push(`${signal.padEnd(20)} played ${want.toFixed(3).padStart(10)}  collected ${got.toFixed(3).padStart(10)}`);
      assert.ok(Math.abs(got - want) <= tolerance * want, `${signal}: collected ${got}, played ${want} (±${tolerance * 100}%)`);
    }
    table.push(`${'error_rate'.padEnd(20)} played ${'0.000'.padStart(10)}  collected ${(s.values.error_rate as number).toFixed(3).padStart(10)}`);
    console.log(table.join('\n'));
    assert.equal(s.values.error_rate, 0, 'under capacity: no 5xx');
  });
});
