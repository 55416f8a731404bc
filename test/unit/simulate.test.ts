import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HoltWinters } from '../../src/simulate/holt-winters.js';
import { hpaRecommendation, hpaStep, type HpaState } from '../../src/simulate/hpa.js';
import { parseSimulateArgs, simParams } from '../../src/simulate/options.js';
import { PodPool } from '../../src/simulate/pods.js';
import { toJson } from '../../src/simulate/report.js';
import { simulate } from '../../src/simulate/run.js';
import { parseTrace } from '../../src/simulate/trace.js';

test('hpa: desired = ceil(current × metric / target), 10% tolerance', () => {
  assert.equal(hpaRecommendation(4, 4, 6), 6); // ratio 1.5
  assert.equal(hpaRecommendation(4, 4, 4.36), 4); // ratio 1.09: inside tolerance
  assert.equal(hpaRecommendation(4, 4, 4.5), 5); // ratio 1.125
  assert.equal(hpaRecommendation(4, 4, 2), 2); // ratio 0.5
  assert.equal(hpaRecommendation(10, 10, 9.1), 10); // ratio 0.91: inside tolerance
});

test('hpa: pods still starting count as idle when scaling up', () => {
  assert.equal(hpaRecommendation(6, 4, 6), 6); // 6 / 6 pods = 1.0: the starting pods absorb it
  assert.equal(hpaRecommendation(6, 4, 9), 9);
});

test('hpa: scale-up limited to max(4 pods, 100%) per period; scale-down stabilized over 5 minutes', () => {
  const s: HpaState = { history: [] };
  assert.equal(hpaStep(s, { now: 0, current: 2, ready: 2, usage: 20, min: 1, max: 50 }), 6);
  assert.equal(hpaStep(s, { now: 15_000, current: 10, ready: 10, usage: 20, min: 1, max: 50 }), 20);
  const d: HpaState = { history: [] };
  assert.equal(hpaStep(d, { now: 0, current: 8, ready: 8, usage: 8, min: 1, max: 50 }), 8);
  assert.equal(hpaStep(d, { now: 60_000, current: 8, ready: 8, usage: 2, min: 1, max: 50 }), 8); // 8 recommended 1 min ago
  assert.equal(hpaStep(d, { now: 300_000, current: 8, ready: 8, usage: 2, min: 1, max: 50 }), 2); // window passed
});

test('holt-winters: a repeating day is forecast from its season', () => {
  const hw = new HoltWinters(24);
  const day = (i: number) => 100 + 50 * Math.sin((2 * Math.PI * i) / 24);
  for (let i = 0; i < 24 * 10; i++) hw.update(day(i));
  for (const h of [1, 6, 13, 18]) assert.ok(Math.abs(hw.forecast(h) - day(239 + h)) < 10, `h=${h}: got ${hw.forecast(h)}, want ${day(239 + h)}`);
});

test('pods become ready after the start-up delay; scale-down drops unready pods first', () => {
  const pool = new PodPool(1, 120_000);
  pool.scaleTo(3, 0);
  assert.equal(pool.ready(119_999), 1);
  assert.equal(pool.ready(120_000), 3);
  pool.scaleTo(5, 200_000);
  pool.scaleTo(3, 210_000);
  assert.equal(pool.ready(210_000), 3);
  assert.equal(pool.actions, 3);
});

test('trace: header skipped, gaps in the minute index kept as gaps', () => {
  const tr = parseTrace('timestamp,minute_index,requests\n1995-07-01T00:00:00-04:00,0,42\n1995-07-01T00:05:00-04:00,5,7\n', 'x.csv');
  assert.deepEqual(tr.load, [42, 7]);
  assert.equal(tr.t[1]! - tr.t[0]!, 300_000);
  assert.throws(() => parseTrace('a,b,c\nbad,row\n', 'y.csv'), /line 2/);
});

test('trace: bad input is refused with the line and the rule', () => {
  const h = 'timestamp,minute_index,requests\n';
  assert.throws(() => parseTrace('1995-07-01T00:00:00Z,0,42\n', 'x.csv'), /line 1: expected a header/);
  assert.throws(() => parseTrace(`${h}1995-07-01T00:01:00Z,1,5\n1995-07-01T00:00:00Z,0,5\n`, 'x.csv'), /line 3: minute_index must increase/);
  assert.throws(() => parseTrace(`${h}1995-07-01T00:00:00Z,0,-5\n`, 'x.csv'), /line 2: requests must be a number from 0 to 1e12, got "-5"/);
  assert.throws(() => parseTrace(`${h}1995-07-01T00:00:00Z,0,1e308\n`, 'x.csv'), /requests must be a number/);
  assert.throws(() => parseTrace(h, 'x.csv'), /no rows after the header/);
});

test('simulate: four policies; oracle never short once pods can start; JSON has the documented fields', () => {
  const rows = ['timestamp,minute_index,requests'];
  for (let m = 0; m < 600; m++) rows.push(`2024-01-01T00:00:00Z,${m},${Math.round(1000 + 800 * Math.sin(m / 30))}`);
  const trace = parseTrace(rows.join('\n'), 'synthetic.csv');
  const params = simParams(parseSimulateArgs(['--trace', 'synthetic.csv', '--model', 'linear', '--max', '10']), trace);
  assert.equal(params.capacityPerPod, 180); // peak 1800 / 10 replicas
  const out = simulate(trace, params);
  assert.deepEqual(out.results.map((r) => r.policy), ['hydra-route', 'hpa', 'holt-winters', 'oracle']);
  const oracle = out.results[3]!;
  assert.ok(oracle.violationMinutes <= 3, `oracle violated ${oracle.violationMinutes} min`);
  assert.ok(out.results[1]!.overCapacityShare > oracle.overCapacityShare);
  const json = JSON.parse(toJson(out.results)) as Array<Record<string, unknown>>;
  assert.deepEqual(Object.keys(json[0]!), ['policy', 'overCapacityShare', 'violationMinutes', 'replicaHours', 'scalingActions']);
});

test('simulate options: bad flags are refused with a message', () => {
  assert.throws(() => parseSimulateArgs([]), /--trace FILE is required/);
  assert.throws(() => parseSimulateArgs(['--trace', 'a', '--output', 'xml']), /table or json/);
  assert.throws(() => parseSimulateArgs(['--trace', 'a', '--startup-delay', 'soon']), /duration/);
});
