import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config/load.js';
import { combinePressure, ratioOf } from '../../src/scaling/decide/pressure.js';
import { SignalBaselines } from '../../src/scaling/predict/baseline.js';
import { scaleSignals } from '../../src/scaling/predict/load.js';

/** Samples where requests follow `u` and memory is 30% + 40% × u (or purely proportional). */
function fed(n: number, u: (i: number) => number, memory: (u: number) => number): SignalBaselines {
  const b = new SignalBaselines();
  for (let i = 0; i < n; i++) {
    const x = u(i);
    b.observe({ t: i * 60_000, values: { request_rate: 100 * x, memory_utilization: memory(x), cpu_utilization: 70 * x }, missing: {}, replicas: 2 }, 'request_rate');
  }
  return b;
}
const wavy = (i: number) => 0.5 + 0.4 * Math.sin(i / 50);

test('baselines: the intercept of an affine signal is found; proportional signals have none', () => {
  const b = fed(500, wavy, (x) => 30 + 40 * x).baselines();
  assert.ok(Math.abs((b.memory_utilization ?? 0) - 30) < 1e-6, JSON.stringify(b));
  assert.equal(b.cpu_utilization, undefined, 'cpu is proportional to requests: no baseline');
});

test('baselines: none before 100 observations, none when the driver never moved', () => {
  assert.deepEqual(fed(80, wavy, (x) => 30 + 40 * x).baselines(), {});
  assert.deepEqual(fed(500, () => 0.5, (x) => 30 + 40 * x).baselines(), {});
});

test('baselines: never above the lowest value seen, never negative', () => {
  // A signal that falls with load (slope < 0) gets no baseline.
  assert.equal(fed(500, wavy, (x) => 80 - 20 * x).baselines().memory_utilization, undefined);
});

test('ratio with a baseline: replicas are sized on the part above it', () => {
  // memory 43.3% at a third of capacity, baseline 30%, threshold 75%: (43.3 − 30) / 45 ≈ 0.30, not 0.58.
  assert.ok(Math.abs(ratioOf(30 + 40 / 3, 75, 30) - (40 / 3) / 45) < 1e-9);
  assert.equal(ratioOf(60, 75, undefined), 0.8);
  assert.equal(ratioOf(60, 75, 70), 0.8, 'a baseline near the threshold is ignored (plain ratio)');
  const c = defaultConfig().scaling;
  const values = { request_rate: 100 / 3, memory_utilization: 30 + 40 / 3 };
  assert.equal(combinePressure(values, c.scale_up_thresholds, c.ai_model.feature_weights)!.drivers[0], 'memory_utilization');
  const p = combinePressure(values, c.scale_up_thresholds, c.ai_model.feature_weights, { memory_utilization: 30 })!;
  assert.equal(p.drivers[0], 'request_rate');
  assert.ok(Math.abs(p.value - 1 / 3) < 1e-9);
});

test('scaleSignals: only the part above a baseline moves with predicted load', () => {
  const sample = { t: 0, values: { request_rate: 50, memory_utilization: 50 }, missing: {}, replicas: 2 };
  const out = scaleSignals(sample, 'request_rate', 100, 200, { memory_utilization: 30 });
  assert.equal(out.request_rate, 100);
  assert.equal(out.memory_utilization, 70);
});
