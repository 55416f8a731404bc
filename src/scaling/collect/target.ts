import type { TargetKey } from '../types.js';

/**
 * What to measure: one Deployment, the Service in front of it and the Ingress that
 * routes to that Service. ingress-nginx labels its series with all three names.
 */
export interface CollectTarget {
  namespace: string;
  deployment: string;
  service: string;
  ingress: string;
  /**
   * Anchored regular expression (RE2 / JS) for the Deployment's pod names. Default:
   * `<deployment>-[a-z0-9]+-[a-z0-9]+` — the ReplicaSet hash plus the pod suffix, which
   * the replay exporter's `<deployment>-replay-<i>` also matches.
   */
  podRegex?: string;
  /**
   * Ready replicas as the caller (the loop) read them from the API. When absent the
   * collector counts the pods that report metrics. Same name as the loop's target, so
   * MetricsCollector fits its SampleSource interface.
   */
  replicas?: number;
  /** CPU (cores) and memory (bytes) one pod requests, from the Deployment's pod template. */
  podRequests?: { cpu: number; memory: number };
}

export function targetKey(target: CollectTarget): TargetKey {
  return `${target.namespace}/${target.deployment}`;
}

/** Escapes regex metacharacters; Deployment names may contain dots. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function podRegexOf(target: CollectTarget): string {
  return target.podRegex ?? `${escapeRegex(target.deployment)}-[a-z0-9]+-[a-z0-9]+`;
}

/** Full-match test, as Prometheus' `=~` anchors its regex. */
export function podMatcher(target: CollectTarget): (pod: string) => boolean {
  const re = new RegExp(`^(?:${podRegexOf(target)})$`);
  return (pod) => re.test(pod);
}
