import type { TargetSettings } from '../annotations/catalogue.js';
import type { Config } from '../config/schema.js';
import { decide } from '../scaling/decide/decide.js';
import { RecommendationWindow } from '../scaling/decide/stabilization.js';
import { Predictor } from '../scaling/predict/predictor.js';
import type { Sample } from '../scaling/types.js';
import { HoltWinters } from './holt-winters.js';
import { HPA_SYNC_MS, hpaStep, type HpaState } from './hpa.js';
import { PodPool } from './pods.js';
import { podSample } from './signals.js';

/** What every policy may look at when it runs: the last full minute's measurements. */
export interface View {
  now: number;
  /** Requests in the last full minute, and when that minute started. */
  lastLoad: number;
  lastMinuteT: number;
  /** Whether this is the first tick after a new minute's measurements arrived. */
  newMinute: boolean;
  /** Row of the trace being played (only the oracle may look ahead of it). */
  row: number;
}

export interface Policy {
  name: string;
  pods: PodPool;
  intervalMs: number;
  /** Called once per new minute of measurements, whether or not a decision is due. */
  observe?(view: View): void;
  step(view: View): void;
}

export interface SimParams {
  capacityPerPod: number;
  startupMs: number;
  min: number;
  max: number;
  config: Config;
  settings: TargetSettings;
}

/** HydraRoute: the real Predictor and decide(), fed the simulated pod's signals. */
export class HydraPolicy implements Policy {
  readonly name = 'hydra-route';
  readonly pods: PodPool;
  readonly intervalMs: number;
  readonly predictor: Predictor;
  private readonly window: RecommendationWindow;
  private lastUp: number | undefined;
  private lastDown: number | undefined;
  trainMs = 0;
  trains = 0;

  constructor(private readonly p: SimParams) {
    const s = p.config.scaling;
    this.pods = new PodPool(p.min, p.startupMs);
    this.intervalMs = s.evaluation_interval;
    this.window = new RecommendationWindow(300_000);
    this.predictor = new Predictor('simulate/target', {
      model: p.settings.model,
      horizonMs: p.settings.predictionHorizonMs,
      windowMs: s.ai_model.historical_window,
      retrainIntervalMs: s.ai_model.retrain_interval,
      seasonality: s.prediction.enable_seasonality_detection,
      onlineLearning: s.ai_model.enable_online_learning,
      neural: { learningRate: s.ai_model.learning_rate },
      scoreWindowMs: p.config.metrics.request_rate_window,
    });
  }

  private sampleOf(v: View): Sample {
    return podSample(v.lastMinuteT, v.lastLoad, this.pods.ready(v.now), this.p.capacityPerPod, this.p.config.scaling.scale_up_thresholds);
  }

  observe(v: View): void {
    if (this.p.config.scaling.enable_ai_scaling) this.learn(this.sampleOf(v), v.now);
  }

  step(v: View): void {
    const sample = this.sampleOf(v);
    const ai = this.p.config.scaling.enable_ai_scaling;
    const f = ai ? this.predictor.forecast() : { unavailable: 'AI scaling off' };
    const d = decide({
      now: v.now, currentReplicas: this.pods.replicas, settings: this.p.settings, scaling: this.p.config.scaling, sample,
      forecast: 'unavailable' in f ? undefined : f, forecastNote: 'unavailable' in f ? f.unavailable : undefined,
      lastScaleUpAt: this.lastUp, lastScaleDownAt: this.lastDown, recentRecommendations: this.window.recent(),
    });
    this.window.add(v.now, d.recommendation);
    if (d.action === 'none') return;
    this.pods.scaleTo(d.to, v.now);
    if (d.action === 'scale_up') this.lastUp = v.now;
    else this.lastDown = v.now;
  }

  private learn(sample: Sample, now: number): void {
    this.predictor.observe(sample);
    if (!this.predictor.needsRetrain(now)) return;
    const r = this.predictor.retrain(now);
    if (r) {
      this.trainMs += r.ms;
      this.trains += 1;
    }
  }
}

/** The HPA algorithm as documented, targeting one pod's capacity. */
export class HpaPolicy implements Policy {
  readonly name: string = 'hpa';
  readonly pods: PodPool;
  readonly intervalMs = HPA_SYNC_MS;
  protected readonly state: HpaState = { history: [] };

  constructor(protected readonly p: SimParams) {
    this.pods = new PodPool(p.min, p.startupMs);
  }

  step(v: View): void {
    const to = hpaStep(this.state, {
      now: v.now, current: this.pods.replicas, ready: this.pods.ready(v.now),
      usage: v.lastLoad / this.p.capacityPerPod, min: this.p.min, max: this.p.max, floor: this.floor(v),
    });
    this.pods.scaleTo(to, v.now);
  }

  protected floor(_v: View): number | undefined {
    return undefined;
  }
}

/**
 * The predictive-HPA kind of baseline: Holt-Winters forecasts load over the start-up delay
 * and the replicas are the larger of the HPA's and the forecast's, then the HPA's rules.
 */
export class HoltWintersPolicy extends HpaPolicy {
  override readonly name = 'holt-winters';
  private readonly hw = new HoltWinters(1440);

  observe(v: View): void {
    this.hw.update(v.lastLoad);
  }

  protected override floor(): number | undefined {
    if (!this.hw.warm) return undefined;
    const ahead = Math.max(1, Math.ceil(this.p.startupMs / 60_000) + 1);
    let peak = 0;
    for (let h = 1; h <= ahead; h++) peak = Math.max(peak, this.hw.forecast(h));
    return Math.ceil(peak / this.p.capacityPerPod);
  }
}

/** Perfect foresight: every minute's need is ready exactly when it arrives, pods started one start-up delay early. */
export class OraclePolicy implements Policy {
  readonly name = 'oracle';
  readonly pods: PodPool;
  readonly intervalMs = 60_000;
  private readonly need: number[];
  private readonly lead: number;

  constructor(load: readonly number[], p: SimParams) {
    this.pods = new PodPool(p.min, p.startupMs);
    this.need = load.map((l) => Math.min(p.max, Math.max(p.min, Math.ceil(l / p.capacityPerPod - 1e-9))));
    this.lead = Math.ceil(p.startupMs / 60_000);
  }

  step(v: View): void {
    let n = 0;
    for (let k = v.row; k <= Math.min(this.need.length - 1, v.row + this.lead); k++) n = Math.max(n, this.need[k] as number);
    this.pods.scaleTo(n, v.now);
  }
}
