import type { ModelType, Signal } from '../../config/schema.js';
import type { Forecast, Sample, TargetKey } from '../types.js';
import { SignalBaselines } from './baseline.js';
import { ErrorTracker, confidenceFrom } from './confidence.js';
import { DAY_MS, WEEK_MS, features, lookback, type FeatureSpec } from './features.js';
import { predictLinear, updateLinear } from './linear.js';
import { pickDriver, scaleSignals, totalLoad } from './load.js';
import { NEURAL_DEFAULTS, NeuralRunner, type NeuralOptions } from './neural.js';
import { combine, ensembleWeights, type Member } from './ensemble.js';
import { LoadSeries } from './series.js';
import { detectSeasonality } from './seasonality.js';
import { trainModels, type TrainedModels, type TrainingJob } from './trainer.js';

export const MIN_SAMPLES = 100;

export interface PredictorOptions {
  model: ModelType;
  horizonMs: number;
  /** Length of the history kept and trained on (historical_window). */
  windowMs: number;
  retrainIntervalMs: number;
  /** Grid step; observations inside one step are averaged. */
  stepMs?: number;
  seasonality?: boolean;
  onlineLearning?: boolean;
  neural?: Partial<NeuralOptions>;
  maxNeuralRows?: number;
  /**
   * Accuracy is scored against the load averaged over this window (request_rate_window,
   * default 5m): the smoothing the live request_rate signal already has. Per-step noise
   * around it is what the upper band covers, not something a forecast can know.
   */
  scoreWindowMs?: number;
}

export type ForecastResult = Forecast | { unavailable: string };

/** Direct forecasts at a quarter, half, three quarters and all of the horizon. */
function horizonSteps(horizonMs: number, stepMs: number): number[] {
  const h = Math.max(1, Math.round(horizonMs / stepMs));
  return [...new Set([1, 2, 3, 4].map((q) => Math.max(1, Math.round((h * q) / 4))))];
}

/**
 * One target's forecaster: its history, fitted models and their error records. One instance
 * per `namespace/name`; nothing is shared between targets, so they can be sharded later.
 */
export class Predictor {
  readonly stepMs: number;
  private readonly series: LoadSeries;
  private driver: Signal | undefined;
  private last: Sample | undefined;
  private trained: (TrainedModels & { runner?: NeuralRunner }) | undefined;
  private trackers = new Map<string, ErrorTracker>();
  private readonly baselines = new SignalBaselines();
  private horizons: number[];
  lastTrainedAt: number | undefined;
  lastTrainMs = 0;
  /** Steps in the rate window that accuracy is scored against (request_rate_window). */
  private readonly scoreSteps: number;

  constructor(
    readonly key: TargetKey,
    readonly options: PredictorOptions,
  ) {
    this.stepMs = options.stepMs ?? 60_000;
    this.series = new LoadSeries(this.stepMs, Math.max(MIN_SAMPLES + 1, Math.round(options.windowMs / this.stepMs)));
    this.horizons = horizonSteps(options.horizonMs, this.stepMs);
    this.scoreSteps = Math.max(1, Math.round((options.scoreWindowMs ?? 300_000) / this.stepMs));
  }

  get samples(): number {
    return this.series.length;
  }

  /** Adds one sample; closes grid points, scores past forecasts and applies the online update. */
  observe(sample: Sample): void {
    this.last = sample;
    const driver = this.driver ?? pickDriver(sample);
    if (!driver) return;
    if (driver !== this.driver) this.driver = driver;
    this.baselines.observe(sample, driver);
    const load = totalLoad(sample, driver);
    if (load === undefined) return;
    const before = this.series.lastIndex;
    const appended = this.series.push(sample.t, load);
    if (appended === 0 || before === undefined) return;
    // Points before the newest are closed now: score and learn from each once.
    const lastPos = this.series.length - 1;
    for (let pos = Math.max(0, lastPos - appended); pos < lastPos; pos++) this.onClosed(pos);
  }

  private onClosed(pos: number): void {
    const s = this.series;
    const at = s.timeAt(pos) / this.stepMs;
    const actual = s.at(pos);
    const floor = 0.25 * (this.trained?.scale ?? actual);
    const smoothed = this.trailingMean(pos, this.scoreSteps);
    for (const t of this.trackers.values()) t.resolve(at, actual, smoothed, floor);
    if (!this.trained) return;
    const preds = this.memberPredictions(pos);
    for (const [name, p] of preds) this.tracker(name).issue(at, p);
    if (this.options.model === 'ensemble' && preds.size > 0) this.tracker('ensemble').issue(at, this.combine(preds));
    if (this.options.onlineLearning !== false) this.onlineUpdate(pos);
  }

  private trailingMean(pos: number, steps: number): number {
    const from = Math.max(0, pos - steps + 1);
    let sum = 0;
    for (let i = from; i <= pos; i++) sum += this.series.at(i);
    return sum / (pos - from + 1);
  }

  /** Recursive least squares on the newest row whose targets are all observed now. */
  private onlineUpdate(pos: number): void {
    const m = this.trained;
    if (!m?.linear) return;
    const reach = this.horizons[this.horizons.length - 1]!;
    const row = pos - reach;
    if (row < lookback(m.spec)) return;
    const y = this.normalisedTail(m.scale, lookback(m.spec) + reach + 1, pos);
    const r = y.pos - reach;
    const x = features(y.values, r, this.series.timeAt(row), m.spec);
    updateLinear(m.linear, x, m.spec.horizons.map((h) => y.values[r + h] as number));
  }

