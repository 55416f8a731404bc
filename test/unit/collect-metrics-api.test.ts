import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { KubePodMetricsReader, MetricsApiSource } from '../../src/scaling/collect/metrics-api-source.js';
import { parseQuantity } from '../../src/scaling/collect/quantity.js';
import { fakeServer, json, type FakeServer } from './collect-fakes.js';

let metricsServed = true;
let calls = 0;
let server: FakeServer;

const usage = (name: string, cpu: string, memory: string) => ({ metadata: { name }, containers: [{ name: 'app', usage: { cpu, memory } }] });

before(async () => {
  server = await fakeServer((seen, res) => {
    calls += 1;
    if (seen.path === '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods' && metricsServed) {
      return json(res, 200, { kind: 'PodMetricsList', items: [usage('web-5d8f-aaaaa', '250000000n', '128Mi'), usage('web-5d8f-bbbbb', '350m', '64Mi'), usage('other-5d8f-ccccc', '4', '4Gi')] });
    }
    json(res, 404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
  });
});
after(() => server.close());

function reader(): KubePodMetricsReader {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node only speaks plain HTTP (the fake is plain HTTP on loopback) with skipTLSVerify
    clusters: [{ name: 'c', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubePodMetricsReader(kc);
}

// Requests per pod come from the Deployment's template (500m, 256Mi), not from listing pods.
const target = { namespace: 'shop', deployment: 'web', service: 'web', ingress: 'web', podRequests: { cpu: 0.5, memory: 256 * 2 ** 20 } };

test('quantities', () => {
  assert.equal(parseQuantity('250m'), 0.25);
  assert.equal(parseQuantity('250000000n'), 0.25);
  assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('2G'), 2e9);
  assert.ok(Number.isNaN(parseQuantity('lots')));
});

test('CPU and memory utilization of the target pods against their requests', async () => {
  metricsServed = true;
  const r = await new MetricsApiSource(reader()).collect(target);
  assert.deepEqual(r.failures, {});
  assert.ok(Math.abs((r.values.cpu_utilization ?? 0) - 60) < 1e-9, `cpu ${r.values.cpu_utilization}`); // 0.6 of 1 core
  assert.equal(r.values.memory_utilization, 37.5); // 192Mi of 512Mi
  assert.equal(r.values.replicas, 2);
});

test('no metrics-server: missing with reason api_absent, and not asked again for five minutes', async () => {
  metricsServed = false;
  let now = 1_000_000;
  const source = new MetricsApiSource(reader(), () => now);
  const before = calls;
  const r = await source.collect(target);
  assert.equal(r.values.cpu_utilization, undefined);
  assert.equal(r.failures.cpu_utilization?.reason, 'api_absent');
  assert.match(r.failures.memory_utilization?.detail ?? '', /metrics-server/);
  await source.collect(target);
  assert.equal(calls - before, 1, 'the second pass answers from the cached absence');
  now += 300_000;
  metricsServed = true;
  const again = await source.collect(target);
  assert.equal(calls - before, 2);
  assert.ok((again.values.cpu_utilization ?? 0) > 0);
});

test('a pod template without requests: no_requests, not a made-up utilization', async () => {
  metricsServed = true;
  const r = await new MetricsApiSource(reader()).collect({ ...target, podRequests: undefined });
  assert.equal(r.failures.cpu_utilization?.reason, 'no_requests');
  assert.equal(r.values.replicas, 2);
});

test('a Deployment with no pods: empty', async () => {
  metricsServed = true;
  const r = await new MetricsApiSource(reader()).collect({ ...target, deployment: 'gone' });
  assert.equal(r.failures.cpu_utilization?.reason, 'empty');
});
