import type { Config, ModelType } from '../config/schema.js';
import { MODEL_TYPES } from '../config/schema.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import { booleanHint, choiceHint, durationHint, fractionHint, serviceNameHint, wholeNumberHint } from './value-hints.js';

/**
 * The one catalogue of `hydra-route.ai/*` Ingress annotations. The validating webhook,
 * `hydra-route lint`, the stamps written on Deployments and the README's annotation
 * table all come from here.
 */
export const PREFIX = 'hydra-route.ai/';

/** Per-target settings after merging the global config with an Ingress's annotations. */
export interface TargetSettings {
  minReplicas: number;
  maxReplicas: number;
  model: ModelType;
  scaleUpCooldownMs: number;
  scaleDownCooldownMs: number;
  predictionHorizonMs: number;
  confidenceThreshold: number;
  dryRun: boolean;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; rule: string };

export interface Rule<T> {
  /** The key after the prefix. */
  key: string;
  /** Human description of the accepted values, used in the README table and messages. */
  accepts: string;
  /** What the key does; the README table's last column. */
  description: string;
  /** The configuration key whose value it overrides, when there is one. */
  overrides?: string;
  parse(text: string): Parsed<T>;
  /** The value the user most likely meant, for "did you mean"; offered only when it parses. */
  hint?(text: string): string | undefined;
  /** What applies when the annotation is absent, for the README table (keys without `fromConfig`). */
  absent?: string;
  /** The field of TargetSettings it sets, for keys that are stamped. */
  setting?: keyof TargetSettings;
  /** The value from the global configuration (the default). */
  fromConfig?(config: Config): T;
  format?(value: T): string;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(rule: string): Parsed<T> => ({ ok: false, rule });

/** DNS-1035 label, the rule for Service names (RFC 1035, as Kubernetes applies it). */
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

// Surrounding whitespace (a YAML block scalar's newline, a stray space) is ignored by every
// value rule alike; what is inside must match exactly.
const booleanRule = (raw: string): Parsed<boolean> => {
  const text = raw.trim();
  return text === 'true' ? ok(true) : text === 'false' ? ok(false) : bad('must be "true" or "false" (lower case, quoted in YAML)');
};

const wholeNumber = (min: number, max: number) => (text: string): Parsed<number> => {
  if (!/^\d+$/.test(text.trim())) return bad(`must be a whole number from ${min} to ${max}, quoted in YAML (for example "2")`);
  const n = Number(text.trim());
  return n >= min && n <= max ? ok(n) : bad(`must be from ${min} to ${max}`);
};

/** Bounds are given as text too, so the message says "24h" as the table does, not "1d". */
const durationRule = (minMs: number, maxMs: number, range: string) => (text: string): Parsed<number> => {
  const ms = parseDuration(text);
  if (ms === undefined) return bad('must be a duration such as "90s", "5m" or "1h"');
  return ms >= minMs && ms <= maxMs ? ok(ms) : bad(`must be from ${range}`);
};

export const MAX_REPLICAS_LIMIT = 1000;

export const RULES: readonly Rule<unknown>[] = [
  {
    key: 'enabled',
    accepts: '`"true"` or `"false"`',
    description: 'Turns HydraRoute on for the Deployment this Ingress routes to. Without it the Ingress is ignored.',
    parse: booleanRule,
    hint: booleanHint,
    absent: '`"false"`',
  },
  {
    key: 'target',
    accepts: 'a Service name (DNS-1035 label, at most 63 characters)',
    description: 'The backend Service whose Deployment is scaled. Required when the Ingress has several backend Services.',
    parse: (text) =>
      text.length <= 63 && DNS1035.test(text)
        ? ok(text)
        : bad('must be a Service name: at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit'),
    hint: serviceNameHint,
    absent: 'the only backend Service',
  },
  {
    key: 'min-replicas',
    accepts: `whole number, 1 to ${MAX_REPLICAS_LIMIT}`,
    description: 'Fewest replicas the scaler sets.',
    overrides: 'scaling.min_replicas',
    setting: 'minReplicas',
    parse: wholeNumber(1, MAX_REPLICAS_LIMIT),
    hint: wholeNumberHint,
    fromConfig: (c) => Math.max(1, c.scaling.min_replicas),
  },
  {
    key: 'max-replicas',
    accepts: `whole number, 1 to ${MAX_REPLICAS_LIMIT}, not below min-replicas`,
    description: 'Most replicas the scaler sets.',
    overrides: 'scaling.max_replicas',
    setting: 'maxReplicas',
    parse: wholeNumber(1, MAX_REPLICAS_LIMIT),
    hint: wholeNumberHint,
    fromConfig: (c) => c.scaling.max_replicas,
  },
  {
    key: 'model',
    accepts: MODEL_TYPES.map((m) => `\`${m}\``).join(', '),
    description: 'Prediction model for this target.',
    overrides: 'scaling.ai_model.model_type',
    setting: 'model',
    parse: (text) =>
      (MODEL_TYPES as readonly string[]).includes(text.trim()) ? ok(text.trim()) : bad(`must be one of ${MODEL_TYPES.join(", ")}`),
    hint: choiceHint(MODEL_TYPES),
    fromConfig: (c) => c.scaling.ai_model.model_type,
  },
  {
    key: 'scale-up-cooldown',
    accepts: 'duration, 0s to 24h',
    description: 'Least time between two scale-ups.',
    overrides: 'scaling.cooldown.scale_up_cooldown',
    setting: 'scaleUpCooldownMs',
    parse: durationRule(0, 86_400_000, '0s to 24h'),
    hint: durationHint,
    fromConfig: (c) => c.scaling.cooldown.scale_up_cooldown,
    format: (v) => formatDuration(v as number),
  },
  {
    key: 'scale-down-cooldown',
    accepts: 'duration, 0s to 24h',
    description: 'Least time between a scale and the next scale-down.',
    overrides: 'scaling.cooldown.scale_down_cooldown',
    setting: 'scaleDownCooldownMs',
    parse: durationRule(0, 86_400_000, '0s to 24h'),
    hint: durationHint,
    fromConfig: (c) => c.scaling.cooldown.scale_down_cooldown,
    format: (v) => formatDuration(v as number),
  },
  {
    key: 'prediction-horizon',
    accepts: 'duration, 1s to 24h',
    description: 'How far ahead the model predicts load.',
    overrides: 'scaling.prediction.prediction_horizon',
    setting: 'predictionHorizonMs',
    parse: durationRule(1_000, 86_400_000, '1s to 24h'),
    hint: durationHint,
    fromConfig: (c) => c.scaling.prediction.prediction_horizon,
    format: (v) => formatDuration(v as number),
  },
  {
    key: 'confidence-threshold',
    accepts: 'number, 0 to 1',
    description: 'Least model confidence for a predicted decision; below it the scaler reacts to current load.',
    overrides: 'scaling.prediction.confidence_threshold',
    setting: 'confidenceThreshold',
    parse: (text) => {
      const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
      return n >= 0 && n <= 1 ? ok(n) : bad('must be a number from 0 to 1 (for example "0.8")');
    },
    hint: fractionHint,
    fromConfig: (c) => c.scaling.prediction.confidence_threshold,
  },
  {
    key: 'dry-run',
    accepts: '`"true"` or `"false"`',
    description: 'Record decisions as Events without changing replicas.',
    overrides: 'general.dry_run',
    setting: 'dryRun',
    parse: booleanRule,
    hint: booleanHint,
    fromConfig: (c) => c.general.dry_run,
  },
] as Rule<unknown>[];

export const KNOWN_KEYS: readonly string[] = RULES.map((r) => PREFIX + r.key);
export const RULE_BY_KEY: ReadonlyMap<string, Rule<unknown>> = new Map(RULES.map((r) => [PREFIX + r.key, r]));

/** The default settings for a target: the global configuration alone. */
export function settingsFromConfig(config: Config): TargetSettings {
  const out: Partial<Record<keyof TargetSettings, unknown>> = {};
  for (const rule of RULES) if (rule.setting && rule.fromConfig) out[rule.setting] = rule.fromConfig(config);
  return out as unknown as TargetSettings;
}

/** Text of one setting as it is stamped on a Deployment. */
export function formatSetting(rule: Rule<unknown>, value: unknown): string {
  return rule.format ? rule.format(value) : String(value);
}
