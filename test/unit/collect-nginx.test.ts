import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NginxScrapeSource, counterDelta } from '../../src/scaling/collect/nginx-source.js';
import { fakeServer, type FakeServer } from './collect-fakes.js';

const target = { namespace: 'shop', deployment: 'web', service: 'web', ingress: 'web' };
let body = '';
let status = 200;
let server: FakeServer;

before(async () => {
  server = await fakeServer((_seen, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
});
after(() => server.close());

const L = 'namespace="shop",ingress="web",service="web"';
function exposition(ok: number, errors: number | undefined, buckets: [string, number][], other = 0): string {
  const lines = ['# TYPE nginx_ingress_controller_requests counter', `nginx_ingress_controller_requests{${L},status="200"} ${ok}`];
  if (errors !== undefined) lines.push(`nginx_ingress_controller_requests{${L},status="503"} ${errors}`);
  lines.push(`nginx_ingress_controller_requests{namespace="shop",ingress="other",service="other",status="200"} ${other}`);
  lines.push('# TYPE nginx_ingress_controller_request_duration_seconds histogram');
  for (const [le, n] of buckets) lines.push(`nginx_ingress_controller_request_duration_seconds_bucket{${L},le="${le}"} ${n}`);
  return lines.join('\n');
}

const source = () => new NginxScrapeSource({ url: server.url, timeoutMs: 500, shareMs: 0 });

test('counter delta: growth, reset to a lower value, a series new since the last scrape', () => {
  assert.equal(counterDelta(10, 15), 5);
  assert.equal(counterDelta(100, 7), 7);
  assert.equal(counterDelta(undefined, 4), 4);
});

test('first scrape warms up; the second gives rates, error share and p95', async () => {
  const s = source();
  body = exposition(100, undefined, [['0.1', 50], ['0.5', 90], ['1', 100], ['+Inf', 100]], 1000);
  const first = await s.collect(target, 0);
  assert.match(first.failures.request_rate?.reason ?? '', /warming_up/);
  // +100 ok, first 503 series appears with 10 (counted from 0), buckets grow by 100
  body = exposition(200, 10, [['0.1', 100], ['0.5', 180], ['1', 200], ['+Inf', 200]], 5000);
  const second = await s.collect(target, 10_000);
  assert.equal(second.values.request_rate, 11, '110 requests in 10 s; other ingresses ignored');
  assert.equal(second.values.error_rate, (100 * 10) / 110);
  // bucket deltas 50 / 90 / 100 / 100: rank 95 lies in (0.5, 1] → 0.5 + 0.5 * 5 / 10 s
  assert.equal(second.values.response_time, 750);
});

test('a controller restart (counters reset) gives the new counts, not negative rates', async () => {
  const s = source();
  body = exposition(5000, 40, [['0.1', 4000], ['+Inf', 5040]]);
  await s.collect(target, 0);
  body = exposition(30, 0, [['0.1', 30], ['+Inf', 30]]);
  const after = await s.collect(target, 5_000);
  assert.equal(after.values.request_rate, 6);
  assert.equal(after.values.error_rate, 0);
  assert.equal(after.values.response_time, 95);
});

test('missing series: no buckets, no requests at all, no traffic between scrapes', async () => {
  const s = source();
  body = exposition(10, undefined, []);
  await s.collect(target, 0);
  const noBuckets = await s.collect(target, 1_000);
  assert.equal(noBuckets.values.request_rate, 0);
  assert.match(noBuckets.failures.error_rate?.reason ?? '', /nan/, 'no requests: error share undefined, not 0');
  assert.match(noBuckets.failures.response_time?.reason ?? '', /empty/);
  body = '# only other metrics\nnginx_ingress_controller_nginx_process_connections 3\n';
  const none = await s.collect(target, 2_000);
  assert.match(none.failures.request_rate?.detail ?? '', /no nginx_ingress_controller_requests series for ingress shop\/web/);
});

test('HTTP errors and unparsable text are failures for all three request signals', async () => {
  const s = source();
  status = 500;
  assert.equal((await s.collect(target, 0)).failures.response_time?.reason, 'http_5xx');
  status = 200;
  body = 'nginx_ingress_controller_requests{broken 1\n';
  assert.equal((await s.collect(target, 1)).failures.request_rate?.reason, 'bad_response');
});
