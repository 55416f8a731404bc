import { z } from 'zod';
import { parseDuration } from './duration.js';

/**
 * The configuration file's structure (DESIGN.md, "Configuration structure").
 * Keys are snake_case as users write them; durations become milliseconds.
 * Each field's default is the value in config/default-config.yaml.
 */

/** A duration from `min` to `max` (texts such as `1s` and `30d`). */
const duration = (fallback: string, min = '1s', max = '30d') =>
  z
    .string({ error: 'expected a duration such as 30s, 5m or 24h' })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 5m or 24h' });
        return z.NEVER;
      }
      if (ms < (parseDuration(min) as number) || ms > (parseDuration(max) as number)) {
        ctx.addIssue({ code: 'custom', message: `must be from ${min} to ${max}` });
        return z.NEVER;
      }
      return ms;
    })
    .prefault(fallback);

// The type message only for a wrong type; range messages say the range.
const typeError = (expected: string) => (issue: { code?: string }) => (issue.code === 'invalid_type' ? expected : undefined);
const num = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: typeError('expected a number') })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
const int = (fallback: number, min: number, max: number) =>
  z
    .number({ error: typeError('expected a whole number') })
    .int('expected a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
const bool = (fallback: boolean) => z.boolean({ error: 'expected true or false' }).default(fallback);
const url = (fallback: string) =>
  z.url({ error: 'expected an http(s) URL', protocol: /^https?$/ }).or(z.literal('')).default(fallback);

import { SIGNALS, type Signal } from './signals.js';
import { queriesSchema } from '../scaling/collect/config-fragment.js';

export { SIGNALS, type Signal };

const signalTable = (defaults: Record<Signal, number>) =>
  z
    .strictObject(
      Object.fromEntries(SIGNALS.map((s) => [s, num(defaults[s])])) as Record<Signal, ReturnType<typeof num>>,
    )
    .prefault({});

export const UP_DEFAULTS: Record<Signal, number> = {
  cpu_utilization: 70, memory_utilization: 75, request_rate: 100, network_bandwidth: 80,
  io_bandwidth: 50, response_time: 1000, error_rate: 5,
};
export const DOWN_DEFAULTS: Record<Signal, number> = {
  cpu_utilization: 30, memory_utilization: 40, request_rate: 20, network_bandwidth: 20,
  io_bandwidth: 10, response_time: 200, error_rate: 1,
};
export const WEIGHT_DEFAULTS: Record<Signal, number> = {
  cpu_utilization: 0.25, memory_utilization: 0.2, request_rate: 0.3, network_bandwidth: 0.1,
  io_bandwidth: 0.05, response_time: 0.08, error_rate: 0.02,
};

export const MODEL_TYPES = ['linear', 'neural_network', 'ensemble'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export const configSchema = z
  .strictObject({
    metrics: z
      .strictObject({
        collection_interval: duration('30s'),
        nginx_metrics_url: url('http://nginx-ingress-controller.ingress-nginx.svc.cluster.local:10254'),
        prometheus_url: url('http://prometheus.monitoring.svc.cluster.local:9090'),
        enable_custom_metrics: bool(true),
        retention_period: duration('24h'),
        request_rate_window: duration('5m'),
        queries: queriesSchema,
        bandwidth_monitoring: z
          .strictObject({
            enable_network_bandwidth: bool(true),
            enable_io_bandwidth: bool(true),
            measurement_interval: duration('10s'),
            network_interface: z.string({ error: 'expected an interface name or ""' }).default(''),
          })
          .prefault({}),
      })
      .prefault({}),
    scaling: z
      .strictObject({
        enable_ai_scaling: bool(true),
        min_replicas: int(1, 1, 1000),
        max_replicas: int(20, 1, 1000),
        evaluation_interval: duration('30s'),
        scale_up_thresholds: signalTable(UP_DEFAULTS),
        scale_down_thresholds: signalTable(DOWN_DEFAULTS),
        ai_model: z
          .strictObject({
            model_type: z.enum(MODEL_TYPES, { error: `expected one of ${MODEL_TYPES.join(', ')}` }).default('ensemble'),
            learning_rate: num(0.01, 1e-6, 1),
            historical_window: duration('24h'),
            enable_online_learning: bool(true),
            retrain_interval: duration('2h'),
            feature_weights: signalTable(WEIGHT_DEFAULTS),
          })
          .prefault({}),
        cooldown: z
          .strictObject({ scale_up_cooldown: duration('3m', '0s', '24h'), scale_down_cooldown: duration('5m', '0s', '24h') })
          .prefault({}),
        prediction: z
          .strictObject({
            enable_predictive_scaling: bool(true),
            prediction_horizon: duration('10m', '1s', '24h'),
            confidence_threshold: num(0.8, 0, 1),
            enable_seasonality_detection: bool(true),
          })
          .prefault({}),
      })
      .prefault({}),
    general: z
      .strictObject({
        log_level: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
        ingress_class: z.string({ error: 'expected an ingress class name' }).min(1).default('nginx'),
        watch_namespaces: z.array(z.string({ error: 'expected a namespace name' })).default([]),
        dry_run: bool(false),
        leader_election: z
          .strictObject({
            enabled: bool(true),
            lease_duration: duration('15s'),
            renew_deadline: duration('10s'),
            retry_period: duration('2s'),
          })
          .prefault({}),
        health_check: z
          .strictObject({ interval: duration('30s'), timeout: duration('5s'), failure_threshold: int(3, 1, 100) })
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.scaling.min_replicas > c.scaling.max_replicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['scaling', 'min_replicas'],
        input: c.scaling.min_replicas,
        message: `must not exceed scaling.max_replicas (${c.scaling.max_replicas})`,
      });
    }
    for (const s of SIGNALS) {
      if (c.scaling.scale_down_thresholds[s] > c.scaling.scale_up_thresholds[s]) {
        ctx.addIssue({
          code: 'custom',
          path: ['scaling', 'scale_down_thresholds', s],
          input: c.scaling.scale_down_thresholds[s],
          message: `must not exceed scaling.scale_up_thresholds.${s} (${c.scaling.scale_up_thresholds[s]})`,
        });
      }
    }
    const issue = (path: string, input: unknown, message: string) =>
      ctx.addIssue({ code: 'custom', path: path.split('.'), input, message });
    if (c.metrics.retention_period < c.metrics.collection_interval) {
      issue('metrics.retention_period', c.metrics.retention_period, 'must be at least metrics.collection_interval (no sample would be kept)');
    }
    if (c.scaling.ai_model.historical_window > c.metrics.retention_period) {
      issue('scaling.ai_model.historical_window', c.scaling.ai_model.historical_window, 'must not exceed metrics.retention_period (the history the models train on)');
    }
    if (c.general.health_check.timeout >= c.general.health_check.interval) {
      issue('general.health_check.timeout', c.general.health_check.timeout, 'must be shorter than general.health_check.interval');
    }
    if (SIGNALS.every((s) => c.scaling.ai_model.feature_weights[s] === 0)) {
      issue('scaling.ai_model.feature_weights', 0, 'at least one weight must be above 0, or no signal counts');
    }
    const le = c.general.leader_election;
    if (!(le.retry_period < le.renew_deadline && le.renew_deadline < le.lease_duration)) {
      ctx.addIssue({
        code: 'custom',
        path: ['general', 'leader_election', 'renew_deadline'],
        input: le.renew_deadline,
        message: 'expected retry_period < renew_deadline < lease_duration',
      });
    }
  });

export type Config = z.output<typeof configSchema>;
