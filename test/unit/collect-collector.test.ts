import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MetricsCollector } from '../../src/scaling/collect/collector.js';
import type { PodMetricsReader } from '../../src/scaling/collect/metrics-api-source.js';
import type { CollectorSettings } from '../../src/scaling/collect/settings.js';
import { errorCount, fakeServer, json, newRegistry, quietLogger, type FakeServer } from './collect-fakes.js';

const T0 = 1_700_000_000_000;
let promUp = true;
let prom: FakeServer;
let nginx: FakeServer;
let nginxCount = 0;

before(async () => {
  prom = await fakeServer((seen, res) => {
    if (!promUp) return json(res, 503, { status: 'error', errorType: 'unavailable', error: 'restarting' });
    const q = seen.params.get('query') ?? '';
    if (seen.path === '/api/v1/query') return json(res, 200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } });
    const start = Number(seen.params.get('start'));
    const step = Number(seen.params.get('step'));
    const end = Number(seen.params.get('end'));
    // Replicas and memory exist for every step; other signals only for the last two; cpu never.
    if (q.includes('container_cpu_usage')) return json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end + 1e-9; t += step) values.push([t, q.includes('count by (pod)') ? '2' : String(t - start)]);
    const everyStep = q.includes('count by (pod)') || q.includes('container_memory');
    const keep = everyStep ? values : values.slice(-2);
    json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: keep }] } });
  });
  nginx = await fakeServer((_seen, res) => {
    nginxCount += 60;
    res.end(`nginx_ingress_controller_requests{namespace="shop",ingress="web",service="web",status="200"} ${nginxCount}\n` +
      `nginx_ingress_controller_request_duration_seconds_bucket{namespace="shop",ingress="web",service="web",le="0.2"} ${nginxCount}\n` +
      `nginx_ingress_controller_request_duration_seconds_bucket{namespace="shop",ingress="web",service="web",le="+Inf"} ${nginxCount}\n`);
  });
});
after(async () => {
  await prom.close();
  await nginx.close();
});

const target = { namespace: 'shop', deployment: 'web', service: 'web', ingress: 'web', podRequests: { cpu: 1, memory: 400 } };
const base: CollectorSettings = {
  prometheusUrl: '', nginxMetricsUrl: '', collectionIntervalMs: 30_000, retentionMs: 3_600_000, requestRateWindowMs: 60_000,
  enableCustomMetrics: true, enableNetworkBandwidth: true, enableIoBandwidth: true, measurementIntervalMs: 10_000,
  networkInterface: '', timeoutMs: 500,
};
const pods: PodMetricsReader = {
  usage: async () => [{ pod: 'web-a1-b2', cpu: 0.5, memory: 100 }],
};

test('backfill: range queries become samples in the history', async () => {
  promUp = true;
  const c = new MetricsCollector({ ...base, prometheusUrl: prom.url }, { logger: quietLogger(), registry: newRegistry() });
  const samples = await c.backfill(target, T0 - 120_000, T0, 30_000);
  assert.equal(samples.length, 5, 'every step has memory');
  const last = samples.at(-1);
  assert.equal(last?.t, T0);
  assert.equal(last?.replicas, 2);
  assert.equal(last?.values.request_rate, 60, '120 total / 2 replicas');
  assert.match(last?.missing.cpu_utilization ?? '', /prometheus: empty/);
  assert.match(samples[0]?.missing.request_rate ?? '', /no point at this step/);
  assert.equal(c.history(target).length, 5);
  assert.equal(c.history(target).latestTime(), T0);
});

test('backfill drops steps where no signal has a value', async () => {
  promUp = true;
  const c = new MetricsCollector(
    { ...base, prometheusUrl: prom.url, queries: { memory_utilization: 'sum(container_cpu_usage_seconds_total)' } },
    { logger: quietLogger(), registry: newRegistry() },
  );
  const samples = await c.backfill(target, T0 - 120_000, T0, 30_000);
  assert.deepEqual(samples.map((s) => s.t), [T0 - 30_000, T0]);
});

test('Prometheus down: nginx and metrics.k8s.io fill what they can; errors counted', async () => {
  promUp = false;
  const registry = newRegistry();
  const c = new MetricsCollector(
    { ...base, prometheusUrl: prom.url, nginxMetricsUrl: nginx.url },
    { logger: quietLogger(), registry, podMetrics: pods },
  );
  await c.collect({ ...target, replicas: 2 }, T0);
  const s = await c.collect({ ...target, replicas: 2 }, T0 + 30_000);
  assert.equal(s.values.request_rate, 1, '60 requests in 30 s over 2 replicas');
  assert.equal(s.values.response_time, 190, 'rank 57 of 60 inside (0, 0.2] s, as PromQL interpolates');
  assert.equal(s.values.error_rate, 0);
  assert.equal(s.values.cpu_utilization, 50);
  assert.equal(s.values.memory_utilization, 25);
  assert.match(s.missing.network_bandwidth ?? '', /^prometheus: http_5xx/);
  assert.equal(await errorCount(registry, 'prometheus', 'http_5xx'), 16);
  assert.equal(await errorCount(registry, 'nginx', 'warming_up'), 0, 'warming up is not an error');
});

test('disabled signals are missing with the setting that disabled them, and not queried', async () => {
  promUp = true;
  const before = prom.seen.length;
  const c = new MetricsCollector(
    { ...base, prometheusUrl: prom.url, enableCustomMetrics: false, enableNetworkBandwidth: false, enableIoBandwidth: false },
    { logger: quietLogger(), registry: newRegistry() },
  );
  const s = await c.collect(target, T0);
  assert.match(s.missing.request_rate ?? '', /enable_custom_metrics is false/);
  assert.match(s.missing.network_bandwidth ?? '', /enable_network_bandwidth is false/);
  assert.match(s.missing.io_bandwidth ?? '', /enable_io_bandwidth is false/);
  const asked = prom.seen.slice(before).map((x) => x.params.get('query') ?? '');
  assert.equal(asked.length, 3, 'cpu, memory and replicas only');
  assert.ok(!asked.some((q) => q.includes('nginx_ingress') || q.includes('container_network') || q.includes('container_fs')));
});
