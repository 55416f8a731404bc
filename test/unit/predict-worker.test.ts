import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Predictor } from '../../src/scaling/predict/predictor.js';
import { WorkerTrainer } from '../../src/scaling/predict/worker-trainer.js';

test('worker trainer: a full retrain off the event loop installs a working model', async () => {
  const p = new Predictor('ns/app', { model: 'ensemble', horizonMs: 600_000, windowMs: 86_400_000, retrainIntervalMs: 7_200_000 });
  for (let i = 0; i < 300; i++) p.observe({ t: i * 60_000, values: { request_rate: 10 + Math.sin(i / 20) }, missing: {}, replicas: 2 });
  const job = p.trainingJob();
  assert.ok(job);
  const trainer = new WorkerTrainer();
  try {
    const result = await trainer.train(job);
    assert.ok(result.linear && result.neural, 'both members trained');
    p.applyTrained(result, 300 * 60_000);
    const f = p.forecast();
    assert.ok(!('unavailable' in f));
    // Total load 2 × (10 + sin(i / 20)) stays within 18..22 req/s.
    assert.ok(f.load!.predicted > 16 && f.load!.predicted < 24, `got ${f.load!.predicted}`);
  } finally {
    await trainer.close();
  }
});
