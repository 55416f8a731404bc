import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseReview, type AdmissionRequest } from '../../src/admission/review.js';
import { reviewIngress } from '../../src/admission/validate-ingress.js';
import { EMPTY_CLUSTER, type ClusterView } from '../../src/admission/cluster-view.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { cluster, deployment, ingress, ingressReview, service } from './admission-fixtures.js';

const config = defaultConfig();
const ON = { 'hydra-route.ai/enabled': 'true' };
const app = { services: [service('web'), service('api')], deployments: [deployment('web'), deployment('api')] };

function judge(object: unknown, view: ClusterView = cluster(app), opts: { operation?: string; oldObject?: unknown; cfg?: Config } = {}) {
  const req: AdmissionRequest = parseReview(ingressReview({}, { object, operation: opts.operation, oldObject: opts.oldObject }));
  return reviewIngress(req, opts.cfg ?? config, view).response;
}

describe('validating webhook: one Ingress', () => {
  test('a valid enabled Ingress is allowed without warnings, uid echoed', () => {
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/max-replicas': '5' }));
    assert.deepEqual(r, { uid: 'uid-1', allowed: true });
  });

  test('a denial is 403 Forbidden with the Ingress, key, value, rule and fix', () => {
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/max-replica': '5' }));
    assert.equal(r.allowed, false);
    assert.equal(r.status?.code, 403);
    assert.match(r.status?.message ?? '', /Ingress shop\/web has 1 problem.*\n  - hydra-route\.ai\/max-replica="5": is not a known HydraRoute annotation; did you mean "hydra-route\.ai\/max-replicas"\?/);
  });

  test('an Ingress without any hydra annotation is allowed untouched', () => {
    assert.deepEqual(judge(ingress('web', { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' })), { uid: 'uid-1', allowed: true });
  });

  test('annotations without enabled are checked, and a warning says they do nothing', () => {
    const r = judge(ingress('web', { 'hydra-route.ai/max-replicas': '5' }));
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? '', /Ingress shop\/web has hydra-route\.ai annotations but no hydra-route\.ai\/enabled: "true"/);
  });

  test('another ingress class: allowed, with a warning that the annotations are ignored', () => {
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/min-replicas': 'junk' }, { cls: 'traefik' }));
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? '', /ingress class is "traefik", not "nginx"; its hydra-route\.ai annotations have no effect/);
  });

  test('no ingress class at all counts as ours (the cluster default)', () => {
    assert.equal(judge(ingress('web', { ...ON, 'hydra-route.ai/min-replicas': 'junk' }, { cls: '' })).allowed, false);
  });

  test('a namespace outside watch_namespaces: allowed with a warning', () => {
    const cfg = { ...config, general: { ...config.general, watch_namespaces: ['other'] } };
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/min-replicas': 'junk' }), cluster(app), { cfg });
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? '', /does not watch its namespace/);
  });
});

describe('validating webhook: across objects', () => {
  test('several backends and no target: denied, told how to choose', () => {
    const r = judge(ingress('web', ON, { backends: ['web', 'api'] }));
    assert.match(r.status?.message ?? '', /hydra-route\.ai\/target="": is required when the Ingress routes to several Services \(web, api\); add hydra-route\.ai\/target: "<one of web, api>"/);
    assert.equal(judge(ingress('web', { ...ON, 'hydra-route.ai/target': 'api' }, { backends: ['web', 'api'] })).allowed, true);
  });

  test('a target that is not a backend: denied, with the backends', () => {
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/target': 'db' }, { backends: ['web', 'api'] }));
    assert.match(r.status?.message ?? '', /target="db": must name one of this Ingress's backend Services \(web, api\)/);
  });

  test('the Service does not exist yet: allowed with a warning', () => {
    const r = judge(ingress('web', ON, { backends: ['later'] }));
    assert.equal(r.allowed, true);
    assert.deepEqual(r.warnings, ['HydraRoute: Service shop/later does not exist yet; its Deployment is stamped when the Service appears']);
  });

  test('a Service without selector or without Deployment: allowed with a warning', () => {
    const view = cluster({ services: [service("ext", "shop", null), service('lonely')] });
    assert.match(judge(ingress('a', ON, { backends: ['ext'] }), view).warnings?.[0] ?? '', /has no selector/);
    assert.match(judge(ingress('a', ON, { backends: ['lonely'] }), view).warnings?.[0] ?? '', /selects no Deployment yet/);
  });

  const holder = ingress('first', { ...ON, 'hydra-route.ai/min-replicas': '2', 'hydra-route.ai/max-replicas': '4' }, { created: '2024-01-01T00:00:00Z' });
  const withHolder = cluster({ ...app, ingresses: [holder] });

  test('a second Ingress on the same Deployment with other bounds: denied, naming the holder', () => {
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/max-replicas': '9' }), withHolder);
    assert.match(r.status?.message ?? '', /min-replicas, hydra-route\.ai\/max-replicas="1\.\.9": Deployment shop\/web is already scaled by Ingress shop\/first with bounds 2\.\.4; use the same bounds as shop\/first/);
  });

  test('the same bounds are fine; a disabled second Ingress is fine', () => {
    assert.equal(judge(ingress('web', { ...ON, 'hydra-route.ai/min-replicas': '2', 'hydra-route.ai/max-replicas': '4' }), withHolder).allowed, true);
    assert.equal(judge(ingress('web', { 'hydra-route.ai/enabled': 'false', 'hydra-route.ai/max-replicas': '9' }), withHolder).allowed, true);
  });

  test('same bounds but another setting (dry-run, cooldown): denied too, since only one set can be stamped', () => {
    const r = judge(ingress('web', { ...ON, 'hydra-route.ai/min-replicas': '2', 'hydra-route.ai/max-replicas': '4', 'hydra-route.ai/dry-run': 'true', 'hydra-route.ai/scale-up-cooldown': '24h' }), withHolder);
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /hydra-route\.ai\/scale-up-cooldown, hydra-route\.ai\/dry-run="1d, true": Deployment shop\/web is already scaled by Ingress shop\/first with other settings \(here≠there: scale-up-cooldown 1d≠3m; dry-run true≠false\); use the same settings as shop\/first/);
  });

  test('warnings stay within the API server limit of 256 characters', () => {
    const long = ingress('web', { ...ON, 'hydra-route.ai/target': 'x'.repeat(60) }, { backends: ['x'.repeat(60)] });
    for (const w of judge(long).warnings ?? []) assert.ok(w.length <= 256, `${w.length}: ${w}`);
  });

  test('the holder changing its bounds is allowed, and warned about the other Ingress', () => {
    const second = ingress('second', { ...ON, 'hydra-route.ai/min-replicas': '2', 'hydra-route.ai/max-replicas': '4' }, { created: '2024-02-01T00:00:00Z' });
    const view = cluster({ ...app, ingresses: [holder, second] });
    const changed = ingress('first', { ...ON, 'hydra-route.ai/max-replicas': '6' }, { created: '2024-01-01T00:00:00Z' });
    const r = judge(changed, view, { operation: 'UPDATE', oldObject: holder });
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? '', /Ingress shop\/first holds Deployment shop\/web; Ingress shop\/second claims it too with bounds 2\.\.4/);
  });
});

