import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { appManifest, eventually, getJson, ingressManifest, kubectlOk, testNamespace } from '../helpers/kube.js';
import { instanceConfig, startServe, type ServeProcess } from '../helpers/serve.js';

// Each test runs its own `serve` processes for a private ingress class and namespace (and
// Lease), so the harness's instance leaves these objects alone (see docs: ingress classes).
const CLASS = 'e2e-safety';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HEAVY = { 'start-minute': '840', speed: '2', scale: '300', 'capacity-per-pod': '100' }; // NASA 14:00, ~3-6 pods

const replicasOf = async (ns: string, name: string) =>
  (JSON.parse(await kubectlOk(['get', '--raw', `/apis/apps/v1/namespaces/${ns}/deployments/${name}/scale`])) as { spec: { replicas: number } }).spec.replicas;

async function events(ns: string, reason: string): Promise<Array<{ message: string; type: string; count: number; involvedObject: { name: string } }>> {
  return (await getJson(['get', 'events', '-n', ns, '--field-selector', `reason=${reason}`])).items;
}

describe('scaling decisions that are safe to act on', () => {
  let ns: { name: string; remove: () => Promise<void> };
  const running: ServeProcess[] = [];
  const start = async (identity: string, lease: string, extra = '', annotations?: string[]) => {
    const p = await startServe({ identity, leaseName: lease, configYaml: instanceConfig({ ingressClass: CLASS, namespace: ns.name, extra }), extraArgs: annotations });
    running.push(p);
    return p;
  };
  before(async () => {
    ns = await testNamespace('e2e-safety');
  });
  // Instances of one test must not act on the next test's objects (they share the class).
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.kill('SIGKILL')));
  });
  after(async () => ns.remove());

  test('two serve processes: exactly one scales; killing the leader hands over within lease duration plus retry', async () => {
    const [a, b] = await Promise.all([start('lead-a', 'e2e-lease-lead'), start('lead-b', 'e2e-lease-lead')]);
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'lead', HEAVY));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'lead', 'lead', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '6' }, CLASS));
    await eventually('deployment/lead scaled up', async () => (await replicasOf(ns.name, 'lead')) > 1, 60_000);
    const leaders = [await a.metric('hydra_route_leader'), await b.metric('hydra_route_leader')];
    assert.deepEqual([...leaders].sort(), [0, 1], 'exactly one leader');
    const updates = [await a.metric('hydra_route_scale_updates_total'), await b.metric('hydra_route_scale_updates_total')];
    const leader = leaders[0] === 1 ? a : b;
    const follower = leader === a ? b : a;
    assert.ok(updates[leaders.indexOf(1)]! > 0, 'the leader wrote replicas');
    assert.equal(updates[leaders.indexOf(0)], 0, 'the follower never wrote replicas');

    const killedAt = Date.now();
    await leader.kill('SIGKILL'); // no release: the Lease must expire
    await eventually('the follower to take the Lease', async () => (await follower.metric('hydra_route_leader')) === 1, 20_000);
    const takeoverMs = Date.now() - killedAt;
    console.log(`leader failover: ${takeoverMs} ms (lease_duration 4s + retry_period 1s)`);
    assert.ok(takeoverMs <= 4000 + 1000 + 1500, `takeover took ${takeoverMs} ms`);
    await follower.kill();
  });

  test('dry-run: Events say dry-run and replicas stay untouched', async () => {
    await start('dry', 'e2e-lease-dry');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'dry', HEAVY));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'dry', 'dry', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/dry-run': 'true' }, CLASS));
    const ev = await eventually('a dry-run ScalingDecision event', async () =>
      (await events(ns.name, 'ScalingDecision')).find((e) => e.involvedObject.name === 'dry' && /^Dry-run: would scale up from 1 to \d+/.test(e.message)), 60_000);
    assert.match(ev.message, /Dry-run/);
    await sleep(3000);
    assert.equal(await replicasOf(ns.name, 'dry'), 1);
    const last = JSON.parse((await getJson(['get', 'deployment', 'dry', '-n', ns.name])).metadata.annotations['hydra-route.ai/last-decision']);
    assert.equal(last.dryRun, true);
    // The same dry-run decision every cycle raises one Event's count instead of adding Events.
    await eventually('a repeated dry-run decision counted on one Event', async () =>
      (await events(ns.name, 'ScalingDecision')).some((e) => e.involvedObject.name === 'dry' && e.count > 1), 20_000);
    const all = (await events(ns.name, 'ScalingDecision')).filter((e) => e.involvedObject.name === 'dry');
    const total = all.reduce((n, e) => n + e.count, 0);
    assert.ok(all.length < total, `${all.length} Events for ${total} decisions`);
  });

  test('a Deployment that an HPA also targets is left alone, with a Warning event saying why', async () => {
    await start('hpa', 'e2e-lease-hpa');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'withhpa', HEAVY));
    await kubectlOk(['apply', '-f', '-'], `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: withhpa, namespace: ${ns.name}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: withhpa}
  minReplicas: 1
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
`);
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'withhpa', 'withhpa', { 'hydra-route.ai/enabled': 'true' }, CLASS));
    const ev = await eventually('a ScalingSkipped warning', async () =>
      (await events(ns.name, 'ScalingSkipped')).find((e) => e.involvedObject.name === 'withhpa'), 30_000);
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, new RegExp(`HorizontalPodAutoscaler ${ns.name}/withhpa also targets this Deployment`));
    await sleep(3000);
    assert.equal(await replicasOf(ns.name, 'withhpa'), 1);
    const repeated = (await events(ns.name, 'ScalingSkipped')).filter((e) => e.involvedObject.name === 'withhpa');
    assert.equal(repeated.length, 1, 'repeats raise the count of one Event instead of adding Events');
    assert.ok(repeated[0]!.count > 1);
  });

  test('a replica count set by a person is taken as the new current value', async () => {
    const p = await start('manual', 'e2e-lease-manual');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'manual', HEAVY));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'manual', 'manual', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '8' }, CLASS));
    await eventually('deployment/manual scaled up', async () => (await replicasOf(ns.name, 'manual')) > 1, 60_000);
    await kubectlOk(['scale', 'deployment/manual', '-n', ns.name, '--replicas=7']);
    const next = await eventually('a decision that starts from the 7 replicas set by hand', async () =>
      (await p.log()).find((l) => l.msg === 'decision' && l.target === `${ns.name}/manual` && l.decision.from === 7), 20_000);
    assert.equal(next.decision.from, 7);
  });

  test('cooldowns hold across a restart (read back from last-decision)', async () => {
    const first = await start('cool-1', 'e2e-lease-cool');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'cool', { ...HEAVY, scale: '900' }));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'cool', 'cool', {
      'hydra-route.ai/enabled': 'true', 'hydra-route.ai/max-replicas': '40', 'hydra-route.ai/scale-up-cooldown': '1h',
    }, CLASS));
    const scaled = await eventually('the first scale-up', async () => {
      const r = await replicasOf(ns.name, 'cool');
      return r > 1 ? r : undefined;
    }, 60_000);
    await first.kill();
    const second = await start('cool-2', 'e2e-lease-cool');
    await eventually('the restarted process to lead', async () => (await second.metric('hydra_route_leader')) === 1, 20_000);
    await sleep(6000);
    assert.equal(await replicasOf(ns.name, 'cool'), scaled, 'no second scale-up inside the 1h cooldown');
    const held = (await second.log()).filter((l) => l.msg === 'decision' && l.target === `${ns.name}/cool`);
    assert.ok(held.length > 0);
    assert.match(String(held.at(-1)!.decision.reason), /cooldown/);
  });
});
