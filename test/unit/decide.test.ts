import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsFromConfig, type TargetSettings } from '../../src/annotations/catalogue.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Signal } from '../../src/config/schema.js';
import { decide, type DecisionInput } from '../../src/scaling/decide/decide.js';
import { combinePressure } from '../../src/scaling/decide/pressure.js';
import type { Forecast } from '../../src/scaling/types.js';

const config = defaultConfig();
const settings: TargetSettings = { ...settingsFromConfig(config), minReplicas: 1, maxReplicas: 10 };
const NOW = 1_000_000_000;
type V = Partial<Record<Signal, number>>;
/** Quiet pod: every signal well under its scale-down threshold. */
const idle: V = { cpu_utilization: 10, memory_utilization: 20, request_rate: 5, network_bandwidth: 2, io_bandwidth: 1, response_time: 100, error_rate: 0.1 };

function input(values: V, over: Partial<DecisionInput> = {}): DecisionInput {
  return { now: NOW, currentReplicas: 4, settings, scaling: config.scaling, sample: { t: NOW, values: { ...idle, ...values }, missing: {}, replicas: 4 }, ...over };
}
const forecast = (values: V, confidence: number): Forecast => ({ values, peak: values, confidence, model: 'ensemble' });

const cases: Array<{ name: string; in: DecisionInput; action: string; to: number; reason: RegExp }> = [
  { name: 'at the cpu threshold: no scale-up', in: input({ cpu_utilization: 70, request_rate: 50 }), action: 'none', to: 4, reason: /4 replicas fit/ },
  { name: 'one hot signal scales up (not diluted by idle ones)', in: input({ request_rate: 150 }), action: 'scale_up', to: 6, reason: /requests 1\.50×/ },
  { name: 'cpu over threshold, damped by its weight', in: input({ cpu_utilization: 140 }), action: 'scale_up', to: 8, reason: /cpu 2\.00×/ },
  { name: 'at the max bound: hold', in: input({ request_rate: 300 }, { currentReplicas: 10, sample: { t: NOW, values: { ...idle, request_rate: 300 }, missing: {}, replicas: 10 } }), action: 'none', to: 10, reason: /10 replicas fit/ },
  { name: 'scale-up clamped to the max bound', in: input({ request_rate: 400 }), action: 'scale_up', to: 8, reason: /step limit; 10 wanted/ },
  { name: 'inside the scale-up cooldown: hold', in: input({ request_rate: 150 }, { lastScaleUpAt: NOW - 60_000 }), action: 'none', to: 4, reason: /held by cooldown \(120s left\)/ },
  { name: 'scale-up cooldown just over: act', in: input({ request_rate: 150 }, { lastScaleUpAt: NOW - 180_000 }), action: 'scale_up', to: 6, reason: /scaling up 4 → 6/ },
  { name: 'below min-replicas: raised to the bound, and the reason says so', in: input({}, { currentReplicas: 1, settings: { ...settings, minReplicas: 3 }, sample: { t: NOW, values: idle, missing: {}, replicas: 1 } }), action: 'scale_up', to: 3, reason: /raised to min-replicas 3/ },
  { name: 'idle: scale down by at most half', in: input({}), action: 'scale_down', to: 2, reason: /scaling down 4 → 2/ },
  { name: 'scale-down inside its cooldown (measured from a scale-up): hold', in: input({}, { lastScaleUpAt: NOW - 100_000 }), action: 'none', to: 4, reason: /scale-down to 2 held by cooldown \(200s left\)/ },
  { name: 'missing signal: never scale down', in: { ...input({}), sample: { t: NOW, values: idle, missing: { cpu_utilization: 'metrics.k8s.io unavailable' }, replicas: 4 } }, action: 'none', to: 4, reason: /signals missing \(cpu_utilization\)/ },
  { name: 'reactive: a signal above its scale-down threshold blocks scale-down', in: input({ cpu_utilization: 35 }), action: 'none', to: 4, reason: /not every signal is below its scale-down threshold/ },
  { name: 'stabilization window holds a scale-down', in: input({}, { recentRecommendations: [{ t: NOW - 60_000, replicas: 4 }] }), action: 'none', to: 4, reason: /stabilization window/ },
  { name: 'at the min bound: hold', in: input({}, { currentReplicas: 1, sample: { t: NOW, values: idle, missing: {}, replicas: 1 } }), action: 'none', to: 1, reason: /1 replicas fit/ },
  { name: 'confident forecast scales up ahead of load', in: input({ request_rate: 80 }, { forecast: forecast({ request_rate: 160 }, 0.9) }), action: 'scale_up', to: 7, reason: /predicted \(ensemble confidence 0\.90/ },
  { name: 'forecast below the confidence threshold: reactive, and says so', in: input({ request_rate: 80 }, { forecast: forecast({ request_rate: 160 }, 0.5) }), action: 'none', to: 4, reason: /reactive \(ensemble confidence 0\.50 below 0\.80\)/ },
  { name: 'confident forecast of low load scales down without the dead band', in: input({ request_rate: 40, cpu_utilization: 28 }, { forecast: forecast({ request_rate: 40, cpu_utilization: 28 }, 0.95) }), action: 'scale_down', to: 2, reason: /predicted/ },
  { name: 'no forecast: reason carries the model note', in: input({ request_rate: 150 }, { forecastNote: 'insufficient data (40 samples, need more than 100)' }), action: 'scale_up', to: 6, reason: /insufficient data \(40 samples/ },
  { name: 'AI off: plain threshold scaler ignores the forecast', in: input({ request_rate: 80 }, { forecast: forecast({ request_rate: 400 }, 1), scaling: { ...config.scaling, enable_ai_scaling: false } }), action: 'none', to: 4, reason: /threshold scaling \(AI off\)/ },
  { name: 'no metrics at all: hold', in: { ...input({}), sample: { t: NOW, values: {}, missing: { request_rate: 'down' }, replicas: 4 } }, action: 'none', to: 4, reason: /no metrics available/ },
  { name: 'pods still starting: need is counted on ready pods', in: input({ request_rate: 200 }, { currentReplicas: 6, sample: { t: NOW, values: { ...idle, request_rate: 200 }, missing: {}, replicas: 3 } }), action: 'none', to: 6, reason: /6 replicas fit/ },
];

for (const c of cases) {
  test(`decide: ${c.name}`, () => {
    const d = decide(c.in);
    assert.equal(d.action, c.action, d.reason);
    assert.equal(d.to, c.to, d.reason);
    assert.match(d.reason, c.reason);
    assert.ok(!d.reason.includes('\n'), 'reason is one line');
  });
}

test('pressure: the max of weight-damped ratios, not a mean', () => {
  const w = config.scaling.ai_model.feature_weights;
  const up = config.scaling.scale_up_thresholds;
  const p = combinePressure({ cpu_utilization: 210, request_rate: 10, error_rate: 0.1 }, up, w)!;
  // cpu at 3x with weight 0.25 of the top 0.30: 1 + (0.25/0.3)·2 = 2.67; a weighted mean would be ~1.
  assert.ok(Math.abs(p.value - (1 + (0.25 / 0.3) * 2)) < 1e-9);
  assert.equal(p.drivers[0], 'cpu_utilization');
  const quiet = combinePressure({ error_rate: 0.05, request_rate: 50 }, up, w)!;
  assert.equal(quiet.value, 0.5, 'below thresholds the raw ratio counts, so idle light signals do not hold replicas up');
});

test('decide: a learnt memory baseline lets a lightly loaded target scale down', () => {
  // 3 pods at a third of capacity: memory 43% reads 0.58 of its threshold with a plain ratio
  // (2 pods), but only 0.30 above its 30% baseline: one pod carries the load.
  const values = { ...idle, request_rate: 100 / 3, cpu_utilization: 70 / 3, memory_utilization: 30 + 40 / 3 };
  const sample = { t: NOW, values, missing: {}, replicas: 3 };
  const f = (baselines?: V): Forecast => ({ values, peak: values, confidence: 0.95, model: 'ensemble', baselines });
  assert.equal(decide({ ...input({}), currentReplicas: 3, sample, forecast: f() }).to, 2);
  const d = decide({ ...input({}), currentReplicas: 3, sample, forecast: f({ memory_utilization: 30 }) });
  assert.equal(d.action, 'scale_down', d.reason);
  assert.equal(d.to, 2, 'at most half per step');
  assert.equal(d.recommendation, 1, d.reason);
});
