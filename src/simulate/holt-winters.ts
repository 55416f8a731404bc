/**
 * Additive Holt-Winters (level, trend, one season), the kind of model the
 * predictive-horizontal-pod-autoscaler uses. Parameters are fixed, not tuned per trace:
 * alpha 0.3 (level), beta 0.01 (trend), gamma 0.2 (season), season one day.
 */
export class HoltWinters {
  private level: number | undefined;
  private trend = 0;
  private readonly season: number[];
  private seen = 0;

  constructor(
    private readonly period: number,
    private readonly alpha = 0.3,
    private readonly beta = 0.01,
    private readonly gamma = 0.2,
  ) {
    this.season = new Array<number>(period).fill(0);
  }

  /** Whether one full season has been seen; before that the seasonal terms are not learnt yet. */
  get warm(): boolean {
    return this.seen >= this.period;
  }

  update(y: number): void {
    const k = this.seen % this.period;
    if (!this.warm) {
      // First season: the level is its mean and each slot its deviation from that mean,
      // the classic initialisation; until then the level is the running mean.
      this.season[k] = y;
      this.level = this.level === undefined ? y : this.level + (y - this.level) / (k + 1);
      if (k === this.period - 1) for (let j = 0; j < this.period; j++) this.season[j] = (this.season[j] as number) - this.level;
    } else {
      const prev = this.level as number;
      const s = this.season[k] as number;
      this.level = this.alpha * (y - s) + (1 - this.alpha) * (prev + this.trend);
      this.trend = this.beta * (this.level - prev) + (1 - this.beta) * this.trend;
      this.season[k] = this.gamma * (y - this.level) + (1 - this.gamma) * s;
    }
    this.seen += 1;
  }

  /** The forecast `h` steps after the last update (h >= 1). */
  forecast(h: number): number {
    if (this.level === undefined) return 0;
    const s = this.warm ? (this.season[(this.seen - 1 + h) % this.period] as number) : 0;
    return Math.max(0, this.level + h * this.trend + s);
  }
}
