import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The product's own metrics on one registry (never prom-client's global one). */
export interface ProductMetrics {
  registry: Registry;
  scalingDecisions: Counter<'service' | 'namespace' | 'action'>;
  modelConfidence: Gauge<'service' | 'namespace' | 'model_type'>;
  featureWeight: Gauge<'feature_name'>;
  admissionReviews: Counter<'webhook' | 'result'>;
  admissionDuration: Histogram<'webhook'>;
  stampPatches: Counter<'result'>;
  scaleUpdates: Counter<'action'>;
  scalerCycleDuration: Histogram;
  isLeader: Gauge;
}

export function createProductMetrics(options: { defaultMetrics?: boolean } = {}): ProductMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'hydra_route_process_' });
  const registers = [registry];
  return {
    registry,
    scalingDecisions: new Counter({
      name: 'hydra_route_scaling_decisions_total',
      help: 'Scaling decisions by target and action (scale_up, scale_down, none, dry_run_*)',
      labelNames: ['service', 'namespace', 'action'],
      registers,
    }),
    modelConfidence: new Gauge({
      name: 'hydra_route_model_confidence',
      help: 'Confidence in [0, 1] of the forecast model for a target',
      labelNames: ['service', 'namespace', 'model_type'],
      registers,
    }),
    featureWeight: new Gauge({
      name: 'hydra_route_feature_weight',
      help: 'Weight of each signal in the scaling pressure (scaling.ai_model.feature_weights)',
      labelNames: ['feature_name'],
      registers,
    }),
    admissionReviews: new Counter({
      name: 'hydra_route_admission_reviews_total',
      help: 'AdmissionReviews answered, by webhook and result (allowed, denied, patched, invalid, error)',
      labelNames: ['webhook', 'result'],
      registers,
    }),
    admissionDuration: new Histogram({
      name: 'hydra_route_admission_duration_seconds',
      help: 'Time to answer one AdmissionReview',
      labelNames: ['webhook'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers,
    }),
    stampPatches: new Counter({
      name: 'hydra_route_stamp_patches_total',
      help: 'Deployment stamp patches by the reconciler, by result (stamped, unstamped, conflict, error)',
      labelNames: ['result'],
      registers,
    }),
    scaleUpdates: new Counter({
      name: 'hydra_route_scale_updates_total',
      help: 'Writes of spec.replicas through the deployments/scale subresource by this process',
      labelNames: ['action'],
      registers,
    }),
    scalerCycleDuration: new Histogram({
      name: 'hydra_route_scaler_cycle_duration_seconds',
      help: 'Time of one scaler cycle over all targets',
      buckets: [0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers,
    }),
    isLeader: new Gauge({ name: 'hydra_route_leader', help: '1 while this replica holds the scaler Lease', registers }),
  };
}
