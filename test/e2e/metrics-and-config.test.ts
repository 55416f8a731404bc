import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import { appManifest, eventually, getJson, ingressManifest, kubectlOk, testNamespace } from '../helpers/kube.js';
import { restartHarnessPrometheus, stopHarnessPrometheus } from '../helpers/prometheus.js';
import { instanceConfig, startServe, type ServeProcess } from '../helpers/serve.js';

const CLASS = 'e2e-metrics';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const replicasOf = async (ns: string, name: string) =>
  (JSON.parse(await kubectlOk(['get', '--raw', `/apis/apps/v1/namespaces/${ns}/deployments/${name}/scale`])) as { spec: { replicas: number } }).spec.replicas;
const decisions = async (p: ServeProcess, target: string) => (await p.log()).filter((l) => l.msg === 'decision' && l.target === target);

describe('metrics from a real Prometheus, restarts and live configuration', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let other: { name: string; remove: () => Promise<void> };
  const running: ServeProcess[] = [];
  const start = async (identity: string, extra = '', configFile?: string) => {
    const configYaml = instanceConfig({ ingressClass: CLASS, namespace: ns.name, extra });
    const p = await startServe({ identity, leaseName: `e2e-lease-${identity}`, configYaml, configFile });
    running.push(p);
    return p;
  };
  before(async () => {
    ns = await testNamespace('e2e-metrics');
    other = await testNamespace('e2e-unwatched');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.kill('SIGKILL')));
  });
  after(async () => {
    await restartHarnessPrometheus().catch(() => undefined); // in case a test failed mid-outage
    await Promise.all([ns.remove(), other.remove()]);
  });

  test('Prometheus stopped: errors counted, no scale-down while it is gone; back: collection resumes and decisions return', async () => {
    const p = await start('outage');
    // Four replicas for a load that needs one: a scale-down is due as soon as there are data.
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'quiet', { 'start-minute': '240', speed: '1', scale: '1' }, 4));
    await stopHarnessPrometheus();
    try {
      await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'quiet', 'quiet', { 'hydra-route.ai/enabled': 'true' }, CLASS));
      await eventually('collection errors to be counted', async () => (await p.metric('hydra_route_metrics_collection_errors_total', { source: 'prometheus' })) > 5, 30_000);
      await sleep(3000);
      assert.equal(await replicasOf(ns.name, 'quiet'), 4, 'no scale-down while Prometheus is gone');
      const held = await decisions(p, `${ns.name}/quiet`);
      assert.ok(held.length >= 3);
      assert.ok(held.every((d) => d.decision.action === 'none'));
    } finally {
      await restartHarnessPrometheus();
    }
    const down = await eventually('a scale-down once Prometheus is back', async () => {
      const r = await replicasOf(ns.name, 'quiet');
      return r < 4 ? r : undefined;
    }, 60_000);
    assert.ok(down >= 1);
  });

  test('a restarted process backfills its history from Prometheus and its first decision uses it', async () => {
    const first = await start('backfill-1');
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'warm', { 'start-minute': '600', speed: '1', scale: '60' }));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'warm', 'warm', { 'hydra-route.ai/enabled': 'true' }, CLASS));
    await eventually('some collected history', async () => (await decisions(first, `${ns.name}/warm`)).length >= 12, 60_000);
    await first.kill();
    const second = await start('backfill-2');
    const line = await eventually('the backfill log line', async () =>
      (await second.log()).find((l) => l.msg === 'history backfilled' && l.target === `${ns.name}/warm`), 30_000);
    console.log(`backfilled ${line.samples} samples after restart`);
    // ~14 s of history at collection_interval 2s: about 7 range-query steps.
    assert.ok(line.samples >= 5, `only ${line.samples} samples backfilled`);
    const firstDecision = await eventually('the first decision after restart', async () => (await decisions(second, `${ns.name}/warm`))[0], 30_000);
    // The predictor saw the backfilled samples: its sample count is reported in the decision.
    const seen = Number(/\((\d+) samples, need more than 100\)/.exec(String(firstDecision.decision.reason))?.[1] ?? 'NaN');
    assert.ok(seen >= line.samples - 1, `first decision saw ${seen} samples; backfill gave ${line.samples}: ${firstDecision.decision.reason}`);
  });

  test('editing the config file of a running serve changes a threshold at the next cycle; a broken edit is refused', async () => {
    // A request-rate threshold so high that nothing scales, then a normal one.
    const high = `  scale_up_thresholds: {cpu_utilization: 1000, memory_utilization: 1000, request_rate: 100000, network_bandwidth: 1000, io_bandwidth: 1000, response_time: 100000, error_rate: 100}
  scale_down_thresholds: {cpu_utilization: 0, memory_utilization: 0, request_rate: 0, network_bandwidth: 0, io_bandwidth: 0, response_time: 0, error_rate: 0}`;
    const base = instanceConfig({ ingressClass: CLASS, namespace: ns.name });
    const withScaling = (t: string) => base.replace('scaling:\n', `scaling:\n${t}\n`);
    const p = await start('reload');
    writeFileSync(p.configFile, withScaling(high));
    await eventually('the reload log line', async () => (await p.log()).some((l) => l.msg.startsWith('configuration reloaded')), 10_000);
    await kubectlOk(['apply', '-f', '-'], appManifest(ns.name, 'tuned', { 'start-minute': '840', speed: '2', scale: '300' }));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(ns.name, 'tuned', 'tuned', { 'hydra-route.ai/enabled': 'true' }, CLASS));
    await eventually('decisions under the high thresholds', async () => (await decisions(p, `${ns.name}/tuned`)).length >= 3, 30_000);
    assert.equal(await replicasOf(ns.name, 'tuned'), 1, 'no scale-up under thresholds nothing reaches');
    const weightBefore = await p.metric('hydra_route_feature_weight', { feature_name: 'request_rate' });

    writeFileSync(p.configFile, base.replace('scaling:\n', 'scaling:\n  ai_model: {feature_weights: {request_rate: 0.5}}\n'));
    await eventually('a scale-up with the default thresholds', async () => (await replicasOf(ns.name, 'tuned')) > 1, 30_000);
    assert.equal(await p.metric('hydra_route_feature_weight', { feature_name: 'request_rate' }), 0.5);
    assert.notEqual(weightBefore, 0.5);

    writeFileSync(p.configFile, base.replace('scaling:\n', 'scaling:\n  min_replicas: 9\n  max_replicas: 3\n  cooldwn: {}\n'));
    const refused = await eventually('the refusal log line', async () =>
      (await p.log()).find((l) => l.msg.startsWith('configuration change refused')), 10_000);
    assert.ok(refused.problems.some((x: string) => x.includes('scaling.cooldwn: unknown key')));
    const ev = await eventually('a ConfigRejected warning event', async () =>
      (await getJson(['get', 'events', '-n', 'hydra-route-system', '--field-selector', 'reason=ConfigRejected'])).items
        .find((e: { message: string }) => e.message.includes(p.configFile)), 10_000);
    assert.equal(ev.type, 'Warning');
    assert.equal(await p.metric('hydra_route_feature_weight', { feature_name: 'request_rate' }), 0.5, 'the running configuration stays in force');
    assert.equal(await p.metric('hydra_route_leader'), 1, 'still serving and leading');
  });

  test('a namespace outside watch_namespaces is neither stamped nor scaled', async () => {
    const p = await start('watch');
    await kubectlOk(['apply', '-f', '-'], appManifest(other.name, 'outside', { 'start-minute': '840', speed: '2', scale: '300' }));
    await kubectlOk(['apply', '-f', '-'], ingressManifest(other.name, 'outside', 'outside', { 'hydra-route.ai/enabled': 'true' }, CLASS));
    await sleep(5000);
    const d = await getJson(['get', 'deployment', 'outside', '-n', other.name]);
    assert.equal(d.metadata.labels?.['hydra-route.ai/managed'], undefined);
    assert.equal(d.spec.replicas, 1);
    assert.equal((await p.log()).filter((l) => String(l.target ?? '').startsWith(`${other.name}/`)).length, 0);
  });
});
