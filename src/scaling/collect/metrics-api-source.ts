import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
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

/** The read the source needs; the Kubernetes implementation is below, tests may fake it. */
export interface PodMetricsReader {
  usage(namespace: string): Promise<PodAmounts[]>;
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

  constructor(kubeConfig: KubeConfig) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
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
}

/** How long a missing metrics.k8s.io API is believed before asking again. */
const ABSENT_RECHECK_MS = 300_000;

/**
 * Pod CPU and memory utilization from metrics-server: the target's summed usage against its
 * pods' requests, which come from the Deployment's pod template (`target.podRequests`), so
 * no pod listing (and no permission to list pods) is needed. One call per target and pass;
 * a cluster without metrics-server is asked again only every five minutes.
 */
export class MetricsApiSource {
  private absentUntil = 0;
  private absence: CollectFailure | undefined;

  constructor(
    private readonly reader: PodMetricsReader,
    private readonly clock: () => number = Date.now,
  ) {}

  private async usage(namespace: string): Promise<PodAmounts[]> {
    if (this.absence && this.clock() < this.absentUntil) throw this.absence;
    try {
      return await this.reader.usage(namespace);
    } catch (err) {
      const f = toFailure(err);
      if (f.reason === 'api_absent') {
        this.absence = f;
        this.absentUntil = this.clock() + ABSENT_RECHECK_MS;
      }
      throw f;
    }
  }

  async collect(target: CollectTarget): Promise<SourceResult> {
    const out: SourceResult = { values: {}, failures: {} };
    try {
      const matches = podMatcher(target);
      const pods = (await this.usage(target.namespace)).filter((p) => matches(p.pod));
      if (pods.length === 0) throw new CollectFailure('empty', `no pod in ${target.namespace} matches ${target.deployment} with metrics`);
      out.values.replicas = pods.length;
      for (const [signal, res] of [['cpu_utilization', 'cpu'], ['memory_utilization', 'memory']] as const) {
        const used = pods.reduce((sum, p) => sum + p[res], 0);
        const asked = pods.length * (target.podRequests?.[res] ?? 0);
        if (!(asked > 0) || !Number.isFinite(used)) out.failures[signal] = new CollectFailure('no_requests', `the pod template of ${target.deployment} sets no ${res} request`);
        else out.values[signal] = (100 * used) / asked;
      }
    } catch (err) {
      const f = toFailure(err);
      for (const name of ['cpu_utilization', 'memory_utilization', 'replicas'] as const) out.failures[name] = f;
    }
    return out;
  }
}
