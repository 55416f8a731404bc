import { SIGNALS, type Signal } from '../../config/signals.js';
import { podRegexOf, type CollectTarget } from './target.js';

/** What a Prometheus query can be asked for: the seven signals and the replica count. */
export type QueryName = Signal | 'replicas';
export const QUERY_NAMES: readonly QueryName[] = [...SIGNALS, 'replicas'];

/**
 * Signals whose queries return the target's total; the collector divides by the
 * replica count so that they are per replica (docs/ARCHITECTURE.md, units). Keeping the
 * division out of PromQL lets the direct nginx scrape and overrides share it.
 */
export const PER_REPLICA: ReadonlySet<Signal> = new Set(['request_rate', 'network_bandwidth', 'io_bandwidth']);

/** Signals that come from ingress-nginx: what `enable_custom_metrics` turns on. */
export const REQUEST_SIGNALS: ReadonlySet<Signal> = new Set(['request_rate', 'response_time', 'error_rate']);

const NGINX = '{namespace="{namespace}",ingress="{ingress}",service="{service}"}';
const PODS = 'namespace="{namespace}",pod=~"{pod_regex}"';
// cAdvisor also reports the pod cgroup (container="") and the pause container; skip both.
const CONTAINERS = `{${PODS},container!="",container!="POD"}`;
const requests = (resource: string) =>
  `sum(kube_pod_container_resource_requests{${PODS},resource="${resource}"})`;

/**
 * Default PromQL per query name. Units: percent, requests/s, ms, MB/s (1e6 bytes).
 * Placeholders: {namespace} {deployment} {service} {ingress} {pod_regex} {window}
 * (request_rate_window) {bw_window} (measurement_interval) {interface_matcher}.
 */
export const DEFAULT_QUERIES: Record<QueryName, string> = {
  request_rate: `sum(rate(nginx_ingress_controller_requests${NGINX}[{window}]))`,
  response_time:
    `1000 * histogram_quantile(0.95, sum by (le) (` +
    `rate(nginx_ingress_controller_request_duration_seconds_bucket${NGINX}[{window}])))`,
  // "or vector(0)": ingress-nginx creates a 5xx series only after the first 5xx, so no
  // series means none happened; the denominator still makes an unknown ingress empty.
  error_rate:
    `100 * (sum(rate(nginx_ingress_controller_requests{namespace="{namespace}",ingress="{ingress}",` +
    `service="{service}",status=~"5.."}[{window}])) or vector(0))` +
    ` / sum(rate(nginx_ingress_controller_requests${NGINX}[{window}]))`,
  cpu_utilization: `100 * sum(rate(container_cpu_usage_seconds_total${CONTAINERS}[{window}])) / ${requests('cpu')}`,
  memory_utilization: `100 * sum(container_memory_working_set_bytes${CONTAINERS}) / ${requests('memory')}`,
  network_bandwidth:
    `(sum(rate(container_network_receive_bytes_total{${PODS}{interface_matcher}}[{bw_window}]))` +
    ` + sum(rate(container_network_transmit_bytes_total{${PODS}{interface_matcher}}[{bw_window}]))) / 1e6`,
  io_bandwidth:
    `(sum(rate(container_fs_reads_bytes_total${CONTAINERS}[{bw_window}]))` +
    ` + sum(rate(container_fs_writes_bytes_total${CONTAINERS}[{bw_window}]))) / 1e6`,
  replicas: `count(count by (pod) (container_memory_working_set_bytes${CONTAINERS}))`,
};

export interface QueryParams {
  windowMs: number;
  bandwidthWindowMs: number;
  /** Only this network interface when set; all interfaces when empty. */
  networkInterface: string;
}

/** A label value inside double quotes: backslashes and quotes escaped. */
function quoteInner(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** PromQL durations take whole units; seconds are always accepted. */
export function promDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** Fills the placeholders of a query template for one target. Unknown ones are left as is. */
export function renderQuery(template: string, target: CollectTarget, params: QueryParams): string {
  const values: Record<string, string> = {
    namespace: quoteInner(target.namespace),
    deployment: quoteInner(target.deployment),
    service: quoteInner(target.service),
    ingress: quoteInner(target.ingress),
    pod_regex: quoteInner(podRegexOf(target)),
    window: promDuration(params.windowMs),
    bw_window: promDuration(params.bandwidthWindowMs),
    interface_matcher: params.networkInterface ? `,interface="${quoteInner(params.networkInterface)}"` : '',
  };
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
