import type { V1Ingress } from '@kubernetes/client-node';
import { viewOfObjects } from '../admission/cluster-view.js';
import { ingressShapeProblem } from '../admission/ingress-shape.js';
import { ingressRef, inspectIngress } from '../admission/validate-ingress.js';
import { formatDenial, formatProblem, type AnnotationProblem } from '../annotations/validate.js';
import type { Config } from '../config/schema.js';
import type { Located } from './documents.js';

/** The verdict on one Ingress: the webhook's own messages plus where the Ingress was read. */
export interface LintResult {
  file: string;
  document: number;
  item?: number;
  namespace: string;
  name: string;
  allowed: boolean;
  /** The text the webhook would deny with; absent when allowed. */
  message?: string;
  problems: (AnnotationProblem & { message: string })[];
  warnings: string[];
}

/** A copy in `namespace` when it names none, as kubectl would create it. */
function placed(object: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const meta = (typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {}) as Record<string, unknown>;
  return typeof meta.namespace === 'string' ? object : { ...object, metadata: { ...meta, namespace } };
}

function judge(at: Located, ingress: Record<string, unknown>, config: Config, view: ReturnType<typeof viewOfObjects>): LintResult {
  const meta = (ingress.metadata ?? {}) as { namespace?: string; name?: string };
  const base = { file: at.file, document: at.document, ...(at.item ? { item: at.item } : {}), namespace: String(meta.namespace ?? ''), name: String(meta.name ?? '') };
  const shape = ingressShapeProblem(ingress);
  if (shape) {
    return { ...base, allowed: false, message: `HydraRoute: ${shape}`, problems: [], warnings: [] };
  }
  const findings = inspectIngress(ingress as V1Ingress, config, view);
  const problems = findings.problems.map((p) => ({ ...p, message: formatProblem(p) }));
  if (problems.length === 0) return { ...base, allowed: true, problems, warnings: findings.warnings };
  const message = formatDenial(`Ingress ${ingressRef(ingress as V1Ingress)}`, findings.problems);
  return { ...base, allowed: false, message, problems, warnings: findings.warnings };
}

/**
 * Judges every Ingress among `objects` as the webhook would. The other objects of the
 * same inputs (Services, Deployments, Ingresses) stand in for the cluster, so that
 * cross-object rules apply to a whole `kubectl kustomize` output.
 */
export function lintObjects(objects: readonly Located[], config: Config, defaultNamespace: string): LintResult[] {
  const placedObjects = objects.map((o) => ({ ...o, object: placed(o.object, defaultNamespace) }));
  // A malformed Ingress is reported on its own and kept out of the others' view.
  const usable = placedObjects.filter((o) => o.object.kind !== 'Ingress' || !ingressShapeProblem(o.object));
  const view = viewOfObjects(usable.map((o) => o.object), defaultNamespace);
  return placedObjects.filter((o) => o.object.kind === 'Ingress').map((o) => judge(o, o.object, config, view));
}
