import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { CollectFailure, toFailure } from './failure.js';
import type { SourceResult } from './prometheus-source.js';
import { parseQuantity } from './quantity.js';
import { podMatcher, type CollectTarget } from './target.js';

/** CPU in cores, memory in bytes, per pod. */
export interface PodAmounts {
  pod: string;
  cpu: number;
  memory: number;
}

/** The two reads the source needs; the Kubernetes implementation is below, tests may fake it. */
export interface PodMetricsReader {
  usage(namespace: string): Promise<PodAmounts[]>;
  requests(namespace: string): Promise<PodAmounts[]>;
}

type Containers = Array<{ usage?: Record<string, string>; resources?: { requests?: Record<string, string> } }>;

function sumContainers(containers: Containers | undefined, pick: (c: Containers[number]) => Record<string, string> | undefined) {
  let cpu = 0;
  let memory = 0;
  for (const c of containers ?? []) {
    cpu += parseQuantity(pick(c)?.cpu ?? '0');
    memory += parseQuantity(pick(c)?.memory ?? '0');
  }
  return { cpu, memory };
}

/** Kubernetes API errors onto failure reasons: a 404 means metrics.k8s.io is not served. */
function kubeFailure(err: unknown, what: string): CollectFailure {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'number') return toFailure(err);
  if (code === 404) return new CollectFailure('api_absent', `${what} not served (HTTP 404); is metrics-server installed?`);
  if (code >= 500) return new CollectFailure('http_5xx', `${what}: HTTP ${code}`);
  return new CollectFailure('http_4xx', `${what}: HTTP ${code}`);
}

export class KubePodMetricsReader implements PodMetricsReader {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async usage(namespace: string): Promise<PodAmounts[]> {
    let list: { items?: Array<{ metadata?: { name?: string }; containers?: Containers }> };
    try {
      list = await this.custom.listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace, plural: 'pods' });
    } catch (err) {
      throw kubeFailure(err, 'metrics.k8s.io/v1beta1 pods');
    }
    return (list.items ?? []).map((p) => ({ pod: p.metadata?.name ?? '', ...sumContainers(p.containers, (c) => c.usage) }));
  }

  async requests(namespace: string): Promise<PodAmounts[]> {
    let list;
    try {
      list = await this.core.listNamespacedPod({ namespace, fieldSelector: 'status.phase=Running' });
    } catch (err) {
      throw kubeFailure(err, 'pods');
    }
    return list.items.map((p) => ({
      pod: p.metadata?.name ?? '',
      ...sumContainers(p.spec?.containers as Containers | undefined, (c) => c.resources?.requests),
    }));
  }
}

/**
 * Pod CPU and memory utilization from metrics-server: the target's summed usage against
 * the summed requests of the same pods (request-weighted, as the HPA does).
 */
export class MetricsApiSource {
  constructor(private readonly reader: PodMetricsReader) {}

  async collect(target: CollectTarget): Promise<SourceResult> {
    const out: SourceResult = { values: {}, failures: {} };
    try {
      const matches = podMatcher(target);
      const [usage, requests] = await Promise.all([this.reader.usage(target.namespace), this.reader.requests(target.namespace)]);
      const requested = new Map(requests.filter((p) => matches(p.pod)).map((p) => [p.pod, p]));
      const pods = usage.filter((p) => requested.has(p.pod));
      if (pods.length === 0) throw new CollectFailure('empty', `no pod in ${target.namespace} matches ${target.deployment} with metrics`);
      out.values.replicas = pods.length;
      for (const [signal, res] of [['cpu_utilization', 'cpu'], ['memory_utilization', 'memory']] as const) {
        const used = pods.reduce((sum, p) => sum + p[res], 0);
        const asked = pods.reduce((sum, p) => sum + (requested.get(p.pod) as PodAmounts)[res], 0);
        if (!(asked > 0) || !Number.isFinite(used)) out.failures[signal] = new CollectFailure('no_requests', `pods have no ${res} requests`);
        else out.values[signal] = (100 * used) / asked;
      }
    } catch (err) {
      const f = toFailure(err);
      for (const name of ['cpu_utilization', 'memory_utilization', 'replicas'] as const) out.failures[name] = f;
    }
    return out;
  }
}
