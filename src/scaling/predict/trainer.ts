import { trainingSet, type FeatureSpec } from './features.js';
import { fitLinear, type LinearState } from './linear.js';
import { fitNeural, type NeuralOptions, type NeuralState } from './neural.js';

/** Everything a full retrain needs; plain data so it can cross a worker-thread boundary. */
export interface TrainingJob {
  key: string;
  /** The load series, oldest first, one value per step. */
  values: number[];
  /** Time (ms) of values[0]. */
  t0: number;
  spec: FeatureSpec;
  linear: boolean;
  neural: boolean;
  neuralOptions: NeuralOptions;
  /** The previous network, so a retrain continues from it instead of starting cold. */
  previousNeural?: NeuralState;
  /** Cap on network training rows; the window is thinned evenly to fit. */
  maxNeuralRows: number;
}

export interface TrainedModels {
  key: string;
  spec: FeatureSpec;
  scale: number;
  linear?: LinearState;
  neural?: NeuralState;
  rows: number;
  /** Wall time of the fit, for the cost report. */
  ms: number;
}

/** A full fit of the requested models. Pure and synchronous: run it inline or in a worker. */
export function trainModels(job: TrainingJob): TrainedModels {
  const started = performance.now();
  const set = trainingSet(job.values, job.t0, job.spec);
  const out: TrainedModels = { key: job.key, spec: job.spec, scale: set.scale, rows: set.x.length, ms: 0 };
  if (set.x.length === 0) return { ...out, ms: performance.now() - started };
  if (job.linear) out.linear = fitLinear(set.x, set.y);
  if (job.neural) {
    const stride = Math.max(1, Math.ceil(set.x.length / job.maxNeuralRows));
    const x = set.x.filter((_, i) => i % stride === 0);
    const y = set.y.filter((_, i) => i % stride === 0);
    out.neural = fitNeural(x, y, job.neuralOptions, job.previousNeural);
  }
  out.ms = performance.now() - started;
  return out;
}
