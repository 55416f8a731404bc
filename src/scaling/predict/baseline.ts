import type { Signal } from '../../config/schema.js';
import type { Sample } from '../types.js';
import { LOAD_SIGNALS } from './load.js';

/**
 * Per-pod baselines: the part of a signal that a pod shows whatever its load (memory held by
 * an idle process, for example). Sizing by the plain ratio value / threshold assumes a signal
 * falls in proportion to replicas; with a baseline `a` it does not, and the plain ratio keeps
 * replicas up: memory at 30% + 40% × utilisation reads 0.58 of a 75% threshold at a third of a
 * pod's capacity, so "ceil(ready × 0.58)" holds 2 pods where 1 does. Knowing `a`, the replicas
 * that keep the signal under threshold T are ready × (v − a) / (T − a).
 *
 * Each load signal is regressed on the driver signal (which is proportional to load per pod by
 * construction) with exponential forgetting; the intercept is the baseline. It is offered only
 * once the driver has varied enough to tell intercept from slope, and it is never negative.
 */
const HALF_LIFE = 1440;
const DECAY = Math.pow(0.5, 1 / HALF_LIFE);
/** Observations before a baseline is offered (as many as a model needs to train). */
const MIN_OBSERVATIONS = 100;
/** The driver's coefficient of variation below which intercept and slope cannot be told apart. */
const MIN_SPREAD = 0.1;

interface Fit { w: number; x: number; y: number; xx: number; xy: number; n: number; ymin: number }

export class SignalBaselines {
  private fits = new Map<Signal, Fit>();

  observe(sample: Sample, driver: Signal): void {
    const x = sample.values[driver];
    if (x === undefined || !Number.isFinite(x)) return;
    for (const s of LOAD_SIGNALS) {
      const y = sample.values[s];
      if (s === driver || y === undefined || !Number.isFinite(y)) continue;
      let f = this.fits.get(s);
      if (!f) this.fits.set(s, (f = { w: 0, x: 0, y: 0, xx: 0, xy: 0, n: 0, ymin: Infinity }));
      f.w = f.w * DECAY + 1;
      f.x = f.x * DECAY + x;
      f.y = f.y * DECAY + y;
      f.xx = f.xx * DECAY + x * x;
      f.xy = f.xy * DECAY + x * y;
      f.n += 1;
      f.ymin = Math.min(f.ymin, y);
    }
  }

  /** Baselines known well enough to use; signals without one are treated as proportional. */
  baselines(): Partial<Record<Signal, number>> {
    const out: Partial<Record<Signal, number>> = {};
    for (const [s, f] of this.fits) {
      if (f.n < MIN_OBSERVATIONS) continue;
      const mx = f.x / f.w;
      const my = f.y / f.w;
      const vx = f.xx / f.w - mx * mx;
      if (!(mx > 0) || vx < (MIN_SPREAD * mx) ** 2) continue;
      const slope = (f.xy / f.w - mx * my) / vx;
      if (!(slope > 0)) continue;
      // Never above the lowest value seen: that would claim more of the signal is fixed than ever was.
      const a = Math.min(my - slope * mx, f.ymin);
      // Rounding leaves a proportional signal a crumb of intercept: ignore under 2% of its mean.
      if (a > 0.02 * my) out[s] = a;
    }
    return out;
  }
}
