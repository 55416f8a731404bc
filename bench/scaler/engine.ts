// The product's per-target scaling code, driven the way src/scaling/loop.ts drives it, minus
// the network: collect is replaced by a synthetic sample, actuate by nothing. This is the one
// file to change when the predict/decide code on main changes shape.
import { settingsFromConfig } from '../../src/annotations/catalogue.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { HistoryStore, type SignalHistory } from '../../src/scaling/collect/history.js';
import { decide } from '../../src/scaling/decide/decide.js';
import { linearForecast } from '../../src/scaling/predict/linear.js';
import type { Decision, Sample } from '../../src/scaling/types.js';

export const ENGINE = 'main: SignalHistory (collect) + linearForecast over the last 20 samples + decide, as loop.ts runs them';
export const RETRAIN = 'main has no separate retrain step; measured instead: a least-squares fit of linear.ts over the whole 24 h window';

export class Engine {
  readonly config: Config;
  private readonly store: HistoryStore;
  private readonly histories: SignalHistory[] = [];

  constructor() {
    this.config = defaultConfig();
    this.store = new HistoryStore(this.config.metrics.retention_period, this.config.metrics.collection_interval);
  }

  /** A target with its 24 h history loaded (as backfill does on start). */
  addTarget(i: number, history: Sample[]): void {
    const h = this.store.of(`bench/app-${i}`);
    h.load(history);
    this.histories.push(h);
  }

  get size(): number {
    return this.histories.length;
  }

  historyBytes(): number {
    return this.histories.reduce((sum, h) => sum + h.bytes, 0);
  }

  /** One loop step for target i at `now` with a freshly collected sample: history, forecast, decision. */
  step(i: number, sample: Sample, now: number): Decision {
    const h = this.histories[i]!;
    const config = this.config;
    h.push(sample);
    const history = h.samples(now - config.scaling.ai_model.historical_window);
    const settings = settingsFromConfig(config);
    const forecast = linearForecast(history.slice(-20), settings.predictionHorizonMs);
    return decide({ now, currentReplicas: sample.replicas ?? 1, settings, scaling: config.scaling, sample, forecast });
  }

  /** One retrain of target i; returns its wall time in ms. */
  retrain(i: number, now: number): number {
    const started = performance.now();
    const h = this.histories[i]!;
    linearForecast(h.samples(now - this.config.scaling.ai_model.historical_window), settingsFromConfig(this.config).predictionHorizonMs);
    return performance.now() - started;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
