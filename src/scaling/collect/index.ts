// The collect stage's public surface; the loop imports from here.
export { MetricsCollector, type CollectorDeps } from './collector.js';
export { settingsFromConfig, type CollectorSettings } from './settings.js';
export { targetKey, type CollectTarget } from './target.js';
export { queriesSchema, type QueryOverrides } from './config-fragment.js';
export { DEFAULT_QUERIES, type QueryName } from './queries.js';
export { KubePodMetricsReader, type PodMetricsReader } from './metrics-api-source.js';
export type { SignalHistory } from './history.js';
