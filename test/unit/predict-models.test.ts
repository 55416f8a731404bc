import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelType } from '../../src/config/schema.js';
import { ErrorTracker, confidenceFrom } from '../../src/scaling/predict/confidence.js';
import { ensembleWeights } from '../../src/scaling/predict/ensemble.js';
import { Predictor } from '../../src/scaling/predict/predictor.js';
import { autocorrelation, detectSeasonality } from '../../src/scaling/predict/seasonality.js';

const STEP = 600_000; // 10-minute grid keeps the multi-day series small
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Feeds `f(i)` (total load) for `n` steps; retrains every 2 h; returns the predictor. */
function fed(model: ModelType, n: number, f: (i: number) => number, windowMs = 3 * DAY, horizonMs = 3_600_000): Predictor {
  const p = new Predictor('ns/app', { model, horizonMs, windowMs, retrainIntervalMs: 7_200_000, stepMs: STEP, scoreWindowMs: STEP });
  for (let i = 0; i < n; i++) {
    const t = T0 + i * STEP;
    p.observe({ t, values: { request_rate: f(i) }, missing: {}, replicas: 1 });
    if (p.needsRetrain(t)) p.retrain(t);
  }
  return p;
}

function predicted(p: Predictor): number {
  const f = p.forecast();
  assert.ok(!('unavailable' in f), `expected a forecast, got ${JSON.stringify(f)}`);
  return f.load!.predicted;
}

const line = (i: number) => 50 + 0.5 * i;
const sine = (i: number) => 100 + 50 * Math.sin((2 * Math.PI * i * STEP) / DAY);
const step = (i: number) => (i < 300 ? 20 : 60);

test('linear: a line is extrapolated over the horizon', () => {
  const p = fed('linear', 400, line);
  // Newest point is i = 399; the horizon is 6 steps ahead.
  assert.ok(Math.abs(predicted(p) - line(405)) / line(405) < 0.01, `got ${predicted(p)}, want ${line(405)}`);
});

test('linear: a sine with a daily period is followed an hour ahead', () => {
  const p = fed('linear', 3 * 144, sine);
  const want = sine(3 * 144 - 1 + 6);
  assert.ok(Math.abs(predicted(p) - want) / want < 0.05, `got ${predicted(p)}, want ${want}`);
});

test('linear: after a step the forecast settles at the new level', () => {
  const p = fed('linear', 600, step);
  assert.ok(Math.abs(predicted(p) - 60) / 60 < 0.1, `got ${predicted(p)}`);
});

test('neural_network: sine and step are learnt within 15%', () => {
  const s = fed('neural_network', 3 * 144, sine);
  const want = sine(3 * 144 - 1 + 6);
  assert.ok(Math.abs(predicted(s) - want) / want < 0.15, `sine: got ${predicted(s)}, want ${want}`);
  const st = fed('neural_network', 420, step);
  assert.ok(Math.abs(predicted(st) - 60) / 60 < 0.15, `step: got ${predicted(st)}`);
});

test('ensemble: forecasts the line and is confident on a clean series', () => {
  const p = fed('ensemble', 400, line);
  assert.ok(Math.abs(predicted(p) - line(405)) / line(405) < 0.05, `got ${predicted(p)}`);
  assert.ok(p.confidence() > 0.9, `confidence ${p.confidence()}`);
});

test('ensemble weights favour the member with the smaller recent error', () => {
  const w = ensembleWeights(1, 2);
  assert.ok(Math.abs(w.linear - 0.8) < 1e-9 && Math.abs(w.neural_network - 0.2) < 1e-9);
  assert.deepEqual(ensembleWeights(Infinity, 1), { linear: 0.5, neural_network: 0.5 });
});

test('confidence is low on noise the model cannot know', () => {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
  const p = fed('linear', 400, () => noise());
  assert.ok(p.confidence() < 0.8, `confidence ${p.confidence()}`);
});

test('100 samples or fewer: the model says so instead of predicting', () => {
  const p = fed('linear', 100, line);
  assert.deepEqual(p.forecast(), { unavailable: 'insufficient data (100 samples, need more than 100)' });
  assert.equal(p.needsRetrain(T0 + 100 * STEP), false);
});

test('seasonality: daily period found in a sine, not in a line', () => {
  const ys = Array.from({ length: 3 * 144 }, (_, i) => sine(i));
  assert.ok(autocorrelation(ys, 144) > 0.9);
  assert.deepEqual(detectSeasonality(ys, [144, 1008]), [144]);
  assert.deepEqual(detectSeasonality(Array.from({ length: 200 }, (_, i) => i), [144]), []);
});

test('confidence: rare bursts do not sink a model that follows the load; a consistently wrong one is low', () => {
  const score = (actual: (i: number) => number, pred: (i: number) => number): number => {
    const t = new ErrorTracker([1]);
    for (let i = 0; i < 300; i++) {
      t.issue(i, [pred(i)]);
      t.resolve(i + 1, actual(i + 1), actual(i + 1), 1);
    }
    return confidenceFrom(t.summary());
  };
  // Exact but for a 5x burst one step in ten: the mean error would say 0.6, the typical one says 1.
  const bursty = (i: number) => (i % 10 === 0 ? 500 : 100);
  assert.equal(score(bursty, () => 100), 1);
  // 40% off every step: confidence 0.6, under the default 0.8 threshold.
  assert.ok(Math.abs(score(() => 100, () => 140) - 0.6) < 1e-9);
});

test('upper band: the quantile of recent under-prediction, per horizon', () => {
  const t = new ErrorTracker([1]);
  // Actuals 0%, 10%, ..., 90% over a prediction of 100, repeated: the 65% quantile is 60%.
  for (let i = 0; i < 300; i++) {
    t.issue(i, [100]);
    t.resolve(i + 1, 100 + 10 * (i % 10), 100, 1);
  }
  assert.ok(Math.abs(t.upperMargins()[0]! - 0.6) < 1e-9, String(t.upperMargins()));
});
