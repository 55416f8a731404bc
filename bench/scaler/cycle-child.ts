// Child process (one core, --expose-gc): N synthetic targets with 24 h of 30 s history in the
// product's own structures; one predict-and-decide pass over all of them is timed.
import { serveParent } from '../lib/proc.js';
import { Engine, ENGINE, RETRAIN } from './engine.js';
import { dayOfSamples, rng, sampleAt, STEP_MS } from './synthetic.js';

export interface CycleReport {
  targets: number;
  engine: string;
  retrainKind: string;
  setupMs: number;
  cycleMs: number[];
  bytesPerTarget: number;
  historyBytesPerTarget: number;
  retrainMsPerTarget: number;
  retrainSampled: number;
  actions: Record<string, number>;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

async function measure(targets: number, cycles: number, retrainSample: number): Promise<CycleReport> {
  const end = Date.UTC(2025, 5, 2, 12);
  const before = heap();
  const t0 = performance.now();
  const engine = new Engine();
  for (let i = 0; i < targets; i++) engine.addTarget(i, dayOfSamples(i, end));
  // Fit a few targets' models and share them round-robin: a forecast costs the same whichever
  // target's data a model came from, and fitting 10,000 of them would only lengthen setup.
  const fitted = Array.from({ length: Math.min(10, targets) }, (_, i) => engine.train(i, end)).filter((m) => m !== undefined);
  for (let i = fitted.length; i < targets; i++) if (fitted.length > 0) engine.install(i, fitted[i % fitted.length]!, end);
  const setupMs = performance.now() - t0;
  const bytesPerTarget = (heap() - before) / targets;

  const cycleMs: number[] = [];
  const actions: Record<string, number> = {};
  for (let c = 1; c <= cycles; c++) {
    const now = end + c * STEP_MS;
    // The new samples exist before the clock starts: collecting them is network work, not ours.
    const fresh = Array.from({ length: targets }, (_, i) => sampleAt(i, now, rng(i * 31 + c)));
    gc();
    const started = performance.now();
    for (let i = 0; i < targets; i++) {
      const d = engine.step(i, fresh[i]!, now);
      if (c === cycles) actions[d.action] = (actions[d.action] ?? 0) + 1;
    }
    cycleMs.push(performance.now() - started);
  }
  const sampled = Math.min(retrainSample, targets);
  let retrainMs = 0;
  for (let i = 0; i < sampled; i++) retrainMs += await engine.retrain(i);
  await engine.close();
  return {
    targets, engine: ENGINE, retrainKind: RETRAIN, setupMs, cycleMs, bytesPerTarget,
    historyBytesPerTarget: engine.historyBytes() / targets, retrainMsPerTarget: retrainMs / sampled, retrainSampled: sampled, actions,
  };
}

serveParent(async (msg) => {
  if (msg.type !== 'measure') return undefined;
  return { type: 'result', result: await measure(Number(msg.targets), Number(msg.cycles), Number(msg.retrainSample)) };
});
process.send?.({ type: 'ready' });
