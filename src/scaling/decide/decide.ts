import type { TargetSettings } from '../../annotations/catalogue.js';
import type { Config, Signal } from '../../config/schema.js';
import type { Decision, Forecast, Sample } from '../types.js';
import { explainPressure, fmt } from './explain.js';
import { combinePressure, highestRatio, type Values } from './pressure.js';
import { stabilized, type Recommendation } from './stabilization.js';

/** Everything one decision depends on; the function reads no clock and does no I/O. */
export interface DecisionInput {
  now: number;
  currentReplicas: number;
  settings: TargetSettings;
  scaling: Config['scaling'];
  sample: Sample;
  forecast?: Forecast;
  /** Why there is no forecast (for example "insufficient data (40 samples, need more than 100)"). */
  forecastNote?: string;
  /** When replicas last went up / down (ms since epoch), from `last-decision`. */
  lastScaleUpAt?: number;
  lastScaleDownAt?: number;
  /** Recent recommendations (Decision.recommendation) for the scale-down stabilization window. */
  recentRecommendations?: readonly Recommendation[];
  /** Scale-down stabilization window; default 5m, as the HPA's. */
  stabilizationWindowMs?: number;
  /** Most replicas added in one decision: max(this, current replicas); default 4. */
  maxScaleUpStep?: number;
  /** Largest share of replicas removed in one decision; default 0.5. */
  maxScaleDownShare?: number;
}

export const DEFAULT_STABILIZATION_MS = 300_000;

interface Mode {
  predicted: boolean;
  values: Values;
  /** Text for the reason: where the values came from. */
  source: string;
}

/** Predicted when AI scaling is on, a forecast exists and its confidence meets the threshold. */
function chooseMode(input: DecisionInput): Mode {
  const { scaling, settings, forecast, sample } = input;
  if (!scaling.enable_ai_scaling) return { predicted: false, values: sample.values, source: 'threshold scaling (AI off)' };
  if (!scaling.prediction.enable_predictive_scaling) return { predicted: false, values: sample.values, source: 'reactive (prediction off)' };
  if (!forecast) return { predicted: false, values: sample.values, source: `reactive (${input.forecastNote ?? 'no forecast'})` };
  const conf = `${forecast.model} confidence ${fmt(forecast.confidence)}`;
  if (forecast.confidence < settings.confidenceThreshold) {
    return { predicted: false, values: sample.values, source: `reactive (${conf} below ${fmt(settings.confidenceThreshold)})` };
  }
  // Capacity must cover both what is here now and the forecast's peak over the horizon.
  const values: Values = { ...sample.values };
  const ahead = forecast.peak ?? forecast.values;
  for (const [s, v] of Object.entries(ahead) as Array<[Signal, number]>) values[s] = Math.max(values[s] ?? 0, v);
  const load = forecast.load ? `, load ${fmt(forecast.load.current)}→${fmt(forecast.load.peak)} ${forecast.load.unit}` : '';
  return { predicted: true, values, source: `predicted (${conf}${load})` };
}

/** The replicas one target should have now, and why. Pure: tables of inputs test it. */
export function decide(input: DecisionInput): Decision {
  const { currentReplicas: from, settings, scaling, sample } = input;
  const mode = chooseMode(input);
  const base = { from, predicted: mode.predicted, dryRun: settings.dryRun, confidence: mode.predicted ? input.forecast!.confidence : 0 };
  const hold = (reason: string, extra: Partial<Decision> = {}): Decision => ({ ...base, action: 'none', to: from, reason, ...extra });

  const up = combinePressure(mode.values, scaling.scale_up_thresholds, scaling.ai_model.feature_weights, input.forecast?.baselines);
  if (!up) return hold('no metrics available; holding replicas');
  const ready = Math.max(1, sample.replicas ?? from);
  // Replicas that bring the combined pressure to 1; a value exactly at a threshold asks for no more.
  const need = Math.max(1, Math.ceil(ready * up.value - 1e-9));
  const bounded = Math.min(settings.maxReplicas, Math.max(settings.minReplicas, need));
  const bound = bounded > need ? `; raised to min-replicas ${settings.minReplicas}` : bounded < need ? `; capped at max-replicas ${settings.maxReplicas}` : '';
  const why = `${mode.source}: ${explainPressure(up)}${bound}`;
  const extra = { recommendation: bounded, drivers: up.drivers.slice(0, 3) };

  if (bounded > from) return scaleUp(input, bounded, why, base, extra);
  if (bounded === from) return hold(`${why}; ${from} replicas fit`, extra);

  const missing = Object.keys(sample.missing);
  if (missing.length > 0) return hold(`${why}; signals missing (${missing.join(', ')}): never scaling down on missing data`, extra);
  if (!mode.predicted && highestRatio(sample.values, scaling.scale_down_thresholds) >= 1) {
    return hold(`${why}; not every signal is below its scale-down threshold`, extra);
  }
  return scaleDown(input, bounded, why, base, extra);
}

type Base = Pick<Decision, 'from' | 'predicted' | 'dryRun' | 'confidence'>;
type Extra = Pick<Decision, 'recommendation' | 'drivers'>;

function scaleUp(input: DecisionInput, wanted: number, why: string, base: Base, extra: Extra): Decision {
  const from = input.currentReplicas;
  const step = Math.max(input.maxScaleUpStep ?? 4, from);
  const to = Math.min(wanted, from + step);
  const last = input.lastScaleUpAt;
  if (last !== undefined && input.now - last < input.settings.scaleUpCooldownMs) {
    const left = Math.ceil((input.settings.scaleUpCooldownMs - (input.now - last)) / 1000);
    return { ...base, ...extra, action: 'none', to: from, reason: `${why}; scale-up to ${to} held by cooldown (${left}s left)` };
  }
  const capped = to < wanted ? ` (step limit; ${wanted} wanted)` : '';
  return { ...base, ...extra, action: 'scale_up', to, reason: `${why}; scaling up ${from} → ${to}${capped}` };
}

function scaleDown(input: DecisionInput, wanted: number, why: string, base: Base, extra: Extra): Decision {
  const from = input.currentReplicas;
  const window = input.stabilizationWindowMs ?? DEFAULT_STABILIZATION_MS;
  const stable = stabilized(wanted, input.now, window, input.recentRecommendations ?? []);
  const floor = from - Math.max(1, Math.floor(from * (input.maxScaleDownShare ?? 0.5)));
  const to = Math.max(stable, floor, input.settings.minReplicas);
  if (to >= from) return { ...base, ...extra, action: 'none', to: from, reason: `${why}; scale-down held by the ${Math.round(window / 1000)}s stabilization window` };
  const lastAny = Math.max(input.lastScaleUpAt ?? -Infinity, input.lastScaleDownAt ?? -Infinity);
  const cooldown = input.settings.scaleDownCooldownMs;
  if (input.now - lastAny < cooldown) {
    const left = Math.ceil((cooldown - (input.now - lastAny)) / 1000);
    return { ...base, ...extra, action: 'none', to: from, reason: `${why}; scale-down to ${to} held by cooldown (${left}s left)` };
  }
  const capped = to > wanted ? ` (${wanted} wanted; stabilization/step limit)` : '';
  return { ...base, ...extra, action: 'scale_down', to, reason: `${why}; scaling down ${from} → ${to}${capped}` };
}
