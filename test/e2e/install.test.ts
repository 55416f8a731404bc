import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { packageRoot } from '../../src/local/paths.js';
import { kubectl, kubectlOk } from '../helpers/kube.js';

const SA = 'system:serviceaccount:hydra-route-system:hydra-route-controller';
// Granted to every authenticated user by the default RBAC policy, not by deploy/.
const BUILT_IN = new Set([
  'selfsubjectreviews.authentication.k8s.io', 'selfsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io', 'clustertrustbundles.certificates.k8s.io',
]);

/** `kubectl auth can-i --list` as the product, as "resource [names] verbs" lines, built-ins left out. */
async function permissions(namespace: string): Promise<string[]> {
  const out = await kubectlOk(['auth', 'can-i', '--list', '-n', namespace, `--as=${SA}`]);
  return out
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s{2,}/))
    .filter((cols) => cols.length === 4 && !BUILT_IN.has(cols[0] as string))
    .map(([resource, , names, verbs]) => `${resource} ${names} ${verbs}`)
    .sort();
}

const CLUSTER_WIDE = [
  'deployments.apps [] [get list watch patch]',
  'deployments.apps/scale [] [get update patch]',
  'events [] [create patch]',
  'events.events.k8s.io [] [create patch]',
  'horizontalpodautoscalers.autoscaling [] [get list watch]',
  'ingresses.networking.k8s.io [] [get list watch]',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io [hydra-route-mutating] [get patch]',
  'pods.metrics.k8s.io [] [get list]',
  'services [] [get list watch]',
  'validatingwebhookconfigurations.admissionregistration.k8s.io [hydra-route-validating] [get patch]',
];

describe('install: deploy/ on the real API server', () => {
  test('kubectl apply -k deploy/ --dry-run=server accepts every object', async () => {
    const rendered = spawnSync('kubectl', ['kustomize', join(packageRoot(), 'deploy')], { encoding: 'utf8' });
    assert.equal(rendered.status, 0, rendered.stderr);
    // The harness registered the two webhook configurations with a URL (a local process);
    // applying the in-cluster variant over them would merge url and service. Renamed, the
    // server validates them in full as new objects; every other object is applied as is.
    const manifest = rendered.stdout.replace(/name: (hydra-route-(validating|mutating))$/gm, 'name: $1-dry-run');
    const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], manifest);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 13, r.stdout);
    assert.ok(lines.every((l) => / (created|configured|unchanged) \(server dry run\)$/.test(l)), r.stdout);
  });

  test('the ServiceAccount has exactly the permissions of deploy/base/rbac.yaml and nothing more', async () => {
    assert.deepEqual(await permissions('default'), CLUSTER_WIDE);
    assert.deepEqual(
      await permissions('hydra-route-system'),
      [
        ...CLUSTER_WIDE,
        'leases.coordination.k8s.io [] [create]',
        'leases.coordination.k8s.io [hydra-route-leader] [get update]',
        'secrets [] [create]',
        'secrets [hydra-route-webhook-tls] [get update]',
      ].sort(),
    );
    for (const [verb, what] of [['delete', 'deployments'], ['get', 'secrets'], ['list', 'secrets'], ['create', 'pods'], ['update', 'ingresses']]) {
      const r = await kubectl(['auth', 'can-i', verb as string, what as string, '-n', 'default', `--as=${SA}`]);
      assert.equal(r.stdout.trim(), 'no', `${verb} ${what}`);
    }
  });

  test("the original's debug commands run as written (those that need no kubelet)", async () => {
    const cm = await kubectl(['get', 'configmap', '-n', 'hydra-route-system', 'hydra-route-config', '-o', 'yaml']);
    // local up installs only the identity and RBAC; the ConfigMap comes with `kubectl apply -k deploy/`.
    if (cm.code !== 0) await kubectlOk(['apply', '-f', '-'], spawnSync('kubectl', ['kustomize', join(packageRoot(), 'deploy', 'base')], { encoding: 'utf8' }).stdout.split('---').filter((d) => /kind: ConfigMap/.test(d)).join('---'));
    const again = await kubectlOk(['get', 'configmap', '-n', 'hydra-route-system', 'hydra-route-config', '-o', 'yaml']);
    assert.match(again, /scale_up_thresholds:/);
    const can = await kubectlOk(['auth', 'can-i', 'get', 'deployments', `--as=${SA}`]);
    assert.equal(can.trim(), 'yes');
  });
});
