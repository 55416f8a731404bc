import { SIGNALS, type Signal } from '../../config/schema.js';

export type Values = Partial<Record<Signal, number>>;

export interface Pressure {
  /** Combined pressure: 1 means "exactly at the thresholds"; > 1 asks for more replicas. */
  value: number;
  /** Present signals, strongest contribution first. */
  drivers: Signal[];
  /** Each present signal's raw ratio value / threshold. */
  ratios: Partial<Record<Signal, number>>;
}

/**
 * Combines signals into one pressure against a set of thresholds.
 *
 * Each signal's ratio r = value / threshold counts as is up to 1; above 1 its excess is
 * damped by its weight relative to the heaviest weight: p = 1 + (w / w_max) · (r − 1).
 * The pressure is the largest p.
 *
 * Why not a weighted mean: with the default weights, CPU at 3× its threshold and every other
 * signal idle averages to about 1.0 — no scale-up while one resource is saturated. Taking the
 * maximum means one hot signal is enough (as the HPA does across metrics); the weight says
 * how much of a signal's excess we trust as a measure of missing capacity, so a lightly
 * weighted symptom (error_rate, 0.02) nudges rather than doubles. A weight of 0 ignores the
 * signal; a threshold of 0 cannot be compared against and is skipped too. `baselines`
 * (per-pod, see ratioOf) correct the ratio of signals that do not fall in proportion to replicas.
 */
export function combinePressure(
  values: Values, thresholds: Record<Signal, number>, weights: Record<Signal, number>, baselines: Values = {},
): Pressure | undefined {
  const wMax = Math.max(...SIGNALS.map((s) => (values[s] === undefined ? 0 : weights[s])));
  if (!(wMax > 0)) return undefined;
  const scored: Array<[Signal, number]> = [];
  const ratios: Partial<Record<Signal, number>> = {};
  for (const s of SIGNALS) {
    const v = values[s];
    if (v === undefined || !Number.isFinite(v) || thresholds[s] <= 0 || weights[s] <= 0) continue;
    const r = ratioOf(v, thresholds[s], baselines[s]);
    ratios[s] = r;
    // Below the threshold the raw ratio counts: damping it towards 1 would let an idle,
    // lightly weighted signal hold replicas up for ever.
    scored.push([s, r <= 1 ? r : 1 + (weights[s] / wMax) * (r - 1)]);
  }
  if (scored.length === 0) return undefined;
  scored.sort((a, b) => b[1] - a[1]);
  return { value: Math.max(0, scored[0]![1]), drivers: scored.map(([s]) => s), ratios };
}

/** Most of a threshold a baseline may take; above it the baseline is ignored (plain ratio). */
const MAX_BASELINE_SHARE = 0.8;

/**
 * value / threshold, or with a per-pod baseline a (the part that does not move with load)
 * (value − a) / (threshold − a): the factor by which replicas must change to bring the
 * signal to its threshold when only the part above the baseline spreads across pods.
 */
export function ratioOf(v: number, threshold: number, baseline: number | undefined): number {
  const a = baseline ?? 0;
  if (a > 0 && a < MAX_BASELINE_SHARE * threshold) return Math.max(0, v - a) / (threshold - a);
  return Math.max(0, v) / threshold;
}

/** Highest plain ratio value / threshold: any signal at or above its scale-down threshold blocks a reactive scale-down. */
export function highestRatio(values: Values, thresholds: Record<Signal, number>): number {
  let max = 0;
  for (const s of SIGNALS) {
    const v = values[s];
    if (v === undefined || thresholds[s] <= 0) continue;
    max = Math.max(max, v / thresholds[s]);
  }
  return max;
}
