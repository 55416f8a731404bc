import brain from 'brain.js';
import { isLevelFeature } from './features.js';

/** Serializable state of the feed-forward network (brain.js JSON plus our output scaling). */
export interface NeuralState {
  kind: 'neural_network';
  json: ReturnType<InstanceType<typeof brain.NeuralNetwork>['toJSON']>;
  /** Inputs and outputs are divided by this so they sit inside the sigmoid's range. */
  squash: number;
}

export interface NeuralOptions {
  learningRate: number;
  iterations: number;
  hidden: number[];
}

export const NEURAL_DEFAULTS: NeuralOptions = { learningRate: 0.01, iterations: 60, hidden: [12] };

type Net = InstanceType<typeof brain.NeuralNetwork>;

// Level-like inputs (lags, means) are positive and can exceed 1 after normalising by the
// window mean; dividing them by `squash` keeps the sigmoid output unsaturated. Sine/cosine
// features are already in [-1, 1] and pass through.
function squashRow(row: readonly number[], squash: number): number[] {
  return row.map((v, j) => (isLevelFeature(j) ? v / squash : v));
}

/** Trains (or keeps training, when `previous` is given) a feed-forward net on the rows. */
export function fitNeural(
  x: readonly number[][],
  y: readonly number[][],
  opts: NeuralOptions,
  previous?: NeuralState,
): NeuralState {
  const peak = Math.max(1, ...y.map((r) => Math.max(...r)), ...x.map((r) => r[0] ?? 0));
  const squash = previous ? Math.max(previous.squash, peak * 1.25) : peak * 1.5;
  const net: Net = new brain.NeuralNetwork({ hiddenLayers: opts.hidden });
  if (previous && previous.squash === squash && previous.json.sizes[0] === (x[0]?.length ?? 0)) net.fromJSON(previous.json);
  const data = x.map((row, i) => ({
    input: squashRow(row, squash),
    output: (y[i] as number[]).map((v) => Math.min(1, Math.max(0, v / squash))),
  }));
  net.train(data, { iterations: opts.iterations, learningRate: opts.learningRate, errorThresh: 1e-5, log: false });
  return { kind: 'neural_network', json: net.toJSON(), squash };
}

/** A runnable network rebuilt from its state once, then called per prediction. */
export class NeuralRunner {
  private readonly net: Net;

  constructor(readonly state: NeuralState) {
    this.net = new brain.NeuralNetwork().fromJSON(state.json);
  }

  predict(row: readonly number[]): number[] {
    const out = this.net.run(squashRow(row, this.state.squash)) as ArrayLike<number>;
    return Array.from(out, (v) => v * this.state.squash);
  }
}