describe('validating webhook: operations', () => {
  const bad = ingress('web', { ...ON, 'hydra-route.ai/model': 'lstm' });

  test('UPDATE that keeps an old problem is allowed with a warning (ratchet)', () => {
    const relabelled = { ...bad, metadata: { ...bad.metadata, labels: { team: 'a' } } };
    const r = judge(relabelled, cluster(app), { operation: 'UPDATE', oldObject: bad });
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? "", /not changed by this update but still to fix in .*: hydra-route\.ai\/model="lstm": must be one of/);
  });

  test('UPDATE that introduces a problem is denied', () => {
    const good = ingress('web', ON);
    assert.equal(judge(bad, cluster(app), { operation: 'UPDATE', oldObject: good }).allowed, false);
  });

  test('DELETE, CONNECT and other kinds are allowed untouched', () => {
    for (const operation of ['DELETE', 'CONNECT']) {
      assert.deepEqual(judge(bad, cluster(app), { operation, oldObject: bad }), { uid: 'uid-1', allowed: true });
    }
    const req = parseReview({ ...ingressReview({}, { object: bad }), request: { ...ingressReview({}).request, kind: { group: '', version: 'v1', kind: 'ConfigMap' } } });
    assert.deepEqual(reviewIngress(req, config, EMPTY_CLUSTER).response, { uid: 'uid-1', allowed: true });
  });

  test('an Ingress being deleted (finalizers removed) is never blocked', () => {
    const going = { ...bad, metadata: { ...bad.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    assert.equal(judge(going, cluster(app), { operation: 'UPDATE', oldObject: ingress('web', ON) }).allowed, true);
  });

  test('dryRun: the same answer, the request object untouched, only reads of the view', () => {
    const object = ingress('web', { ...ON, 'hydra-route.ai/max-replicas': '0' });
    const before = JSON.stringify(object);
    const reads: string[] = [];
    const base = cluster(app);
    const spy: ClusterView = {
      ingresses: (ns) => (reads.push('ingresses'), base.ingresses(ns)),
      services: (ns) => (reads.push('services'), base.services(ns)),
      deployments: (ns) => (reads.push('deployments'), base.deployments(ns)),
    };
    const wet = reviewIngress(parseReview(ingressReview({}, { object })), config, spy).response;
    const dry = reviewIngress(parseReview(ingressReview({}, { object, dryRun: true })), config, spy).response;
    assert.deepEqual(dry, wet);
    assert.equal(JSON.stringify(object), before);
  });

  test('namespace comes from the request when the object has none; generateName is shown', () => {
    const object = ingress('', { 'hydra-route.ai/enabled': 'nope' });
    delete object.metadata!.namespace;
    object.metadata!.generateName = 'web-';
    delete object.metadata!.name;
    assert.match(judge(object).status?.message ?? '', /Ingress shop\/web-\(generated\) has 1 problem/);
  });
});
