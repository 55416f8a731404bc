import Fastify, { type FastifyInstance } from 'fastify';
import type { V1Deployment } from '@kubernetes/client-node';
import { INGRESS_ANNOTATION, MANAGED_LABEL } from '../annotations/stamps.js';
import type { KubeClients } from '../kube/client.js';
import { readTrace, type Trace } from '../simulate/trace.js';

/**
 * Plays a traffic trace against every Deployment that HydraRoute manages and exposes what
 * ingress-nginx and cAdvisor would report, computed from the trace and the Deployment's
 * current replicas: a closed loop in which the scaler's decisions change what it measures.
 *
 * Per Deployment, annotations under `replay.hydra-route.ai/` tune the replay:
 * `trace` (file path), `start-minute`, `speed` (trace minutes per real second),
 * `scale` (multiplier on the trace's counts), `capacity-per-pod` (requests/s one pod serves).
 */
export const REPLAY = 'replay.hydra-route.ai/';

export interface ReplayDefaults {
  tracePath: string;
  speed: number;
  capacityPerPod: number;
}

/** A pod's CPU request in cores and memory request in bytes, as kube-state-metrics would report them. */
const CPU_REQUEST = 0.5;
const MEMORY_REQUEST = 256 * 2 ** 20;
const BYTES_IN_PER_REQUEST = 2_000;
const BYTES_OUT_PER_REQUEST = 20_000;
const FS_WRITE_PER_REQUEST = 4_000;
const FS_READ_PER_REQUEST = 1_000;
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface PodCounters { cpu: number; rx: number; tx: number; fsRead: number; fsWrite: number }

interface Series {
  ok: number; errors: number; buckets: number[]; durationSum: number;
  /** Counters per pod index; a pod keeps its counters while it exists, as cAdvisor's do. */
  pods: PodCounters[];
}

interface Replayed {
  key: string; namespace: string; deployment: string; ingress: string; service: string;
  trace: Trace; startMinute: number; speed: number; scale: number; capacity: number;
  startedAt: number; lastUpdate: number; replicas: number; utilization: number; load: number;
  series: Series;
}

