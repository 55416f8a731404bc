import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ModelType } from '../src/config/schema.js';
import { Predictor } from '../src/scaling/predict/predictor.js';
import type { Trace } from '../src/simulate/trace.js';

export interface Cost {
  model: ModelType;
  trainMs: number;
  predictUs: number;
  observeUs: number;
  heapKiB: number;
}

const TARGETS = 8;

// A forced collection before and after makes the heap difference mean "what one target keeps".
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Cost of one target at the default 24 h window: a full retrain, one forecast, one observation, retained heap. */
export function measureCost(trace: Trace, model: ModelType, windowMs = 86_400_000): Cost {
  const minutes = Math.min(trace.load.length, Math.round(windowMs / 60_000) + 60);
  const sample = (i: number) => ({ t: trace.t[i]!, values: { request_rate: trace.load[i]! / 60 }, missing: {}, replicas: 1 });
  const make = () => {
    const q = new Predictor('bench/target', { model, horizonMs: 600_000, windowMs, retrainIntervalMs: 7_200_000 });
    for (let i = 0; i < minutes - 30; i++) q.observe(sample(i));
    return q;
  };
  // Retained heap: the average over several trained targets, so collector noise evens out.
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: TARGETS }, () => {
    const q = make();
    q.retrain(trace.t[minutes - 31]!);
    return q;
  });
  gc();
  gc();
  const heapKiB = (process.memoryUsage().heapUsed - before) / 1024 / TARGETS;
  const p = kept[0]!;
  const fresh = make();
  const t0 = performance.now();
  fresh.retrain(trace.t[minutes - 31]!);
  const trainMs = performance.now() - t0;
  let observe = 0;
  let predict = 0;
  for (let i = minutes - 30; i < minutes; i++) {
    const a = performance.now();
    p.observe(sample(i));
    const b = performance.now();
    p.forecast();
    predict += performance.now() - b;
    observe += b - a;
  }
  return { model, trainMs, predictUs: (predict / 30) * 1000, observeUs: (observe / 30) * 1000, heapKiB };
}
