import type { Signal } from '../../config/schema.js';
import type { Sample } from '../types.js';

/**
 * Signals that grow in proportion to load per replica. The model forecasts total load (one
 * series, cheap) and these signals follow it; latency and error rate are consequences of
 * capacity, which scaling changes, so forecasting them would predict our own actions.
 */
export const LOAD_SIGNALS: readonly Signal[] = [
  'request_rate', 'cpu_utilization', 'memory_utilization', 'network_bandwidth', 'io_bandwidth',
];

/** Signals tried, in order, as the total-load driver. */
const DRIVERS: readonly Signal[] = ['request_rate', 'cpu_utilization'];

/** Total load of a sample: a per-replica driver signal times ready replicas. */
export function totalLoad(sample: Sample, driver: Signal): number | undefined {
  const v = sample.values[driver];
  if (v === undefined || !Number.isFinite(v)) return undefined;
  return v * Math.max(1, sample.replicas ?? 1);
}

export function pickDriver(sample: Sample): Signal | undefined {
  return DRIVERS.find((s) => sample.values[s] !== undefined);
}

/**
 * Per-replica signal values (at the sample's replicas) for a predicted total load: each
 * load signal scales by predicted / current load. With no current load to scale from,
 * only the driver can be expressed. A signal with a known per-pod baseline scales above it only.
 */
export function scaleSignals(
  sample: Sample, driver: Signal, current: number, predicted: number, baselines: Partial<Record<Signal, number>> = {},
): Partial<Record<Signal, number>> {
  const replicas = Math.max(1, sample.replicas ?? 1);
  if (current <= 1e-9) return { [driver]: predicted / replicas };
  const ratio = predicted / current;
  const out: Partial<Record<Signal, number>> = {};
  for (const s of LOAD_SIGNALS) {
    const v = sample.values[s];
    // Only the part above a signal's per-pod baseline moves with load.
    const a = Math.min(baselines[s] ?? 0, v ?? 0);
    if (v !== undefined) out[s] = a + (v - a) * ratio;
  }
  return out;
}
