import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appManifest, getJson, ingressManifest, kubectl, kubectlOk, testNamespace } from '../helpers/kube.js';

const DENIED = /admission webhook "ingresses\.validate\.hydra-route\.ai" denied the request: HydraRoute: Ingress /;

describe('validating webhook through kubectl on the real control plane', () => {
  let ns: string;
  let remove: () => Promise<void>;
  before(async () => {
    ({ name: ns, remove } = await testNamespace('e2e-validation'));
    await kubectlOk(['apply', '-f', '-'], appManifest(ns, 'web') + '---\n' + appManifest(ns, 'api'));
  });
  after(async () => remove());

  const denied = async (manifest: string, ...expected: RegExp[]) => {
    const r = await kubectl(['apply', '-f', '-'], manifest);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^Error from server \(Forbidden\): error when creating "STDIN": /);
    assert.match(r.stderr, DENIED);
    for (const e of expected) assert.match(r.stderr, e);
    return r.stderr;
  };

  test('misspelled keys and bad values: every problem in one answer, with did-you-mean', async () => {
    const stderr = await denied(
      ingressManifest(ns, 'typos', 'web', {
        'hydra-route.io/enabled': 'true', 'HydraRoute.ai/max-replicas': '5', 'hydra-route.ai/min-replica': '2',
        'hydra-route.ai/scale-up-cooldown': '300', 'hydra-route.ai/model': 'Linear',
      }),
      new RegExp(`Ingress ${ns}/typos has 5 problems`),
      /  - hydra-route\.io\/enabled="true": is not a HydraRoute annotation: the prefix is "hydra-route\.io\/", not "hydra-route\.ai\/"; did you mean "hydra-route\.ai\/enabled"\?/,
      /  - HydraRoute\.ai\/max-replicas="5": .*did you mean "hydra-route\.ai\/max-replicas"\?/,
      /  - hydra-route\.ai\/min-replica="2": is not a known HydraRoute annotation; did you mean "hydra-route\.ai\/min-replicas"\?/,
      /  - hydra-route\.ai\/scale-up-cooldown="300": must be a duration .*; did you mean "300s"\?/,
      /  - hydra-route\.ai\/model="Linear": must be one of linear, neural_network, ensemble; did you mean "linear"\?/,
    );
    assert.doesNotMatch(stderr, /Warning:/);
  });

  test('min above max, and a long value shortened', async () => {
    await denied(
      ingressManifest(ns, 'bounds', 'web', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': '9', 'hydra-route.ai/max-replicas': '3', 'hydra-route.ai/target': 'w'.repeat(300) }),
      /  - hydra-route\.ai\/min-replicas="9": must not exceed max-replicas \(3\); make min-replicas less than or equal to max-replicas/,
      /  - hydra-route\.ai\/target="w{50,60}\.\.\.": must be a Service name/,
    );
  });

  test('several backends without a target: denied and told how to choose', async () => {
    await denied(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: two, namespace: ${ns}, annotations: {hydra-route.ai/enabled: "true"}}
spec:
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - {path: /web, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
`, /hydra-route\.ai\/target="": is required when the Ingress routes to several Services \(web, api\); add hydra-route\.ai\/target: "<one of web, api>"/);
  });

  test('a second Ingress on the same Deployment with other bounds: denied, naming the holder', async () => {
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns, 'api-main', 'api', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '4' }));
    await denied(
      ingressManifest(ns, 'api-extra', 'api', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '8' }),
      new RegExp(`Deployment ${ns}/api is already scaled by Ingress ${ns}/api-main with bounds 1\\.\\.4; use the same bounds as ${ns}/api-main`),
    );
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns, 'api-extra', 'api', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '4' }));
  });

  test('a missing Service prints Warning: and the Ingress is admitted', async () => {
    const r = await kubectl(['apply', '-f', '-'], ingressManifest(ns, 'early', 'not-yet', { 'hydra-route.ai/enabled': 'true' }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^Warning: HydraRoute: Service ${ns}/not-yet does not exist yet; its Deployment is stamped when the Service appears$`, 'm'));
    assert.match(r.stdout, /ingress\.networking\.k8s\.io\/early created/);
    await kubectlOk(['get', 'ingress', 'early', '-n', ns]);
  });

  test('another ingress class: admitted with a warning, whatever the annotations say', async () => {
    const r = await kubectl(['apply', '-f', '-'], ingressManifest(ns, 'traefik', 'web', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': 'lots' }, 'traefik'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Warning: HydraRoute: Ingress ${ns}/traefik is ignored: its ingress class is "traefik", not "nginx"`));
  });

  test('--dry-run=server: the same denial; a valid Ingress is not stored and stamps nothing', async () => {
    const bad = ingressManifest(ns, 'dry-bad', 'web', { 'hydra-route.ai/enabled': 'yes' });
    const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], bad);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /hydra-route\.ai\/enabled="yes": must be "true" or "false".*; did you mean "true"\?/);

    const good = ingressManifest(ns, 'dry-good', 'web', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '6' });
    const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], good);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /ingress\.networking\.k8s\.io\/dry-good created \(server dry run\)/);
    // Give the reconciler time to act, were it (wrongly) told about the dry-run object.
    await new Promise((r) => setTimeout(r, 3000));
    const get = await kubectl(['get', 'ingress', 'dry-good', '-n', ns]);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /NotFound/);
    const d = await getJson(['get', 'deployment', 'web', '-n', ns]);
    assert.equal(d.metadata.labels?.['hydra-route.ai/managed'], undefined);
    assert.deepEqual(Object.keys(d.metadata.annotations ?? {}).filter((k) => k.startsWith('hydra-route.ai/')), []);
  });
});
