// The webhook's HTTP surface: every malformed request gets a 4xx with a reason, never a
// crash and never a hung socket. Driven through fastify's inject (no network), except the
// stalled-client case, which needs a real socket on loopback.
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { createAdmissionServer, MAX_BODY_BYTES, type AdmissionServer } from '../../src/admission/server.js';
import { EMPTY_CLUSTER } from '../../src/admission/cluster-view.js';
import { defaultConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createProductMetrics } from '../../src/telemetry/registry.js';
import { createCertificateAuthority, createSignedCertificate } from '../../src/tls/pki.js';
import { ingressReview } from './admission-fixtures.js';

const ca = createCertificateAuthority('test-ca', 1);
const tls = createSignedCertificate(ca, { commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'], days: 1, usage: 'server' });

function server(requestTimeoutMs?: number): AdmissionServer {
  const config = defaultConfig();
  return createAdmissionServer({
    tls, config: () => config, cluster: EMPTY_CLUSTER, log: createLogger('silent'),
    metrics: createProductMetrics({ defaultMetrics: false }), requestTimeoutMs,
  });
}

const post = (app: AdmissionServer, payload: string | Buffer, contentType: string | null = 'application/json', url = '/validate') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType ?? undefined } });

function assertRefused(res: { statusCode: number; body: string }, status: number, reason: RegExp) {
  assert.equal(res.statusCode, status, res.body);
  const body = JSON.parse(res.body) as { error: string; message: string };
  assert.match(body.message, reason);
  assert.equal(typeof body.error, 'string');
}

describe('admission server: request handling', () => {
  let app: AdmissionServer;
  before(async () => {
    app = server();
    await app.ready();
  });
  after(() => app.close());

  test('a valid review is answered 200 with the uid echoed', async () => {
    const res = await post(app, JSON.stringify(ingressReview({ 'hydra-route.ai/min-replicas': '0' }, { uid: 'u-1' })));
    assert.equal(res.statusCode, 200);
    const out = JSON.parse(res.body);
    assert.equal(out.response.uid, 'u-1');
    assert.equal(out.response.allowed, false);
    assert.match(out.response.status.message, /min-replicas="0": must be from 1 to 1000/);
  });

  test('charset in the content type is fine', async () => {
    const res = await post(app, JSON.stringify(ingressReview({})), 'application/json; charset=utf-8');
    assert.equal(res.statusCode, 200);
  });

  test('malformed JSON: 400 that says so', async () => {
    assertRefused(await post(app, '{"apiVersion": "admission.k8s.io/v1",'), 400, /not valid JSON/);
  });

  test('empty body: 400', async () => {
    assertRefused(await post(app, ''), 400, /empty/);
  });

  test('wrong content type: 415 naming the right one', async () => {
    assertRefused(await post(app, JSON.stringify(ingressReview({})), 'text/plain'), 415, /application\/json/);
    assertRefused(await post(app, 'apiVersion: v1', 'application/yaml'), 415, /application\/json/);
  });

  test('no content type: 415', async () => {
    // light-my-request drops a header whose value is undefined (and would default it otherwise).
    const res = await post(app, JSON.stringify(ingressReview({})), null);
    assert.equal(res.statusCode, 415);
    assert.match(JSON.parse(res.body).message, /without Content-Type.*application\/json/);
  });

  test('a compressed body: 415 naming the encoding, no bytes echoed', async () => {
    const { gzipSync } = await import('node:zlib');
    const res = await app.inject({
      method: 'POST', url: '/validate', payload: gzipSync(JSON.stringify(ingressReview({}))),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    assertRefused(res, 415, /^Content-Encoding "gzip" is not supported/);
  });

  test('oversized body: 413 with the limit', async () => {
    const big = JSON.stringify(ingressReview({ 'x.example/pad': 'a'.repeat(MAX_BODY_BYTES) }));
    assertRefused(await post(app, big), 413, /larger than \d+ bytes/);
  });

  test('deep nesting: 400 before parsing, quickly', async () => {
    const started = Date.now();
    assertRefused(await post(app, '['.repeat(1_000_000) + ']'.repeat(1_000_000)), 400, /nests deeper than 100/);
    const inObject = ingressReview({}) as unknown as { request: { object: Record<string, unknown> } };
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = { a: deep };
    inObject.request.object.spec = deep;
    assertRefused(await post(app, JSON.stringify(inObject)), 400, /nests deeper/);
    assert.ok(Date.now() - started < 2000);
  });

  test('brackets inside strings do not count as nesting', async () => {
    const res = await post(app, JSON.stringify(ingressReview({ 'x.example/brackets': '['.repeat(5000) })));
    assert.equal(res.statusCode, 200);
  });

  test('a __proto__ key is refused', async () => {
    assertRefused(await post(app, '{"__proto__": {"polluted": true}}'), 400, /__proto__/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('not an AdmissionReview: 400 naming what is missing', async () => {
    assertRefused(await post(app, '[]'), 400, /JSON object/);
    assertRefused(await post(app, '"review"'), 400, /JSON object/);
    assertRefused(await post(app, '{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}'), 400, /admissionReviewVersions/);
    assertRefused(await post(app, '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}'), 400, /no "request"/);
    const noUid = ingressReview({}) as { request: Record<string, unknown> };
    delete noUid.request.uid;
    assertRefused(await post(app, JSON.stringify(noUid)), 400, /request\.uid/);
    const badOp = ingressReview({}, { operation: 'PATCH' });
    assertRefused(await post(app, JSON.stringify(badOp)), 400, /request\.operation/);
    assertRefused(await post(app, '{"kind":"AdmissionReview"}'), 400, /got no apiVersion and "AdmissionReview"/);
    const noObject = ingressReview({}) as { request: Record<string, unknown> };
    noObject.request.object = null;
    assertRefused(await post(app, JSON.stringify(noObject)), 400, /request\.object is required for CREATE/);
  });

  test('an object of the wrong shape is answered, not crashed on', async () => {
    const review = ingressReview({}) as unknown as { request: { object: Record<string, unknown> } };
    review.request.object.spec = { rules: 'not-a-list' };
    const res = await post(app, JSON.stringify(review));
    assert.equal(res.statusCode, 200);
    const out = JSON.parse(res.body).response;
    assert.equal(out.allowed, false);
    assert.equal(out.status.code, 400);
    assert.match(out.status.message, /Ingress\.spec\.rules must be a list/);
  });

  test('wrong method or path: 404 that names the right ones', async () => {
    const res = await app.inject({ method: 'GET', url: '/validate' });
    assertRefused(res, 404, /POST \/validate/);
    assertRefused(await post(app, '{}', 'application/json', '/nope'), 404, /POST \/mutate/);
  });
});

describe('admission server: a stalled client', () => {
  test('is cut off near the request timeout instead of holding the socket', async () => {
    const app = server(500);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        // Promise 1000 bytes, send 10, then go quiet.
        socket.write('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiVersi');
      });
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('socket still open after 5 s')), 5000).unref();
    });
    const elapsed = Date.now() - started;
    await app.close();
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    assert.ok(reply === '' || /^HTTP\/1\.1 408/.test(reply), reply);
  });
});
