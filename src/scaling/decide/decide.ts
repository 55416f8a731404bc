import type { TargetSettings } from '../../annotations/catalogue.js';
import { SIGNALS, type Config, type Signal } from '../../config/schema.js';
import type { Decision, Forecast, Sample } from '../types.js';

/** Everything one decision depends on; the function reads no clock and does no I/O. */
export interface DecisionInput {
  now: number;
  currentReplicas: number;
  settings: TargetSettings;
  scaling: Config['scaling'];
  sample: Sample;
  forecast?: Forecast;
  /** When replicas last went up / down (ms since epoch), from `last-decision`. */
  lastScaleUpAt?: number;
  lastScaleDownAt?: number;
}

type Values = Partial<Record<Signal, number>>;

/** Weighted mean of value / threshold over the signals that are present. */
function pressure(values: Values, thresholds: Record<Signal, number>, weights: Record<Signal, number>): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const s of SIGNALS) {
    const v = values[s];
    if (v === undefined || thresholds[s] <= 0 || weights[s] <= 0) continue;
    sum += weights[s] * (v / thresholds[s]);
    weight += weights[s];
  }
  return weight > 0 ? sum / weight : undefined;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

/** The replicas one target should have now, and why. Pure: tables of inputs test it. */
export function decide(input: DecisionInput): Decision {
  const { currentReplicas: from, settings, scaling, sample, forecast, now } = input;
  const weights = scaling.ai_model.feature_weights;
  const useForecast =
    forecast !== undefined && scaling.enable_ai_scaling && forecast.confidence >= settings.confidenceThreshold;
  const values: Values = useForecast ? { ...sample.values, ...forecast.values } : sample.values;
  const base = { from, confidence: useForecast ? forecast.confidence : 0, predicted: useForecast, dryRun: settings.dryRun };
  const hold = (reason: string): Decision => ({ ...base, action: 'none', to: from, reason });

  const up = pressure(values, scaling.scale_up_thresholds, weights);
  if (up === undefined) return hold('no metrics available; holding replicas');
  const down = pressure(values, scaling.scale_down_thresholds, weights) ?? Infinity;
  const missing = Object.keys(sample.missing);
  const source = useForecast ? `predicted (${forecast.model}, confidence ${fmt(forecast.confidence)})` : 'current';

  let to = from;
  if (up > 1) to = Math.ceil(Math.max(from, 1) * up);
  else if (down < 1) {
    if (missing.length > 0) return hold(`signals missing (${missing.join(', ')}); never scaling down on missing data`);
    to = Math.max(Math.ceil(from * Math.max(up, 0)), from - Math.max(1, Math.floor(from / 2)));
  }
  to = Math.min(settings.maxReplicas, Math.max(settings.minReplicas, to));
  if (to === from) return hold(`${source} load pressure ${fmt(up)} of the scale-up threshold; within bounds`);

  const action = to > from ? 'scale_up' : 'scale_down';
  const last = action === 'scale_up' ? input.lastScaleUpAt : input.lastScaleDownAt;
  const cooldown = action === 'scale_up' ? settings.scaleUpCooldownMs : settings.scaleDownCooldownMs;
  if (last !== undefined && now - last < cooldown) {
    return hold(`${action.replace('_', '-')} to ${to} held by cooldown (${Math.ceil((cooldown - (now - last)) / 1000)}s left)`);
  }
  return { ...base, action, to, reason: `${source} load pressure ${fmt(up)} of the scale-up threshold` };
}
