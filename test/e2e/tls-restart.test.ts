// Restarting HydraRoute with its TLS Secret gone or expired, and the TLS versions it
// accepts, against the real kube-apiserver. Webhooks are handed back to the harness after.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issue, fingerprint } from '../../src/tls/material.js';
import { encodeSecret } from '../../src/tls/secret-store.js';
import { servingNames } from '../../src/tls/serving-tls.js';
import { appManifest, eventually, ingressManifest, kubectl, kubectlOk, testNamespace } from '../helpers/kube.js';
import {
  SYSTEM_NS, deleteTlsSecret, kube, pointWebhooks, readTlsSecret, restoreHarnessWebhooks, startServe, tlsHandshake, type ServeProcess,
} from '../helpers/serve-process.js';

const ARGS = ['--tls-san', '127.0.0.1', '--tls-sync-interval', '1s'];
const GOOD = { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '4' };
const BAD = { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': 'lots' };

describe('restarting with a missing or expired TLS Secret; TLS versions', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let serve: ServeProcess | undefined;
  let n = 0;
  before(async () => {
    ns = await testNamespace('e2e-tls-restart');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'web'));
  });
  after(async () => {
    await serve?.stop();
    await restoreHarnessWebhooks();
    await deleteTlsSecret();
    await ns.remove();
  });

  /** Starts serve, points the webhooks at it, and returns ms from start until a real apply passes the webhook. */
  async function restartAndApply(identity: string): Promise<number> {
    await serve?.stop();
    const t0 = Date.now();
    serve = await startServe(identity, ARGS);
    await pointWebhooks(`https://127.0.0.1:${serve.webhookPort}`);
    await eventually('a valid Ingress applied through the restarted webhook', async () =>
      (await kubectl(['apply', '-f', '-'], ingressManifest(ns.name, `ok-${n++}`, 'web', GOOD))).code === 0, 20_000);
    const ms = Date.now() - t0;
    const denied = await kubectl(['apply', '-f', '-'], ingressManifest(ns.name, 'bad', 'web', BAD));
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /denied the request.*hydra-route\.ai\/max-replicas="lots"/s);
    return ms;
  }

  test('Secret deleted: serve creates a new one, says so, and applies succeed', async () => {
    await deleteTlsSecret();
    const ms = await restartAndApply('tls-restart-1');
    console.log(`restart with the Secret deleted: first successful apply ${ms} ms after starting serve`);
    assert.match(serve!.log(), /TLS Secret hydra-route-system\/hydra-route-webhook-tls is missing: creating/);
    assert.ok((await readTlsSecret())?.material);
  });

  test('expired certificate in the Secret: replaced with a log line saying so, and applies succeed', async () => {
    await serve?.stop();
    const old = new Date(Date.now() - 3 * 86_400_000);
    const names = servingNames('hydra-route-webhook', SYSTEM_NS, ['127.0.0.1']);
    const expired = issue(names, { validityMs: 86_400_000, renewBeforeMs: 0, activationDelayMs: 0 }, old);
    const current = await readTlsSecret();
    await kube().core.replaceNamespacedSecret({
      name: 'hydra-route-webhook-tls', namespace: SYSTEM_NS, body: encodeSecret(SYSTEM_NS, expired, current?.resourceVersion),
    });
    const ms = await restartAndApply('tls-restart-2');
    console.log(`restart with an expired certificate in the Secret: first successful apply ${ms} ms after starting serve`);
    assert.match(serve!.log(), /TLS Secret hydra-route-system\/hydra-route-webhook-tls is unusable \(expired at [^)]*\): replacing it/);
    const now = (await readTlsSecret())?.material;
    assert.ok(now);
    assert.notEqual(fingerprint(now.serving.cert), fingerprint(expired.serving.cert));
    assert.equal((await tlsHandshake(serve!.webhookPort)).fingerprint, fingerprint(now.serving.cert));
  });

  test('a TLS 1.1 client is refused by the server; TLS 1.2 and 1.3 are accepted', async () => {
    const port = serve!.webhookPort;
    // SECLEVEL=0 lets this client offer TLS 1.1 at all (test/unit/tls-server.test.ts shows it
    // connects to a server that allows 1.1), so the refusal below is the server's: alert 70.
    await assert.rejects(
      tlsHandshake(port, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      (err: NodeJS.ErrnoException) => err.code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    );
    assert.equal((await tlsHandshake(port, { maxVersion: 'TLSv1.2' })).protocol, 'TLSv1.2');
    assert.equal((await tlsHandshake(port)).protocol, 'TLSv1.3');
  });
});
