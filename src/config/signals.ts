/** The seven signals, in the order used for feature vectors and tables (units: docs/ARCHITECTURE.md). */
export const SIGNALS = [
  'cpu_utilization',
  'memory_utilization',
  'request_rate',
  'network_bandwidth',
  'io_bandwidth',
  'response_time',
  'error_rate',
] as const;
export type Signal = (typeof SIGNALS)[number];
