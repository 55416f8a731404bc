import type { Signal } from '../config/schema.js';

/** `<namespace>/<name>` of a Deployment; every per-target state is keyed by it. */
export type TargetKey = string;

/**
 * One observation of a target's signals at time `t` (ms since epoch). A signal that
 * could not be measured is absent from `values` and present in `missing` with the reason;
 * it is never zero.
 */
export interface Sample {
  t: number;
  values: Partial<Record<Signal, number>>;
  missing: Partial<Record<Signal, string>>;
  /** Ready replicas when the sample was taken, if known. */
  replicas?: number;
}

/** A model's forecast of the signals at `t + horizon`. */
export interface Forecast {
  values: Partial<Record<Signal, number>>;
  /** In [0, 1], from recent out-of-sample error. */
  confidence: number;
  model: string;
  /**
   * Highest value expected over (t, t + horizon], including the model's recent
   * under-prediction margin: what capacity should be ready for. Absent: use `values`.
   */
  peak?: Partial<Record<Signal, number>>;
  /**
   * Per-pod baseline of load signals that do not fall in proportion to replicas (learnt by the
   * predictor; see SignalBaselines). Sizing uses (value − baseline) / (threshold − baseline).
   */
  baselines?: Partial<Record<Signal, number>>;
  /** The forecast of total load behind the per-signal values, for explanations. */
  load?: { current: number; predicted: number; peak: number; unit: string };
}

export type ScaleAction = 'scale_up' | 'scale_down' | 'none';

export interface Decision {
  action: ScaleAction;
  from: number;
  to: number;
  /** One readable line: what drove the decision. */
  reason: string;
  /** Confidence of the forecast that was used; 0 when the decision was reactive. */
  confidence: number;
  predicted: boolean;
  dryRun: boolean;
  /**
   * Replicas the signals asked for before cooldowns, stabilization and step limits. Callers
   * keep recent ones (see RecommendationWindow) for the scale-down stabilization window.
   */
  recommendation?: number;
  /** The signals that drove the decision, strongest first. */
  drivers?: Signal[];
}
