import type { V1Deployment } from '@kubernetes/client-node';
import { MANAGED_LABEL, STAMP_ANNOTATION_KEYS, type Stamps } from '../annotations/stamps.js';
import type { Config } from '../config/schema.js';
import { desiredStamps, isWatchedNamespace } from '../stamping/resolve.js';
import type { ClusterView } from './cluster-view.js';
import { allowed, patched, pointer, type AdmissionRequest, type AdmissionReviewOut, type JsonPatchOp } from './review.js';

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> };

/** JSON Patch operations that make `meta` carry `stamps` (or carry none, when undefined). */
export function stampPatch(meta: Meta, stamps: Stamps | undefined): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  const sync = (field: 'labels' | 'annotations', want: Record<string, string>, owned: readonly string[]) => {
    const have = meta[field];
    const missing = Object.entries(want).filter(([k, v]) => have?.[k] !== v);
    const stale = owned.filter((k) => have?.[k] !== undefined && !(k in want));
    if (!have && missing.length > 0) {
      ops.push({ op: 'add', path: `/metadata/${field}`, value: Object.fromEntries(missing) });
      return;
    }
    for (const [k, v] of missing) ops.push({ op: 'add', path: `/metadata/${field}/${pointer(k)}`, value: v });
    for (const k of stale) ops.push({ op: 'remove', path: `/metadata/${field}/${pointer(k)}` });
  };
  sync('labels', stamps?.labels ?? {}, [MANAGED_LABEL]);
  sync('annotations', stamps?.annotations ?? {}, STAMP_ANNOTATION_KEYS);
  return ops;
}

/**
 * The mutating webhook's answer: a Deployment keeps (or gets) the stamps its Ingress implies.
 * It only adds: removing stamps is the reconciler's job, which sees every Ingress change
 * (a webhook answering from a cache that lags by a moment must not strip valid stamps).
 */
export function reviewDeployment(req: AdmissionRequest, config: Config, cluster: ClusterView): AdmissionReviewOut {
  const isDeployment = req.kind.kind === 'Deployment' && req.kind.group === 'apps';
  if (!isDeployment || (req.operation !== 'CREATE' && req.operation !== 'UPDATE') || !req.object) return allowed(req.uid);
  const deployment = req.object as V1Deployment;
  const namespace = deployment.metadata?.namespace ?? req.namespace ?? 'default';
  const name = deployment.metadata?.name ?? req.name;
  if (!name || !isWatchedNamespace(config, namespace)) return allowed(req.uid);
  // One Deployment's stamps depend only on the Ingresses, the Services and that Deployment
  // (the object in the request, not the cached copy), so the others are not resolved.
  const want = desiredStamps(cluster.ingresses(namespace), cluster.services(namespace), [deployment], config);
  const stamps = want.get(name);
  if (!stamps) return allowed(req.uid);
  return patched(req.uid, stampPatch((deployment.metadata ?? {}) as Meta, stamps));
}
