import { Counter, Histogram, type Registry } from 'prom-client';
import type { FailureReason, SourceName } from './failure.js';

export interface CollectMetrics {
  errors: Counter<'source' | 'reason'>;
  duration: Histogram<string>;
}

const ERRORS = 'hydra_route_metrics_collection_errors_total';
const DURATION = 'hydra_route_metrics_collection_duration_seconds';

/**
 * The collector's own metrics on the registry it is given. Reuses metrics already
 * registered there, so several collectors (one per shard, or per test) can share one.
 */
export function collectMetrics(registry: Registry): CollectMetrics {
  const errors =
    (registry.getSingleMetric(ERRORS) as Counter<'source' | 'reason'> | undefined) ??
    new Counter({
      name: ERRORS,
      help: 'Signals that could not be collected, by source and reason',
      labelNames: ['source', 'reason'],
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric(DURATION) as Histogram<string> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'Duration of one collection pass for one target, all sources',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return { errors, duration };
}

export function countError(metrics: CollectMetrics, source: SourceName, reason: FailureReason): void {
  metrics.errors.inc({ source, reason });
}
