import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appManifest, eventually, getJson, ingressManifest, kubectl, kubectlOk, testNamespace } from '../helpers/kube.js';

describe('walking skeleton on the real control plane', () => {
  let ns: { name: string; remove: () => Promise<void> };
  before(async () => {
    ns = await testNamespace('e2e-skeleton');
  });
  after(async () => ns.remove());

  test('a bad annotation is denied with the key, the value and the rule; server dry run says the same and creates nothing', async () => {
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'web'));
    const bad = ingressManifest(ns.name, 'web', 'web', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': 'abc' });
    const applied = await kubectl(['apply', '-f', '-'], bad);
    assert.notEqual(applied.code, 0);
    assert.match(applied.stderr, /denied the request/);
    assert.match(applied.stderr, /hydra-route\.ai\/min-replicas="abc": must be a whole number from 1 to 1000/);
    const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], bad);
    assert.notEqual(dry.code, 0);
    assert.match(dry.stderr, /hydra-route\.ai\/min-replicas="abc": must be a whole number from 1 to 1000/);
    const get = await kubectl(['get', 'ingress', 'web', '-n', ns.name]);
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /NotFound/);
  });

  test('a valid Ingress stamps its Deployment; re-applying the Deployment keeps the stamps; deleting the Ingress removes them', async () => {
    const app = appManifest(ns.name, 'shop');
    await kubectlOk(['apply', '-f', '-'], app);
    const ingress = ingressManifest(ns.name, 'shop', 'shop', {
      'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': '2', 'hydra-route.ai/max-replicas': '7',
    });
    await kubectlOk(['apply', '-f', '-'], ingress);
    const stamped = await eventually('stamps on deployment/shop', async () => {
      const d = await getJson(['get', 'deployment', 'shop', '-n', ns.name]);
      return d.metadata.labels?.['hydra-route.ai/managed'] === 'true' ? d : undefined;
    });
    assert.equal(stamped.metadata.annotations['hydra-route.ai/ingress'], `${ns.name}/shop`);
    assert.equal(stamped.metadata.annotations['hydra-route.ai/min-replicas'], '2');
    assert.equal(stamped.metadata.annotations['hydra-route.ai/max-replicas'], '7');

    // `kubectl replace` sends the original manifest without the stamps: the mutating webhook keeps them.
    const deploymentOnly = app.split('---')[0] as string;
    await kubectlOk(['replace', '-f', '-'], deploymentOnly);
    const replaced = await getJson(['get', 'deployment', 'shop', '-n', ns.name]);
    assert.equal(replaced.metadata.labels?.['hydra-route.ai/managed'], 'true');
    assert.equal(replaced.metadata.annotations['hydra-route.ai/max-replicas'], '7');
    await kubectlOk(['apply', '-f', '-'], deploymentOnly);
    const reapplied = await getJson(['get', 'deployment', 'shop', '-n', ns.name]);
    assert.equal(reapplied.metadata.annotations['hydra-route.ai/ingress'], `${ns.name}/shop`);

    await kubectlOk(['delete', 'ingress', 'shop', '-n', ns.name]);
    const cleared = await eventually('stamps removed from deployment/shop', async () => {
      const d = await getJson(['get', 'deployment', 'shop', '-n', ns.name]);
      return d.metadata.labels?.['hydra-route.ai/managed'] === undefined ? d : undefined;
    });
    const left = Object.keys(cleared.metadata.annotations ?? {}).filter((k) => k.startsWith('hydra-route.ai/'));
    assert.deepEqual(left, []);
  });

  test('under a replayed trace, replicas change through the scale subresource within bounds and ScalingDecision Events are listed', async () => {
    // NASA trace from 08:00 at 5 trace minutes per second; 120x its counts makes the morning ramp need several pods.
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'api', { 'start-minute': '480', speed: '5', scale: '120', 'capacity-per-pod': '100' }));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'api', 'api', {
      'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': '1', 'hydra-route.ai/max-replicas': '4',
      'hydra-route.ai/scale-up-cooldown': '2s',
    }));
    const seen = new Set<number>();
    await eventually('replicas of deployment/api to rise above 1', async () => {
      const scale = JSON.parse(await kubectlOk(['get', '--raw', `/apis/apps/v1/namespaces/${ns.name}/deployments/api/scale`]));
      const replicas = scale.spec.replicas as number;
      seen.add(replicas);
      assert.ok(replicas >= 1 && replicas <= 4, `replicas ${replicas} outside 1..4`);
      return replicas > 1 ? replicas : undefined;
    }, 90_000);
    const events = await kubectlOk(['get', 'events', '-n', ns.name, '--field-selector', 'reason=ScalingDecision']);
    assert.match(events, /ScalingDecision/);
    assert.match(events, /deployment\/api/);
    assert.match(events, /Scaled up from 1 to \d replicas/);
    const d = await getJson(['get', 'deployment', 'api', '-n', ns.name]);
    const last = JSON.parse(d.metadata.annotations['hydra-route.ai/last-decision']);
    assert.equal(last.action, 'scale_up');
    assert.ok(last.to <= 4);
  });
});
