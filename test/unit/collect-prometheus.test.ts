import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { SIGNALS } from '../../src/config/schema.js';
import { MetricsCollector } from '../../src/scaling/collect/collector.js';
import type { CollectorSettings } from '../../src/scaling/collect/settings.js';
import { errorCount, fakeServer, json, newRegistry, quietLogger, vector, type FakeServer } from './collect-fakes.js';

/** Which query a request is, from its PromQL text. */
function which(query: string): string {
  if (query.includes('request_duration_seconds_bucket')) return 'response_time';
  if (query.includes('status=~"5..')) return 'error_rate';
  if (query.includes('nginx_ingress_controller_requests')) return 'request_rate';
  if (query.includes('count by (pod)')) return 'replicas';
  if (query.includes('container_cpu_usage')) return 'cpu_utilization';
  if (query.includes('container_memory')) return 'memory_utilization';
  if (query.includes('container_network')) return 'network_bandwidth';
  if (query.includes('container_fs')) return 'io_bandwidth';
  return 'unknown';
}

const HEALTHY: Record<string, string> = {
  request_rate: '120', response_time: '250', error_rate: '2.5', cpu_utilization: '64',
  memory_utilization: '48', network_bandwidth: '6', io_bandwidth: '3', replicas: '3',
};

type Behaviour = (res: ServerResponse) => void;
let behaviours: Record<string, Behaviour> = {};
let server: FakeServer;

before(async () => {
  server = await fakeServer((seen, res) => {
    const name = which(seen.params.get('query') ?? '');
    const b = behaviours[name];
    if (b) return b(res);
    json(res, 200, vector(HEALTHY[name] ?? '0'));
  });
});
after(() => server.close());

const target = { namespace: 'shop', deployment: 'web', service: 'web', ingress: 'web' };

function settings(url: string): CollectorSettings {
  return {
    prometheusUrl: url, nginxMetricsUrl: '', collectionIntervalMs: 30_000, retentionMs: 3_600_000,
    requestRateWindowMs: 60_000, enableCustomMetrics: true, enableNetworkBandwidth: true, enableIoBandwidth: true,
    measurementIntervalMs: 10_000, networkInterface: '', timeoutMs: 300,
  };
}

function collector(url = server.url) {
  const registry = newRegistry();
  return { registry, c: new MetricsCollector(settings(url), { logger: quietLogger(), registry, clock: () => 1_700_000_000_000 }) };
}

test('all seven signals from the default queries, per replica where the units say so', async () => {
  behaviours = {};
  const { c, registry } = collector();
  const s = await c.collect(target);
  assert.deepEqual(s.missing, {});
  assert.deepEqual(s.values, {
    cpu_utilization: 64, memory_utilization: 48, request_rate: 40, network_bandwidth: 2,
    io_bandwidth: 1, response_time: 250, error_rate: 2.5,
  });
  assert.equal(s.replicas, 3);
  assert.equal(c.history(target).length, 1);
  const time = server.seen.at(-1)?.params.get('time');
  assert.equal(time, '1700000000.000');
  const exposed = await registry.metrics();
  assert.match(exposed, /^hydra_route_metrics_collection_duration_seconds_count 1$/m);
});

const failures: Array<[string, Behaviour, RegExp, string]> = [
  ['5xx', (res) => json(res, 503, { status: 'error', errorType: 'unavailable', error: 'down' }), /prometheus: http_5xx: HTTP 503/, 'http_5xx'],
  ['timeout', (res) => setTimeout(() => json(res, 200, vector('1')), 1500), /prometheus: timeout/, 'timeout'],
  ['NaN', (res) => json(res, 200, vector('NaN')), /prometheus: nan/, 'nan'],
  ['+Inf', (res) => json(res, 200, vector('+Inf')), /prometheus: inf: .* is \+Inf/, 'inf'],
  ['an empty result', (res) => json(res, 200, vector()), /prometheus: empty: no series/, 'empty'],
  ['several series', (res) => json(res, 200, vector('1', '2')), /prometheus: multiple_series/, 'multiple_series'],
  ['a rejected query', (res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' }), /query_error: HTTP 400: bad_data/, 'query_error'],
  ['warnings (partial data)', (res) => json(res, 200, { ...(vector('1') as object), warnings: ['partial response: store down'] }), /prometheus: partial: partial response/, 'partial'],
  ['a body cut short', (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
    res.write('{"status":"success","data":{"resultType":"vec');
    setTimeout(() => res.destroy(), 20);
  }, /prometheus: partial: body cut short/, 'partial'],
  ['not JSON', (res) => { res.writeHead(200); res.end('<html>proxy</html>'); }, /prometheus: bad_response/, 'bad_response'],
];

for (const [what, behaviour, reason, label] of failures) {
  test(`${what} leaves the signal missing with a reason and counts the error`, async () => {
    behaviours = { cpu_utilization: behaviour };
    const { c, registry } = collector();
    const s = await c.collect(target);
    assert.equal(s.values.cpu_utilization, undefined, 'never a value, never zero');
    assert.match(s.missing.cpu_utilization ?? '', reason);
    assert.equal(s.values.memory_utilization, 48, 'other signals unaffected');
    assert.equal(await errorCount(registry, 'prometheus', label), 1);
  });
}

test('an unreachable Prometheus: every signal missing, each counted', async () => {
  behaviours = {};
  const dead = await fakeServer(() => undefined);
  await dead.close();
  const { c, registry } = collector(dead.url);
  const s = await c.collect(target);
  assert.deepEqual(s.values, {});
  for (const signal of SIGNALS) assert.match(s.missing[signal] ?? '', /prometheus: unreachable/);
  assert.equal(await errorCount(registry, 'prometheus', 'unreachable'), 8);
});

test('unknown replica count: per-replica signals are missing, others kept', async () => {
  behaviours = { replicas: (res) => json(res, 200, vector()) };
  const { c } = collector();
  const s = await c.collect(target);
  assert.match(s.missing.request_rate ?? '', /^replicas unknown: prometheus: empty/);
  assert.equal(s.values.response_time, 250);
  const withReady = await c.collect({ ...target, replicas: 4 }, 1_700_000_030_000);
  assert.equal(withReady.values.request_rate, 30, 'ready replicas from the caller are used');
});
