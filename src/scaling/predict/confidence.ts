/**
 * Out-of-sample error of one model's forecasts, measured when the predicted moment arrives.
 * It yields the confidence in [0, 1] and an upper band per horizon for provisioning.
 */
export interface ErrorSummary {
  /**
   * Typical relative error at the final horizon: the median absolute error divided by the
   * median actual load; Infinity before any. The median, not the mean: a few bursts that no
   * model can know (the upper band and the current load cover those) must not drop a model
   * that follows the load well the rest of the time into the reactive fallback.
   */
  relativeMae: number;
  matured: number;
}

/** Recent errors kept per horizon: 12 h at one-minute steps. */
const KEEP = 720;
/**
 * Quantile of relative under-prediction used for the upper band: the forecast is raised until
 * this share of recent actuals fell under it. 0.5 only corrects bias; higher buys headroom for
 * per-step noise at a price in replica-hours. 0.65 halves the HPA's over-capacity on noisy
 * low-volume traffic at about 1.1x the oracle's replica-hours (the trade is in docs/quality.md).
 */
const BAND_QUANTILE = 0.65;
/** Recompute the band every this many matured errors; sorting every step would dominate cost. */
const BAND_EVERY = 15;

export class ErrorTracker {
  private readonly issued = new Map<number, number[]>();
  private readonly abs = new Ring(KEEP);
  private readonly rel: Ring[];
  private readonly finalAbs = new Ring(KEEP);
  private readonly finalActual = new Ring(KEEP);
  private band: number[];
  private sinceBand = 0;
  private typical: ErrorSummary | undefined;

  constructor(private readonly horizons: readonly number[]) {
    this.rel = horizons.map(() => new Ring(KEEP));
    this.band = horizons.map(() => 0);
  }

  /** Records the predictions made at grid index `at` (one per horizon). */
  issue(at: number, predictions: readonly number[]): void {
    this.issued.set(at, [...predictions]);
  }

  /**
   * The actual value at grid index `at` has arrived: score every prediction that targeted it.
   * `smoothed` (the load over the rate window ending at `at`) scores accuracy and confidence;
   * the raw point sets the upper band, which is what per-step excursions must fit under.
   */
  resolve(at: number, actual: number, smoothed: number, floor: number): void {
    this.horizons.forEach((h, j) => {
      const pred = this.issued.get(at - h)?.[j];
      if (pred === undefined) return;
      const scoreErr = Math.abs(smoothed - pred);
      if (j === this.horizons.length - 1) {
        this.finalAbs.push(scoreErr);
        this.finalActual.push(smoothed);
      }
      this.abs.push(scoreErr);
      this.rel[j]!.push((actual - pred) / Math.max(pred, floor));
    });
    const oldest = at - (this.horizons[this.horizons.length - 1] ?? 0);
    for (const k of this.issued.keys()) if (k <= oldest) this.issued.delete(k);
    if (++this.sinceBand >= BAND_EVERY) this.refreshBand();
  }

  private refreshBand(): void {
    this.sinceBand = 0;
    this.typical = undefined;
    this.band = this.rel.map((r) => Math.max(0, quantile(r.values(), BAND_QUANTILE)));
  }

  summary(): ErrorSummary {
    const n = this.finalAbs.length;
    if (n === 0) return { relativeMae: Infinity, matured: 0 };
    // Recomputed with the band (every BAND_EVERY matured errors), not on every call.
    this.typical ??= {
      relativeMae: quantile(this.finalAbs.values(), 0.5) / Math.max(quantile(this.finalActual.values(), 0.5), 1e-9),
      matured: n,
    };
    return this.typical;
  }

  /** Mean absolute error over all horizons (for ensemble weights); Infinity before any. */
  meanAbsError(): number {
    return this.abs.length === 0 ? Infinity : this.abs.sum / this.abs.length;
  }

  /** Relative margin to add to each horizon's prediction so BAND_QUANTILE of recent actuals fell under it. */
  upperMargins(): number[] {
    return [...this.band];
  }
}

/** Fixed-size ring of numbers with a running sum (re-summed now and then against float drift). */
class Ring {
  private readonly buf: number[] = [];
  private next = 0;
  sum = 0;
  private pushes = 0;

  constructor(private readonly size: number) {}

  get length(): number {
    return this.buf.length;
  }

  push(v: number): void {
    if (this.buf.length < this.size) this.buf.push(v);
    else {
      this.sum -= this.buf[this.next] as number;
      this.buf[this.next] = v;
      this.next = (this.next + 1) % this.size;
    }
    this.sum += v;
    if (++this.pushes % (this.size * 4) === 0) this.sum = this.buf.reduce((s, x) => s + x, 0);
  }

  values(): readonly number[] {
    return this.buf;
  }
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Confidence from the recent relative error: 1 for perfect, 0 once errors reach the load itself. */
export function confidenceFrom(summary: ErrorSummary, minMatured = 10): number {
  if (summary.matured < minMatured || !Number.isFinite(summary.relativeMae)) return 0;
  return Math.min(1, Math.max(0, 1 - summary.relativeMae));
}
