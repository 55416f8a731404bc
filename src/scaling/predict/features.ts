/**
 * Feature vectors for direct multi-horizon forecasting of one load series. Values are
 * normalised by a scale fixed at training time so the same weights apply as load moves.
 */
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Recent-history lags, in steps: the last few points carry level and momentum. */
const LAGS = [0, 1, 2, 4, 9, 14, 29] as const;
const LONG_MEAN = 60;

export interface FeatureSpec {
  stepMs: number;
  /** Steps ahead for each model output, ascending; the last is the prediction horizon. */
  horizons: number[];
  /** Seasonal periods in steps (daily, weekly) found in the history; empty when none. */
  periods: number[];
}

/** How many earlier points a feature row needs. */
export function lookback(spec: FeatureSpec): number {
  return Math.max(LONG_MEAN, LAGS[LAGS.length - 1]! + 1, ...spec.periods.map((p) => p + 1));
}

/** Whether feature `j` is a load level (lags, means, slope, seasonal lags) rather than a sine/cosine of time. */
export function isLevelFeature(j: number): boolean {
  return j < LAGS.length + 3 || j >= LAGS.length + 9;
}

function mean(y: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let k = from; k < to; k++) s += y[k] as number;
  return s / Math.max(1, to - from);
}

/**
 * Features for the point at index `i` of `y` (already normalised), taken at time `t`.
 * Time-of-day and day-of-week enter as sine/cosine pairs so midnight sits next to 23:59.
 */
export function features(y: ArrayLike<number>, i: number, t: number, spec: FeatureSpec): number[] {
  const out: number[] = [];
  for (const lag of LAGS) out.push(y[i - lag] as number);
  out.push(mean(y, i - 14, i + 1), mean(y, i - LONG_MEAN + 1, i + 1));
  out.push((y[i] as number) - (y[i - 4] as number));
  const day = (2 * Math.PI * (t % DAY_MS)) / DAY_MS;
  const week = (2 * Math.PI * (t % WEEK_MS)) / WEEK_MS;
  out.push(Math.sin(day), Math.cos(day), Math.sin(2 * day), Math.cos(2 * day), Math.sin(week), Math.cos(week));
  const reach = spec.horizons[spec.horizons.length - 1] ?? 1;
  for (const p of spec.periods) {
    // What the series did one period ago, at "now" and across the coming horizon.
    out.push(y[i - p] as number, mean(y, i - p + 1, Math.min(i + 1, i - p + reach + 1)));
  }
  return out;
}

export interface TrainingSet {
  x: number[][];
  y: number[][];
  scale: number;
}

/** Normalising scale: the window's mean, floored so an idle service does not divide by ~0. */
export function scaleOf(y: readonly number[]): number {
  const m = mean(y, 0, y.length);
  return Math.max(m, 1e-6);
}

/**
 * Rows whose targets are already observed. `stride` > 1 thins the rows to cap training cost.
 */
export function trainingSet(raw: readonly number[], t0: number, spec: FeatureSpec, stride = 1): TrainingSet {
  const scale = scaleOf(raw);
  const y = raw.map((v) => v / scale);
  const reach = spec.horizons[spec.horizons.length - 1]!;
  const x: number[][] = [];
  const targets: number[][] = [];
  const last = y.length - 1 - reach;
  for (let i = last; i >= lookback(spec); i -= stride) {
    x.push(features(y, i, t0 + i * spec.stepMs, spec));
    targets.push(spec.horizons.map((h) => y[i + h] as number));
  }
  return { x, y: targets, scale };
}
