import type { Config } from '../config/schema.js';
import type { Sample } from '../scaling/types.js';

/**
 * The simulated pod's signals for a load, in the units of the configured thresholds.
 *
 * "Capacity per pod" is the load a pod serves while staying within what the operator's
 * scale-up thresholds call full: at exactly that load it reports the CPU and request-rate
 * scale-up thresholds. Other load-proportional signals sit below theirs at capacity, and
 * latency and errors only climb past their thresholds once a pod is well over capacity.
 * Every policy in the simulation is judged against the same capacity.
 */
export function podSample(t: number, loadPerMin: number, ready: number, capacityPerPod: number, up: Config['scaling']['scale_up_thresholds']): Sample {
  const pods = Math.max(1, ready);
  const u = loadPerMin / (pods * capacityPerPod);
  const over = Math.max(0, u - 1);
  return {
    t,
    replicas: pods,
    missing: {},
    values: {
      cpu_utilization: up.cpu_utilization * u,
      request_rate: up.request_rate * u,
      memory_utilization: 30 + 40 * u,
      network_bandwidth: 0.6 * up.network_bandwidth * u,
      io_bandwidth: 0.4 * up.io_bandwidth * u,
      response_time: 0.15 * up.response_time * (1 + u * u) + 2 * up.response_time * over,
      error_rate: 0.04 * up.error_rate + 4 * up.error_rate * over,
    },
  };
}
