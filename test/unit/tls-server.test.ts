import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect, createServer, type ConnectionOptions } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { createAdmissionServer, setServingCertificate, type AdmissionServer } from '../../src/admission/server.js';
import { defaultConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createProductMetrics } from '../../src/telemetry/registry.js';
import { FileTls } from '../../src/tls/file-source.js';
import { fingerprint, issue } from '../../src/tls/material.js';
import { servingNames } from '../../src/tls/serving-tls.js';

const names = servingNames('hydra-route-webhook', 'hydra-route-system', ['127.0.0.1']);
const policy = { validityMs: 86_400_000, renewBeforeMs: 0, activationDelayMs: 0 };
const one = issue(names, policy, new Date());
const two = issue(names, policy, new Date());
const TLS11 = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

function handshake(port: number, extra: ConnectionOptions = {}): Promise<{ protocol: string | null; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...extra }, () => {
      resolve({ protocol: s.getProtocol(), fingerprint: s.getPeerCertificate().fingerprint256 });
      s.end();
    });
    s.once('error', reject);
  });
}

function capture() {
  let text = '';
  const stream = new Writable({ write(chunk, _e, done) { text += String(chunk); done(); } });
  return { log: createLogger('debug', stream), text: () => text };
}

describe('admission server TLS', () => {
  let app: AdmissionServer;
  let port: number;
  before(async () => {
    app = createAdmissionServer({
      tls: one.serving, config: defaultConfig, log: createLogger('silent'), metrics: createProductMetrics(),
      cluster: { ingresses: () => [], services: () => [], deployments: () => [] },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(async () => app.close());

  test('this client really offers TLS 1.1: a server that allows it negotiates 1.1', async () => {
    const lax = createServer({ ...one.serving, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
    await new Promise<void>((r) => lax.listen(0, '127.0.0.1', r));
    try {
      assert.equal((await handshake((lax.address() as { port: number }).port, TLS11)).protocol, 'TLSv1.1');
    } finally {
      lax.close();
    }
  });

  test('TLS 1.1 is refused by the server before and after a certificate reload; the reload serves the new certificate', async () => {
    const refused = (err: NodeJS.ErrnoException) => err.code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION';
    assert.equal((await handshake(port)).fingerprint, fingerprint(one.serving.cert));
    await assert.rejects(handshake(port, TLS11), refused);
    setServingCertificate(app, two.serving);
    assert.equal((await handshake(port)).fingerprint, fingerprint(two.serving.cert));
    assert.equal((await handshake(port, { maxVersion: 'TLSv1.2' })).protocol, 'TLSv1.2');
    await assert.rejects(handshake(port, TLS11), refused);
  });

  test('a mismatched pair is refused with no key material in the error, and the server keeps its certificate', async () => {
    const before = (await handshake(port)).fingerprint;
    assert.throws(() => setServingCertificate(app, { cert: one.serving.cert, key: two.serving.key }), (err: Error) => !/BEGIN/.test(err.message));
    assert.equal((await handshake(port)).fingerprint, before);
  });
});

describe('certificate files (bring your own)', () => {
  test('changed files are reloaded; a broken pair is skipped with a warning and no PEM in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-route-tls-'));
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    writeFileSync(cert, one.serving.cert);
    writeFileSync(key, one.serving.key);
    const { log, text } = capture();
    const files = new FileTls(cert, key, log, 50);
    const seen: string[] = [];
    files.onChange((p) => seen.push(fingerprint(p.cert)));
    files.start();
    try {
      writeFileSync(cert, two.serving.cert); // key not yet renewed: a mismatched pair
      // Poll (watchFile) plus debounce: wait for the warning rather than a fixed time (CI may be busy).
      const warned = Date.now() + 5_000;
      while (!/certificate files changed but are not usable/.test(text()) && Date.now() < warned) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(seen, []);
      assert.match(text(), /certificate files changed but are not usable/);
      writeFileSync(key, two.serving.key);
      const deadline = Date.now() + 3_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(seen, [fingerprint(two.serving.cert)]);
      assert.equal(files.pair.cert, two.serving.cert);
      assert.doesNotMatch(text(), /BEGIN/);
    } finally {
      files.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
