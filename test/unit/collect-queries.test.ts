import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGNALS } from '../../src/config/schema.js';
import { parseConfig } from '../../src/config/load.js';
import { queriesSchema } from '../../src/scaling/collect/config-fragment.js';
import { DEFAULT_QUERIES, promDuration, renderQuery } from '../../src/scaling/collect/queries.js';
import { settingsFromConfig, queryTemplates } from '../../src/scaling/collect/settings.js';
import { podMatcher } from '../../src/scaling/collect/target.js';

const target = { namespace: 'shop', deployment: 'web', service: 'web-svc', ingress: 'web-ing' };
const params = { windowMs: 300_000, bandwidthWindowMs: 10_000, networkInterface: '' };

test('there is a default query for each of the seven signals and the replica count', () => {
  for (const s of SIGNALS) assert.ok(DEFAULT_QUERIES[s], s);
  assert.ok(DEFAULT_QUERIES.replicas);
});

test('default queries select the target and use the configured windows', () => {
  const q = (name: keyof typeof DEFAULT_QUERIES) => renderQuery(DEFAULT_QUERIES[name], target, params);
  assert.equal(
    q('request_rate'),
    'sum(rate(nginx_ingress_controller_requests{namespace="shop",ingress="web-ing",service="web-svc"}[300s]))',
  );
  assert.match(q('response_time'), /^1000 \* histogram_quantile\(0\.95, sum by \(le\) \(rate\(nginx_ingress_controller_request_duration_seconds_bucket\{namespace="shop",ingress="web-ing",service="web-svc"\}\[300s\]\)\)\)$/);
  assert.match(q('error_rate'), /status=~"5\.\."\}\[300s\]\)\) or vector\(0\)\) \/ sum\(rate\(nginx_ingress_controller_requests/);
  assert.match(q('cpu_utilization'), /container_cpu_usage_seconds_total\{namespace="shop",pod=~"web-\[a-z0-9\]\+-\[a-z0-9\]\+",container!="",container!="POD"\}\[300s\].*resource="cpu"/);
  assert.match(q('memory_utilization'), /container_memory_working_set_bytes\{.*\/ sum\(kube_pod_container_resource_requests\{.*resource="memory"\}\)$/);
  assert.match(q('network_bandwidth'), /container_network_receive_bytes_total\{namespace="shop",pod=~"[^"]+"\}\[10s\].*container_network_transmit_bytes_total.*\/ 1e6$/);
  assert.match(q('io_bandwidth'), /container_fs_reads_bytes_total.*\[10s\].*container_fs_writes_bytes_total.*\/ 1e6$/);
  assert.doesNotMatch(Object.keys(DEFAULT_QUERIES).map((n) => q(n as 'replicas')).join('\n'), /\{[a-z_]+\}/, 'no placeholder left');
});

test('network interface setting narrows the network query', () => {
  const q = renderQuery(DEFAULT_QUERIES.network_bandwidth, target, { ...params, networkInterface: 'eth0' });
  assert.match(q, /pod=~"[^"]+",interface="eth0"\}/);
});

test('label values are escaped and deployment names with dots are regex-escaped', () => {
  const q = renderQuery('{namespace} {pod_regex}', { ...target, namespace: 'a"b', deployment: 'v1.2' }, params);
  assert.equal(q, 'a\\"b v1\\\\.2-[a-z0-9]+-[a-z0-9]+');
  assert.equal(promDuration(1500), '2s');
});

test('the default pod regex matches ReplicaSet pods and replay pods, not a sibling Deployment', () => {
  const m = podMatcher(target);
  assert.ok(m('web-5d8f7c9b4-x2kzq'));
  assert.ok(m('web-replay-3'));
  assert.ok(!m('web-api-5d8f7c9b4-x2kzq'));
  assert.ok(!m('xweb-replay-3'));
});

test('metrics.queries overrides replace the default templates', () => {
  const queries = queriesSchema.parse({ request_rate: 'sum(my_requests{ns="{namespace}"})' });
  const t = queryTemplates(settingsFromConfig(parseConfig({}), queries));
  assert.equal(t.request_rate, 'sum(my_requests{ns="{namespace}"})');
  assert.equal(t.error_rate, DEFAULT_QUERIES.error_rate);
  assert.throws(() => queriesSchema.parse({ request_rat: 'x' }));
});
