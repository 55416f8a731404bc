import { settingsFromConfig } from '../annotations/catalogue.js';
import { parseDuration } from '../config/duration.js';
import { defaultConfig, loadConfigFile } from '../config/load.js';
import { MODEL_TYPES, type ModelType } from '../config/schema.js';
import type { SimParams } from './policies.js';
import type { Trace } from './trace.js';

export interface SimulateOptions {
  trace: string;
  output: 'table' | 'json';
  chart?: string;
  capacityPerPod?: number;
  startupMs: number;
  min?: number;
  max?: number;
  config?: string;
  model?: ModelType;
  horizonMs?: number;
  quiet: boolean;
}

export const USAGE = `usage: hydra-route simulate --trace FILE [--output table|json] [--chart out.svg]
         [--capacity-per-pod N] [--startup-delay 2m] [--min N] [--max N]
         [--config FILE] [--model linear|neural_network|ensemble] [--horizon 10m] [--quiet]`;

const positive = (flag: string, text: string | undefined): number => {
  const n = Number(text);
  if (text === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got "${text ?? ''}"`);
  return n;
};
const duration = (flag: string, text: string | undefined): number => {
  const ms = parseDuration(text ?? '');
  if (ms === undefined) throw new Error(`${flag} needs a duration such as 90s or 2m, got "${text ?? ''}"`);
  return ms;
};

/** Parses `simulate` flags; throws an Error whose message is meant for the user. */
export function parseSimulateArgs(argv: readonly string[]): SimulateOptions {
  const o: Partial<SimulateOptions> = { output: 'table', startupMs: 120_000, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--trace': o.trace = value(); break;
      case '--output': {
        const v = value();
        if (v !== 'table' && v !== 'json') throw new Error(`--output must be table or json, got "${v ?? ''}"`);
        o.output = v;
        break;
      }
      case '--chart': o.chart = value(); break;
      case '--capacity-per-pod': o.capacityPerPod = positive(flag, value()); break;
      case '--startup-delay': o.startupMs = duration(flag, value()); break;
      case '--min': o.min = Math.round(positive(flag, value())); break;
      case '--max': o.max = Math.round(positive(flag, value())); break;
      case '--config': o.config = value(); break;
      case '--model': {
        const v = value();
        if (!(MODEL_TYPES as readonly string[]).includes(v ?? '')) throw new Error(`--model must be one of ${MODEL_TYPES.join(', ')}`);
        o.model = v as ModelType;
        break;
      }
      case '--horizon': o.horizonMs = duration(flag, value()); break;
      case '--quiet': o.quiet = true; break;
      default: throw new Error(`unknown option "${flag}"`);
    }
  }
  if (!o.trace) throw new Error('--trace FILE is required');
  return o as SimulateOptions;
}

/**
 * Simulation parameters. Without --capacity-per-pod, one pod's capacity is the trace's peak
 * minute divided by the maximum replicas, so the peak needs exactly the maximum: any trace
 * then exercises the whole replica range without tuning.
 */
export function simParams(o: SimulateOptions, trace: Trace): SimParams {
  const config = o.config ? loadConfigFile(o.config) : defaultConfig();
  const settings = settingsFromConfig(config);
  const min = o.min ?? settings.minReplicas;
  const max = o.max ?? settings.maxReplicas;
  if (min > max) throw new Error(`--min (${min}) must not exceed --max (${max})`);
  const peak = trace.load.reduce((a, b) => Math.max(a, b), 0);
  const capacityPerPod = o.capacityPerPod ?? Math.max(1, peak) / max;
  return {
    capacityPerPod, startupMs: o.startupMs, min, max, config,
    settings: { ...settings, minReplicas: min, maxReplicas: max, model: o.model ?? settings.model, predictionHorizonMs: o.horizonMs ?? settings.predictionHorizonMs },
  };
}
