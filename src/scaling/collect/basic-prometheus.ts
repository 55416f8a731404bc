import { formatDuration } from '../../config/duration.js';
import type { Sample } from '../types.js';

/** What the collector needs to know about one target. */
export interface CollectTarget {
  namespace: string;
  deployment: string;
  service: string;
  ingress: string;
  replicas: number;
}

export interface SampleSource {
  collect(target: CollectTarget, now: number): Promise<Sample>;
}

/** A first Prometheus source: request rate and CPU, per replica. */
export class BasicPrometheusSource implements SampleSource {
  constructor(
    private readonly baseUrl: () => string,
    private readonly windowMs: () => number,
    private readonly timeoutMs = 5000,
  ) {}

  private async scalar(query: string): Promise<number> {
    const url = `${this.baseUrl().replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { data?: { result?: Array<{ value?: [number, string] }> } };
    const text = body.data?.result?.[0]?.value?.[1];
    const value = text === undefined ? NaN : Number(text);
    if (!Number.isFinite(value)) throw new Error(text === undefined ? 'empty result' : `not a number: ${text}`);
    return value;
  }

  async collect(target: CollectTarget, now: number): Promise<Sample> {
    const w = formatDuration(this.windowMs());
    const sel = `namespace="${target.namespace}"`;
    const pods = `${sel},pod=~"${target.deployment}-[a-z0-9]+-[a-z0-9]+"`;
    const queries = {
      request_rate: `sum(rate(nginx_ingress_controller_requests{${sel},ingress="${target.ingress}"}[${w}])) / ${Math.max(1, target.replicas)}`,
      cpu_utilization: `100 * sum(rate(container_cpu_usage_seconds_total{${pods}}[${w}])) / sum(kube_pod_container_resource_requests{${pods},resource="cpu"})`,
    } as const;
    const sample: Sample = { t: now, values: {}, missing: {}, replicas: target.replicas };
    await Promise.all(
      Object.entries(queries).map(async ([signal, q]) => {
        try {
          sample.values[signal as keyof typeof queries] = await this.scalar(q);
        } catch (err) {
          sample.missing[signal as keyof typeof queries] = `prometheus: ${(err as Error).message}`;
        }
      }),
    );
    return sample;
  }
}
