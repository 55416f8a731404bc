import { Matrix, solve } from 'ml-matrix';
import { SIGNALS, type Signal } from '../../config/schema.js';
import type { Forecast, Sample } from '../types.js';

/** Least-squares line through one signal's recent samples, extrapolated `horizonMs` ahead. */
function extrapolate(points: Array<[number, number]>, at: number): number | undefined {
  if (points.length < 3) return undefined;
  const t0 = points[0]![0];
  const x = new Matrix(points.map(([t]) => [1, (t - t0) / 1000]));
  const y = Matrix.columnVector(points.map(([, v]) => v));
  const coef = solve(x, y, true);
  const value = coef.get(0, 0) + coef.get(1, 0) * ((at - t0) / 1000);
  return Number.isFinite(value) ? Math.max(0, value) : undefined;
}

/** A linear trend forecast for every signal that has enough samples. */
export function linearForecast(history: readonly Sample[], horizonMs: number): Forecast | undefined {
  if (history.length < 3) return undefined;
  const last = history[history.length - 1]!;
  const values: Partial<Record<Signal, number>> = {};
  for (const s of SIGNALS) {
    const points = history.flatMap((h) => (h.values[s] === undefined ? [] : [[h.t, h.values[s]] as [number, number]]));
    const v = extrapolate(points, last.t + horizonMs);
    if (v !== undefined) values[s] = v;
  }
  return { values, confidence: 1, model: 'linear' };
}
