import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { assess, caBundle, caCommonName, issue, type RenewalPolicy } from '../../src/tls/material.js';
import { decodeSecret, encodeSecret } from '../../src/tls/secret-store.js';
import { servingNames } from '../../src/tls/serving-tls.js';

const names = servingNames('hydra-route-webhook', 'hydra-route-system', ['127.0.0.1']);
const DAY = 86_400_000;
const policy: RenewalPolicy = { validityMs: 30 * DAY, renewBeforeMs: 10 * DAY, activationDelayMs: 5_000 };
const t0 = new Date('2030-01-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const fresh = issue(names, policy, t0);

describe('webhook TLS material', () => {
  test('the serving certificate names the Service four ways plus extra SANs, and is signed by its CA', () => {
    const leaf = new X509Certificate(fresh.serving.cert);
    for (const n of ['hydra-route-webhook', 'hydra-route-webhook.hydra-route-system', 'hydra-route-webhook.hydra-route-system.svc',
      'hydra-route-webhook.hydra-route-system.svc.cluster.local']) assert.equal(leaf.checkHost(n, { wildcards: false }), n);
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(leaf.verify(new X509Certificate(fresh.ca.cert).publicKey));
    assert.equal(fresh.activateAt.getTime(), t0.getTime(), 'a first certificate is served at once');
  });

  test('the CA name uses PrintableString characters only (Go refuses a bundle with others)', () => {
    assert.match(caCommonName(new Date()), /^[A-Za-z0-9 '()+,\-./:=?]+$/);
  });

  test('keep while valid, rotate inside the renewal window, replace when expired, missing or corrupt', () => {
    assert.deepEqual(assess(fresh, names, policy, at(1)), { action: 'keep' });
    assert.equal(assess(fresh, names, policy, at(21)).action, 'rotate');
    assert.match((assess(fresh, names, policy, at(31)) as { reason: string }).reason, /^expired at /);
    assert.equal(assess(fresh, names, policy, at(31)).action, 'replace');
    assert.deepEqual(assess(undefined, names, policy, at(1)), { action: 'replace', reason: 'missing' });
    const other = issue(names, policy, t0);
    const cases = [
      { ...fresh, serving: { cert: 'garbage', key: fresh.serving.key } },
      { ...fresh, serving: { cert: fresh.serving.cert, key: other.serving.key } },
      { ...fresh, ca: other.ca },
    ];
    for (const broken of cases) {
      const v = assess(broken, names, policy, at(1));
      assert.equal(v.action, 'replace');
      assert.match((v as { reason: string }).reason, /^corrupt: /);
      assert.doesNotMatch((v as { reason: string }).reason, /BEGIN/);
    }
  });

  test('a certificate lacking a name now required is rotated, keeping its CA trusted', () => {
    const wider = servingNames('hydra-route-webhook', 'hydra-route-system', ['127.0.0.1', 'webhook.example.com']);
    const v = assess(fresh, wider, policy, at(1));
    assert.equal(v.action, 'rotate');
    assert.match((v as { reason: string }).reason, /webhook\.example\.com/);
  });

  test('after a rotation the bundle holds the new and the previous CA, and later drops the previous once expired', () => {
    const next = issue(names, policy, at(21), fresh);
    assert.equal(next.activateAt.getTime(), at(21).getTime() + 5_000);
    const bundle = caBundle(next, at(22));
    assert.ok(bundle.startsWith(next.ca.cert.trim()));
    assert.ok(bundle.includes(fresh.ca.cert.trim()));
    assert.ok(!caBundle(next, at(31)).includes(fresh.ca.cert.trim()));
  });

  test('Secret encoding round-trips and a Secret with a missing field decodes as unusable', () => {
    const next = issue(names, policy, at(21), fresh);
    const secret = encodeSecret('hydra-route-system', next, '42');
    assert.equal(secret.type, 'kubernetes.io/tls');
    assert.equal(secret.metadata?.resourceVersion, '42');
    assert.deepEqual(decodeSecret(secret), next);
    const partial = { ...secret, data: { ...secret.data } };
    delete partial.data['ca.key'];
    assert.equal(decodeSecret(partial), undefined);
  });

  test('a CA certificate that is not a CA is refused', () => {
    const v = assess({ ...fresh, ca: { cert: fresh.serving.cert, key: fresh.serving.key } }, names, policy, at(1));
    assert.deepEqual(v, { action: 'replace', reason: 'corrupt: CA certificate is not a CA' });
  });
});
