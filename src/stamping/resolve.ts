import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import { validateAnnotations } from '../annotations/validate.js';
import { stampsFor, type Stamps } from '../annotations/stamps.js';
import type { Config } from '../config/schema.js';

/** The names of all backend Services an Ingress routes to, in order of appearance. */
export function backendServices(ingress: V1Ingress): string[] {
  const names = new Set<string>();
  const def = ingress.spec?.defaultBackend?.service?.name;
  if (def) names.add(def);
  for (const rule of ingress.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const name = path.backend?.service?.name;
      if (name) names.add(name);
    }
  }
  return [...names];
}

/** The ingress class an Ingress asks for: spec.ingressClassName, else the legacy annotation. */
export function ingressClassOf(ingress: V1Ingress): string | undefined {
  return ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.['kubernetes.io/ingress.class'];
}

/** True when a Service's selector picks the pods of a Deployment's template. */
export function selects(service: V1Service, deployment: V1Deployment): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export const refOf = (o: { metadata?: { namespace?: string; name?: string } }) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Whether the product acts in a namespace (general.watch_namespaces; empty means all). */
export function isWatchedNamespace(config: Config, namespace: string | undefined): boolean {
  const list = config.general.watch_namespaces;
  return list.length === 0 || (namespace !== undefined && list.includes(namespace));
}

/** An enabled, valid Ingress of our class, with the Service it scales. */
export interface ScalingIngress {
  ingress: V1Ingress;
  service: string;
  stamps: Stamps;
}

interface Resolved {
  config: Config;
  metadata: V1Ingress['metadata'];
  annotations: Record<string, string> | undefined;
  spec: V1Ingress['spec'];
  resourceVersion: string | undefined;
  result: ScalingIngress | undefined;
}

/**
 * Results per Ingress object. Admission resolves every Ingress of the namespace on each review
 * and the loop resolves each target's Ingress every cycle; watch-cache objects are replaced, not
 * edited, on change, so the same object with the same parts and config gives the same answer.
 */
const resolved = new WeakMap<V1Ingress, Resolved>();

/** The Ingress's effective target when it is enabled, valid, of our class and watched; else undefined. */
export function scalingIngress(ingress: V1Ingress, config: Config): ScalingIngress | undefined {
  const hit = resolved.get(ingress);
  const m = ingress.metadata;
  if (hit && hit.config === config && hit.metadata === m && hit.annotations === m?.annotations && hit.spec === ingress.spec && hit.resourceVersion === m?.resourceVersion) {
    return hit.result;
  }
  const result = resolveScalingIngress(ingress, config);
  resolved.set(ingress, { config, metadata: m, annotations: m?.annotations, spec: ingress.spec, resourceVersion: m?.resourceVersion, result });
  return result;
}

function resolveScalingIngress(ingress: V1Ingress, config: Config): ScalingIngress | undefined {
  if (ingress.metadata?.deletionTimestamp) return undefined;
  if (!isWatchedNamespace(config, ingress.metadata?.namespace)) return undefined;
  const cls = ingressClassOf(ingress);
  if (cls !== undefined && cls !== config.general.ingress_class) return undefined;
  const verdict = validateAnnotations(ingress.metadata?.annotations, config);
  if (!verdict.enabled || verdict.problems.length > 0) return undefined;
  const backends = backendServices(ingress);
  // Same rule as admission: the target must be one of the Ingress's backends.
  if (verdict.target && !backends.includes(verdict.target)) return undefined;
  const service = verdict.target ?? (backends.length === 1 ? backends[0] : undefined);
  if (!service) return undefined;
  // Stamps are built on first read: admission and the loop resolve every Ingress of a
  // namespace but read the stamps of the one or two that select the object at hand.
  let stamps: Stamps | undefined;
  return {
    ingress,
    service,
    get stamps() {
      return (stamps ??= stampsFor(refOf(ingress), verdict.settings));
    },
  };
}

/**
 * The stamps each Deployment of one namespace should carry, keyed by Deployment name.
 * When two Ingresses claim one Deployment, the older Ingress wins (admission denies the
 * newer one; this keeps the result stable if one slipped through).
 */
export function desiredStamps(
  ingresses: readonly V1Ingress[],
  services: readonly V1Service[],
  deployments: readonly V1Deployment[],
  config: Config,
): Map<string, Stamps> {
  const out = new Map<string, Stamps>();
  // Creation times parsed once, not in every comparison of the sort.
  const keyed = ingresses.map((o) => ({
    o,
    at: o.metadata?.creationTimestamp ? new Date(o.metadata.creationTimestamp).getTime() : 0,
    ref: refOf(o),
  }));
  keyed.sort((a, b) => a.at - b.at || a.ref.localeCompare(b.ref));
  for (const { o: ingress } of keyed) {
    const target = scalingIngress(ingress, config);
    if (!target) continue;
    const service = services.find((s) => s.metadata?.name === target.service);
    if (!service) continue;
    for (const d of deployments) {
      const name = d.metadata?.name;
      if (name && !out.has(name) && selects(service, d)) out.set(name, target.stamps);
    }
  }
  return out;
}