  private tracker(name: string): ErrorTracker {
    let t = this.trackers.get(name);
    if (!t) this.trackers.set(name, (t = new ErrorTracker(this.horizons)));
    return t;
  }

  /** Each member's predictions (load units, one per horizon) from the point at `pos`. */
  private memberPredictions(pos: number): Map<Member, number[]> {
    const out = new Map<Member, number[]>();
    const m = this.trained;
    if (!m || pos < lookback(m.spec)) return out;
    const y = this.normalisedTail(m.scale, lookback(m.spec) + 1, pos);
    const x = features(y.values, y.pos, this.series.timeAt(pos), m.spec);
    const clamp = (p: number[]) => p.map((v) => Math.max(0, v * m.scale));
    if (m.linear && this.options.model !== 'neural_network') out.set('linear', clamp(predictLinear(m.linear, x)));
    if (m.runner && this.options.model !== 'linear') out.set('neural_network', clamp(m.runner.predict(x)));
    return out;
  }

  /** Only the points a feature row reads, so per-step prediction does not copy the window. */
  private normalisedTail(scale: number, need: number, pos: number): { values: number[]; pos: number } {
    const from = Math.max(0, pos - need);
    const values: number[] = [];
    for (let i = from; i <= pos; i++) values.push(this.series.at(i) / scale);
    return { values, pos: pos - from };
  }

  /** Whether a full retrain is due: enough history, and no model or an old one. */
  needsRetrain(now: number): boolean {
    if (this.series.length <= MIN_SAMPLES) return false;
    return this.lastTrainedAt === undefined || now - this.lastTrainedAt >= this.options.retrainIntervalMs;
  }

  /** The data for a full retrain (plain, for a worker thread), or undefined with too little history. */
  trainingJob(): TrainingJob | undefined {
    if (this.series.length <= MIN_SAMPLES) return undefined;
    const values = this.series.values();
    const candidates = [Math.round(DAY_MS / this.stepMs), Math.round(WEEK_MS / this.stepMs)];
    const periods = this.options.seasonality === false ? [] : detectSeasonality(values, candidates);
    const spec: FeatureSpec = { stepMs: this.stepMs, horizons: this.horizons, periods };
    return {
      key: this.key, values, t0: this.series.timeAt(0), spec,
      linear: this.options.model !== 'neural_network',
      neural: this.options.model !== 'linear',
      neuralOptions: { ...NEURAL_DEFAULTS, ...this.options.neural },
      previousNeural: this.trained?.neural,
      maxNeuralRows: this.options.maxNeuralRows ?? 480,
    };
  }

  /** Installs models fitted by `trainModels` (inline or on a worker); `now` starts the retrain clock. */
  applyTrained(result: TrainedModels, now: number): void {
    const runner = result.neural ? new NeuralRunner(result.neural) : undefined;
    this.trained = { ...result, runner };
    this.lastTrainedAt = now;
    this.lastTrainMs = result.ms;
  }

  /** A full retrain on this thread (simulation, tests); the live loop uses a WorkerTrainer. */
  retrain(now: number): TrainedModels | undefined {
    const job = this.trainingJob();
    if (!job) return undefined;
    const result = trainModels(job);
    this.applyTrained(result, now);
    return result;
  }

  /** Confidence in [0, 1] of the configured model, from its recent out-of-sample error. */
  confidence(): number {
    const t = this.trackers.get(this.options.model);
    return t ? confidenceFrom(t.summary()) : 0;
  }

  /** The forecast over the horizon from the newest point, or why there is none. */
  forecast(): ForecastResult {
    const n = this.series.length;
    if (n <= MIN_SAMPLES) return { unavailable: `insufficient data (${n} samples, need more than ${MIN_SAMPLES})` };
    if (!this.trained || !this.last || !this.driver) return { unavailable: 'model not trained yet' };
    const preds = this.memberPredictions(n - 1);
    const p = this.options.model === 'ensemble' ? this.combine(preds) : preds.get(this.options.model);
    if (!p || p.length === 0) return { unavailable: 'model not trained yet' };
    const margins = this.tracker(this.options.model).upperMargins();
    const peak = Math.max(...p.map((v, j) => v * (1 + (margins[j] ?? 0))));
    const predicted = p[p.length - 1] as number;
    const current = this.series.at(n - 1);
    const baselines = this.baselines.baselines();
    return {
      model: this.options.model,
      confidence: this.confidence(),
      values: scaleSignals(this.last, this.driver, current, predicted, baselines),
      peak: scaleSignals(this.last, this.driver, current, Math.max(peak, predicted), baselines),
      baselines,
      load: { current, predicted, peak, unit: this.driver === 'request_rate' ? 'req/s' : 'cpu%·replicas' },
    };
  }

  ensembleWeights(): Record<Member, number> {
    const mae = (name: Member) => this.trackers.get(name)?.meanAbsError() ?? Infinity;
    return ensembleWeights(mae('linear'), mae('neural_network'));
  }

  private combine(preds: Map<Member, number[]>): number[] {
    return combine(preds, this.ensembleWeights()) ?? [];
  }
}