const num = (text: string | undefined, fallback: number) => {
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** Load in requests/s at a moment of the replay. */
export function loadAt(r: Pick<Replayed, 'trace' | 'startMinute' | 'speed' | 'scale'>, elapsedSec: number): number {
  const minute = Math.floor(r.startMinute + elapsedSec * r.speed);
  const count = r.trace.load[Math.min(minute, r.trace.load.length - 1)] ?? 0;
  return (count / 60) * r.scale;
}

/** The p95-ish latency of a pod fleet at a utilization: queueing grows sharply near saturation. */
export function latencySeconds(utilization: number): number {
  return 0.04 / Math.max(0.05, 1 - Math.min(utilization, 0.95));
}

export class ReplayExporter {
  private readonly targets = new Map<string, Replayed>();
  private readonly traces = new Map<string, Trace>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly kube: KubeClients, private readonly defaults: ReplayDefaults, private readonly now = Date.now) {}

  private trace(path: string): Trace {
    let t = this.traces.get(path);
    if (!t) this.traces.set(path, (t = readTrace(path)));
    return t;
  }

  /** Follows managed Deployments (their replicas and annotations) once a second. */
  start(): void {
    const poll = async () => {
      try {
        const list = await this.kube.apps.listDeploymentForAllNamespaces({ labelSelector: `${MANAGED_LABEL}=true` });
        this.sync(list.items);
      } catch {
        // The API server may be restarting; keep the last known state.
      }
      this.timer = setTimeout(() => void poll(), 1000);
    };
    void poll();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  sync(deployments: V1Deployment[]): void {
    const seen = new Set<string>();
    for (const d of deployments) {
      const ns = d.metadata?.namespace as string;
      const name = d.metadata?.name as string;
      const key = `${ns}/${name}`;
      seen.add(key);
      const a = d.metadata?.annotations ?? {};
      const existing = this.targets.get(key);
      if (existing) {
        this.advance(existing);
        existing.replicas = d.spec?.replicas ?? 0;
        continue;
      }
      const ingress = (a[INGRESS_ANNOTATION] ?? '/').split('/')[1] ?? '';
      const service = a['hydra-route.ai/target'] ?? '';
      this.targets.set(key, {
        key, namespace: ns, deployment: name, ingress, service: service || name,
        trace: this.trace(a[`${REPLAY}trace`] ?? this.defaults.tracePath),
        startMinute: num(a[`${REPLAY}start-minute`], 0), speed: num(a[`${REPLAY}speed`], this.defaults.speed),
        scale: num(a[`${REPLAY}scale`], 1), capacity: num(a[`${REPLAY}capacity-per-pod`], this.defaults.capacityPerPod),
        startedAt: this.now(), lastUpdate: this.now(), replicas: d.spec?.replicas ?? 0, utilization: 0, load: 0,
        series: { ok: 0, errors: 0, buckets: LATENCY_BUCKETS.map(() => 0), durationSum: 0, pods: [] },
      });
    }
    for (const key of this.targets.keys()) if (!seen.has(key)) this.targets.delete(key);
  }

  /** Integrates the counters from the last update to now at the current load and replicas. */
  private advance(r: Replayed): void {
    const now = this.now();
    const dt = (now - r.lastUpdate) / 1000;
    if (dt <= 0) return;
    r.lastUpdate = now;
    const load = loadAt(r, (now - r.startedAt) / 1000);
    const capacity = r.replicas * r.capacity;
    const served = Math.min(load, capacity);
    r.load = load;
    r.utilization = capacity > 0 ? load / capacity : 0;
    const s = r.series;
    s.ok += served * dt;
    s.errors += (load - served) * dt;
    const latency = latencySeconds(r.utilization);
    LATENCY_BUCKETS.forEach((le, i) => {
      // 95% of requests at or under the modelled latency, the rest up to twice it.
      const share = latency <= le ? (2 * latency <= le ? 1 : 0.95) : 0;
      s.buckets[i]! += served * dt * share;
    });
    s.durationSum += served * dt * latency;
    const pods = Math.max(0, r.replicas);
    s.pods.length = Math.min(s.pods.length, pods); // pods beyond the replicas are gone, counters with them
    const perPod = pods > 0 ? (served * dt) / pods : 0;
    for (let i = 0; i < pods; i++) {
      const p = (s.pods[i] ??= { cpu: 0, rx: 0, tx: 0, fsRead: 0, fsWrite: 0 });
      p.cpu += Math.min(r.utilization, 1.2) * CPU_REQUEST * dt;
      p.rx += perPod * BYTES_IN_PER_REQUEST;
      p.tx += perPod * BYTES_OUT_PER_REQUEST;
      p.fsRead += perPod * FS_READ_PER_REQUEST;
      p.fsWrite += perPod * FS_WRITE_PER_REQUEST;
    }
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  render(): string {
    const out: string[] = [];
    const line = (name: string, labels: Record<string, string | number>, value: number) =>
      out.push(`${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} ${value}`);
    for (const r of this.targets.values()) {
      this.advance(r);
      const s = r.series;
      const nginx = { namespace: r.namespace, ingress: r.ingress, service: r.service };
      line('nginx_ingress_controller_requests', { ...nginx, status: '200' }, s.ok);
      line('nginx_ingress_controller_requests', { ...nginx, status: '503' }, s.errors);
      LATENCY_BUCKETS.forEach((le, i) => line('nginx_ingress_controller_request_duration_seconds_bucket', { ...nginx, le }, s.buckets[i]!));
      line('nginx_ingress_controller_request_duration_seconds_bucket', { ...nginx, le: '+Inf' }, s.ok);
      line('nginx_ingress_controller_request_duration_seconds_sum', nginx, s.durationSum);
      line('nginx_ingress_controller_request_duration_seconds_count', nginx, s.ok);
      line('hydra_route_replay_load_requests_per_second', nginx, r.load);
      s.pods.forEach((p, i) => {
        const pod = { namespace: r.namespace, pod: `${r.deployment}-replay-${i}` };
        const c = { ...pod, container: 'app' };
        line('container_cpu_usage_seconds_total', c, p.cpu);
        line('container_memory_working_set_bytes', c, MEMORY_REQUEST * (0.3 + 0.4 * Math.min(r.utilization, 1.2)));
        line('container_network_receive_bytes_total', { ...pod, interface: 'eth0' }, p.rx);
        line('container_network_transmit_bytes_total', { ...pod, interface: 'eth0' }, p.tx);
        line('container_fs_reads_bytes_total', { ...c, device: '/dev/vda' }, p.fsRead);
        line('container_fs_writes_bytes_total', { ...c, device: '/dev/vda' }, p.fsWrite);
        line('kube_pod_container_resource_requests', { ...c, resource: 'cpu', unit: 'core' }, CPU_REQUEST);
        line('kube_pod_container_resource_requests', { ...c, resource: 'memory', unit: 'byte' }, MEMORY_REQUEST);
      });
    }
    return out.join('\n') + '\n';
  }

  server(): FastifyInstance {
    const app = Fastify({ logger: false });
    app.get('/metrics', async (_req, reply) => reply.header('content-type', 'text/plain; version=0.0.4').send(this.render()));
    return app;
  }
}
