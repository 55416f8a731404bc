// Self-managed webhook TLS against the real kube-apiserver: two replicas sharing one
// Secret, a rotation under a stream of applies, and what users see while HydraRoute is
// stopped. The webhooks are pointed at the serve processes started here and handed
// back to the harness's own serve afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fingerprint } from '../../src/tls/material.js';
import { appManifest, eventually, getJson, ingressManifest, kubectl, kubectlOk, testNamespace } from '../helpers/kube.js';
import {
  deleteTlsSecret, pointWebhooks, readTlsSecret, restoreHarnessWebhooks, startServe, tlsHandshake, validatingCaBundle, type ServeProcess,
} from '../helpers/serve-process.js';

// Renewal 10 s after each issue, the new certificate served 2 s after it is written.
const FAST_ROTATION = ['--tls-san', '127.0.0.1', '--cert-validity', '30s', '--cert-renew-before', '20s', '--tls-activation-delay', '2s', '--tls-sync-interval', '1s'];
const GOOD = { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': '1', 'hydra-route.ai/max-replicas': '3' };
const BAD = { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': 'abc' };

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('self-managed webhook TLS on the real control plane', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let a: ServeProcess;
  let b: ServeProcess;
  before(async () => {
    ns = await testNamespace('e2e-tls');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'web'));
    await deleteTlsSecret();
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await restoreHarnessWebhooks();
    await deleteTlsSecret();
    await ns.remove();
  });

  test('two serve processes started at once create one Secret and serve the same certificate', async () => {
    [a, b] = await Promise.all([startServe('tls-a', FAST_ROTATION), startServe('tls-b', FAST_ROTATION)]);
    const secret = await readTlsSecret();
    assert.ok(secret?.material, 'the Secret holds CA and serving certificate');
    const leaf = fingerprint(secret.material.serving.cert);
    assert.equal((await tlsHandshake(a.webhookPort)).fingerprint, leaf);
    assert.equal((await tlsHandshake(b.webhookPort)).fingerprint, leaf);
    const writes = count(a.log(), 'wrote a new CA') + count(b.log(), 'wrote a new CA');
    assert.equal(writes, 1, 'exactly one replica wrote the Secret; the other used it');
    assert.ok((await validatingCaBundle()).includes(secret.material.ca.cert.trim()), 'caBundle trusts the CA in the Secret');

    await pointWebhooks(`https://127.0.0.1:${a.webhookPort}`);
    await eventually('an apply through the webhook served by replica a', async () =>
      (await kubectl(['apply', '-f', '-'], ingressManifest(ns.name, 'first', 'web', GOOD))).code === 0, 15_000);
  });

  test('a rotation forced while a loop applies Ingresses: no apply fails, both replicas follow the Secret', async () => {
    const start = Date.now();
    const cas = new Set<string>();
    let applies = 0;
    let denials = 0;
    const failures: string[] = [];
    let lastChange = start;
    // Two rotations, then 4 s more so that the last activation happens under load too.
    while (Date.now() - start < 60_000 && (cas.size < 3 || Date.now() - lastChange < 4_000)) {
      const secret = await readTlsSecret();
      const ca = secret?.material ? fingerprint(secret.material.ca.cert) : undefined;
      if (ca && !cas.has(ca)) { cas.add(ca); lastChange = Date.now(); }
      const bad = applies % 5 === 4;
      const r = await kubectl(['apply', '-f', '-'], ingressManifest(ns.name, `rot-${applies}`, 'web', bad ? BAD : GOOD));
      applies++;
      if (bad && r.code !== 0 && /denied the request/.test(r.stderr)) denials++;
      else if (bad || r.code !== 0) failures.push(`rot-${applies - 1}: code ${r.code}: ${r.stderr.trim()}`);
    }
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    console.log(`rotation under load: ${applies} applies (${denials} denied by the webhook as intended) in ${seconds}s across ${cas.size - 1} rotations; failures: ${failures.length}`);
    assert.deepEqual(failures.slice(0, 3), [], `${failures.length} applies failed`);
    assert.ok(cas.size >= 3, `at least two rotations happened (CAs seen: ${cas.size})`);
    assert.ok(denials >= 1, 'the webhook was really consulted during the loop');
    const renewals = count(a.log(), 'renewing the webhook certificate') + count(b.log(), 'renewing the webhook certificate');
    assert.ok(renewals >= 2, `renewals were logged (${renewals})`);
    for (const p of [a, b]) {
      await eventually(`replica ${p.identity} serving the certificate now in the Secret`, async () => {
        const secret = await readTlsSecret();
        return secret?.material && (await tlsHandshake(p.webhookPort)).fingerprint === fingerprint(secret.material.serving.cert);
      }, 15_000);
    }
    for (const p of [a, b]) assert.doesNotMatch(p.log(), /BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)/, 'no PEM in the logs');
  });

  test('the product stopped: kube-system and hydra-route-system are unaffected; a user Ingress gets the documented behaviour', async () => {
    await Promise.all([a.stop(), b.stop()]);
    // Outside the webhooks' scope: stored without a call, even with an annotation the webhook would deny.
    for (const system of ['kube-system', 'hydra-route-system']) {
      await kubectlOk(['apply', '-f', '-'], ingressManifest(system, 'tls-e2e-probe', 'web', BAD));
      await kubectlOk(['apply', '-f', '-'], appManifest(system, 'tls-e2e-probe'));
      await kubectlOk(['delete', 'ingress,deployment,service', 'tls-e2e-probe', '-n', system]);
    }
    // Opted in: refused (failurePolicy Fail), with the message the docs show, and nothing stored.
    const refused = await kubectl(['apply', '-f', '-'], ingressManifest(ns.name, 'while-down', 'web', GOOD));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /failed calling webhook "ingresses\.validate\.hydra-route\.ai"/);
    assert.match((await kubectl(['get', 'ingress', 'while-down', '-n', ns.name])).stderr, /NotFound/);
    // Not opted in: HydraRoute is never in the path.
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'plain', 'web', {}));
    // Deployments: failurePolicy Ignore, stored as sent.
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'while-down'));
    const d = await getJson(['get', 'deployment', 'while-down', '-n', ns.name]);
    assert.equal(d.metadata.name, 'while-down');
    // The escape hatch: removing every hydra-route.ai/* annotation is never intercepted.
    await kubectlOk(['annotate', 'ingress', 'first', '-n', ns.name, 'hydra-route.ai/enabled-', 'hydra-route.ai/min-replicas-', 'hydra-route.ai/max-replicas-']);
  });
});
