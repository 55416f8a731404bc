import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { BundleResult, BundleWriter } from '../../src/tls/ca-bundle-writer.js';
import { caBundlePatch } from '../../src/tls/ca-bundle-writer.js';
import { fingerprint, type TlsMaterial } from '../../src/tls/material.js';
import type { MaterialStore, StoredMaterial } from '../../src/tls/secret-store.js';
import { SelfManagedTls } from '../../src/tls/self-managed.js';
import { servingNames } from '../../src/tls/serving-tls.js';
import { createLogger } from '../../src/telemetry/logger.js';

/** A Secret with a resourceVersion, like the API server's: create fails if present, update fails if stale. */
class FakeStore implements MaterialStore {
  readonly where = 'test/hydra-route-webhook-tls';
  material?: TlsMaterial;
  version = 0;
  writes = 0;
  async read(): Promise<StoredMaterial> {
    await new Promise((r) => setImmediate(r));
    return this.material ? { exists: true, material: this.material, resourceVersion: String(this.version) } : { exists: false };
  }
  async create(m: TlsMaterial) {
    if (this.material) return false;
    this.material = m; this.version++; this.writes++;
    return true;
  }
  async update(m: TlsMaterial, rv: string) {
    if (rv !== String(this.version)) return false;
    this.material = m; this.version++; this.writes++;
    return true;
  }
}

class FakeBundles implements BundleWriter {
  bundle = '';
  async ensure(pem: string): Promise<Record<string, BundleResult>> {
    const changed = pem !== this.bundle;
    this.bundle = pem;
    return { 'hydra-route-validating': changed ? 'patched' : 'unchanged' };
  }
}

function capture() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { log: createLogger('debug', stream), text: () => text };
}

const names = servingNames('hydra-route-webhook', 'hydra-route-system', []);
const DAY = 86_400_000;
const policy = { validityMs: 30 * DAY, renewBeforeMs: 10 * DAY, activationDelayMs: 0 };

function manager(store: FakeStore, bundles: FakeBundles, now: () => Date, log = capture().log) {
  return new SelfManagedTls({ store, bundles, names, policy, syncIntervalMs: 60_000, log, now });
}

describe('self-managed TLS', () => {
  test('replicas starting together write one Secret and serve the same certificate', async () => {
    const store = new FakeStore();
    const bundles = new FakeBundles();
    const replicas = [0, 1, 2].map(() => manager(store, bundles, () => new Date()));
    const pairs = await Promise.all(replicas.map((r) => r.start()));
    replicas.forEach((r) => r.stop());
    assert.equal(store.writes, 1);
    assert.equal(new Set(pairs.map((p) => fingerprint(p.cert))).size, 1);
    assert.equal(bundles.bundle.trim(), store.material?.ca.cert.trim());
  });

  test('a renewal keeps the old CA in the bundle, and another replica picks the new certificate up', async () => {
    const store = new FakeStore();
    const bundles = new FakeBundles();
    let now = new Date();
    const { log, text } = capture();
    const a = manager(store, bundles, () => now, log);
    const b = manager(store, bundles, () => now);
    await a.start();
    const first = store.material as TlsMaterial;
    const served: string[] = [];
    await b.start();
    b.onChange((p) => served.push(fingerprint(p.cert)));
    now = new Date(now.getTime() + 25 * DAY);
    await a.settle(); // a renews
    const second = store.material as TlsMaterial;
    assert.notEqual(fingerprint(second.ca.cert), fingerprint(first.ca.cert));
    assert.ok(bundles.bundle.includes(first.ca.cert.trim()) && bundles.bundle.includes(second.ca.cert.trim()));
    await (b as unknown as { tick(): Promise<void> }).tick(); // b's periodic sync
    a.stop(); b.stop();
    assert.deepEqual(served, [fingerprint(second.serving.cert)]);
    assert.equal(store.writes, 2);
    assert.match(text(), /renewing the webhook certificate/);
    assert.doesNotMatch(text(), /BEGIN/);
  });

  test('an unusable Secret is replaced with a warning that says why', async () => {
    const store = new FakeStore();
    const bundles = new FakeBundles();
    const { log, text } = capture();
    const first = manager(store, bundles, () => new Date());
    await first.start();
    first.stop();
    store.material = { ...(store.material as TlsMaterial), serving: { cert: 'not a certificate', key: 'nor a key' } };
    const m = manager(store, bundles, () => new Date(), log);
    await m.start();
    m.stop();
    assert.match(text(), /is unusable \(corrupt: serving certificate is not a PEM certificate\): replacing it/);
    assert.doesNotMatch(text(), /BEGIN|nor a key/);
  });

  test('the caBundle patch touches every webhook entry that differs, guarded by resourceVersion', () => {
    const config = { metadata: { resourceVersion: '7' }, webhooks: [{ clientConfig: { caBundle: 'old' } }, { clientConfig: { caBundle: 'new' } }, { clientConfig: {} }] };
    assert.deepEqual(caBundlePatch(config, 'new'), [
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'new' },
      { op: 'add', path: '/webhooks/2/clientConfig/caBundle', value: 'new' },
    ]);
    assert.deepEqual(caBundlePatch({ webhooks: [{ clientConfig: { caBundle: 'new' } }] }, 'new'), []);
  });
});
