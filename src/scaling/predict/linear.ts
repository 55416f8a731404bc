import { Matrix, inverse, solve } from 'ml-matrix';

/** Serializable state of a fitted linear model (weights per output, RLS covariance). */
export interface LinearState {
  kind: 'linear';
  /** weights[k][j]: output k, feature j (feature 0 is the constant 1). */
  weights: number[][];
  /** Inverse regularised Gram matrix, kept for recursive least-squares updates. */
  p: number[][];
}

/** Ridge penalty: keeps correlated lags (y0, y1, y2 ...) from taking huge opposite weights. */
const RIDGE = 1e-2;
/** RLS forgetting factor per update: about a day of one-minute updates keeps its say. */
const FORGET = 0.9995;

const withBias = (row: readonly number[]): number[] => [1, ...row];

/** Least squares (ridge) fit of every output on the same design matrix, with ml-matrix. */
export function fitLinear(x: readonly number[][], y: readonly number[][]): LinearState {
  const X = new Matrix(x.map(withBias));
  const Y = new Matrix(y as number[][]);
  const gram = X.transpose().mmul(X);
  for (let j = 0; j < gram.rows; j++) gram.set(j, j, gram.get(j, j) + RIDGE * Math.max(1, x.length / 100));
  const rhs = X.transpose().mmul(Y);
  const w = solve(gram, rhs);
  return { kind: 'linear', weights: w.transpose().to2DArray(), p: inverse(gram).to2DArray() };
}

export function predictLinear(state: LinearState, row: readonly number[]): number[] {
  const x = withBias(row);
  return state.weights.map((w) => w.reduce((s, wj, j) => s + wj * (x[j] as number), 0));
}

/** One recursive-least-squares step with forgetting: the cheap per-cycle online update. */
export function updateLinear(state: LinearState, row: readonly number[], targets: readonly number[]): void {
  const x = withBias(row);
  const n = x.length;
  const px = state.p.map((r) => r.reduce((s, v, j) => s + v * (x[j] as number), 0));
  const denom = FORGET + px.reduce((s, v, j) => s + v * (x[j] as number), 0);
  if (!(denom > 0) || !Number.isFinite(denom)) return;
  const gain = px.map((v) => v / denom);
  state.weights.forEach((w, k) => {
    const err = (targets[k] as number) - w.reduce((s, wj, j) => s + wj * (x[j] as number), 0);
    for (let j = 0; j < n; j++) w[j] = (w[j] as number) + (gain[j] as number) * err;
  });
  for (let i = 0; i < n; i++) {
    const row_i = state.p[i] as number[];
    for (let j = 0; j < n; j++) row_i[j] = ((row_i[j] as number) - (gain[i] as number) * (px[j] as number)) / FORGET;
  }
}
