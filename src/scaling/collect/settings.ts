import { SIGNALS, type Config, type Signal } from '../../config/schema.js';
import type { QueryOverrides } from './config-fragment.js';
import { DEFAULT_QUERIES, QUERY_NAMES, REQUEST_SIGNALS, type QueryName, type QueryParams } from './queries.js';

export interface CollectorSettings {
  /** '' turns the source off. */
  prometheusUrl: string;
  nginxMetricsUrl: string;
  collectionIntervalMs: number;
  retentionMs: number;
  requestRateWindowMs: number;
  /** The ingress-nginx request signals: request_rate, response_time, error_rate. */
  enableCustomMetrics: boolean;
  enableNetworkBandwidth: boolean;
  enableIoBandwidth: boolean;
  /** Window of the bandwidth rates; must span two scrapes of the cAdvisor series. */
  measurementIntervalMs: number;
  networkInterface: string;
  /** PromQL templates replacing the defaults (proposed key `metrics.queries`). */
  queries?: QueryOverrides;
  /** Deadline for one HTTP request to a source. */
  timeoutMs?: number;
}

export function settingsFromConfig(config: Config, queries?: QueryOverrides): CollectorSettings {
  const m = config.metrics;
  return {
    prometheusUrl: m.prometheus_url,
    nginxMetricsUrl: m.nginx_metrics_url,
    collectionIntervalMs: m.collection_interval,
    retentionMs: m.retention_period,
    requestRateWindowMs: m.request_rate_window,
    enableCustomMetrics: m.enable_custom_metrics,
    enableNetworkBandwidth: m.bandwidth_monitoring.enable_network_bandwidth,
    enableIoBandwidth: m.bandwidth_monitoring.enable_io_bandwidth,
    measurementIntervalMs: m.bandwidth_monitoring.measurement_interval,
    networkInterface: m.bandwidth_monitoring.network_interface,
    ...(queries ? { queries } : {}),
  };
}

/** Why a signal is switched off, or undefined when it is collected. */
export function disabledBecause(settings: CollectorSettings, signal: Signal): string | undefined {
  if (REQUEST_SIGNALS.has(signal) && !settings.enableCustomMetrics) return 'disabled: metrics.enable_custom_metrics is false';
  if (signal === 'network_bandwidth' && !settings.enableNetworkBandwidth) {
    return 'disabled: metrics.bandwidth_monitoring.enable_network_bandwidth is false';
  }
  if (signal === 'io_bandwidth' && !settings.enableIoBandwidth) return 'disabled: metrics.bandwidth_monitoring.enable_io_bandwidth is false';
  return undefined;
}

export function enabledSignals(settings: CollectorSettings): Signal[] {
  return SIGNALS.filter((s) => disabledBecause(settings, s) === undefined);
}

export function queryTemplates(settings: CollectorSettings): Record<QueryName, string> {
  const out = { ...DEFAULT_QUERIES };
  for (const name of QUERY_NAMES) {
    const override = settings.queries?.[name];
    if (override) out[name] = override;
  }
  return out;
}

export function queryParams(settings: CollectorSettings): QueryParams {
  return {
    windowMs: settings.requestRateWindowMs,
    bandwidthWindowMs: settings.measurementIntervalMs,
    networkInterface: settings.networkInterface,
  };
}

export function timeoutOf(settings: CollectorSettings): number {
  return settings.timeoutMs ?? Math.min(10_000, Math.max(1_000, settings.collectionIntervalMs / 2));
}
