// The product's per-target scaling code, driven the way src/scaling/loop.ts drives it, minus
// the network: collect is replaced by a synthetic sample, actuate by nothing. This is the one
// file to change when the predict/decide code on main changes shape.
import { settingsFromConfig, type TargetSettings } from '../../src/annotations/catalogue.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { HistoryStore, type SignalHistory } from '../../src/scaling/collect/history.js';
import { DEFAULT_STABILIZATION_MS, decide } from '../../src/scaling/decide/decide.js';
import { RecommendationWindow } from '../../src/scaling/decide/stabilization.js';
import { Predictor } from '../../src/scaling/predict/predictor.js';
import type { TrainedModels } from '../../src/scaling/predict/trainer.js';
import { WorkerTrainer } from '../../src/scaling/predict/worker-trainer.js';
import type { Decision, Sample } from '../../src/scaling/types.js';

export const ENGINE = 'main: SignalHistory (collect) + Predictor.observe/forecast + decide with stabilization window, as loop.ts runs them (default config: ensemble model)';
export const RETRAIN = 'Predictor.trainingJob() fitted by trainModels (linear + neural for the ensemble) on a WorkerTrainer thread, as the loop does';

interface Target {
  history: SignalHistory;
  predictor: Predictor;
  recommendations: RecommendationWindow;
}

export class Engine {
  readonly config: Config;
  private readonly store: HistoryStore;
  private readonly targets: Target[] = [];
  /** The loop reads these from each Deployment's stamps; parsed once per target there too. */
  private readonly settings: TargetSettings;
  private trainer: WorkerTrainer | undefined;

  constructor() {
    this.config = defaultConfig();
    this.settings = settingsFromConfig(this.config);
    this.store = new HistoryStore(this.config.metrics.retention_period, this.config.metrics.collection_interval);
  }

  /** A target with its 24 h history collected and its predictor warmed from it, as after backfill. */
  addTarget(i: number, history: Sample[]): void {
    const c = this.config;
    const m = c.scaling.ai_model;
    const h = this.store.of(`bench/app-${i}`);
    for (const s of history) h.push(s);
    const predictor = new Predictor(`bench/app-${i}`, {
      model: this.settings.model, horizonMs: this.settings.predictionHorizonMs, windowMs: m.historical_window,
      retrainIntervalMs: m.retrain_interval, stepMs: c.metrics.collection_interval,
      seasonality: c.scaling.prediction.enable_seasonality_detection, onlineLearning: m.enable_online_learning,
      neural: { learningRate: m.learning_rate }, scoreWindowMs: c.metrics.request_rate_window,
    });
    for (const s of history) predictor.observe(s);
    this.targets.push({ history: h, predictor, recommendations: new RecommendationWindow(DEFAULT_STABILIZATION_MS) });
  }

  get size(): number {
    return this.targets.length;
  }

  historyBytes(): number {
    return this.targets.reduce((sum, t) => sum + t.history.bytes, 0);
  }

  /** Fits target i's models on this thread; returns them so other targets can share the shape. */
  train(i: number, now: number): TrainedModels | undefined {
    return this.targets[i]!.predictor.retrain(now);
  }

  /** Installs a fitted model on target i (same cost per cycle as its own fit would have). */
  install(i: number, models: TrainedModels, now: number): void {
    this.targets[i]!.predictor.applyTrained(structuredClone(models), now);
  }

  /** One loop step for target i at `now` with a freshly collected sample: history, forecast, decision. */
  step(i: number, sample: Sample, now: number): Decision {
    const t = this.targets[i]!;
    t.history.push(sample);
    t.predictor.observe(sample);
    const result = t.predictor.forecast();
    const d = decide({
      now, currentReplicas: sample.replicas ?? 1, settings: this.settings, scaling: this.config.scaling, sample,
      forecast: 'unavailable' in result ? undefined : result,
      forecastNote: 'unavailable' in result ? result.unavailable : undefined,
      recentRecommendations: t.recommendations.recent(),
    });
    t.recommendations.add(now, d.recommendation);
    return d;
  }

  /** One retrain of target i on the worker thread, as the loop runs it; resolves to its wall time in ms. */
  async retrain(i: number): Promise<number> {
    const job = this.targets[i]!.predictor.trainingJob();
    if (!job) return 0;
    this.trainer ??= new WorkerTrainer();
    const started = performance.now();
    await this.trainer.train(job);
    return performance.now() - started;
  }

  async close(): Promise<void> {
    await this.trainer?.close();
  }
}
