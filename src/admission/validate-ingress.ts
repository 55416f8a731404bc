import type { V1Ingress } from '@kubernetes/client-node';
import { PREFIX } from '../annotations/catalogue.js';
import { inspectUnknownKey } from '../annotations/keys.js';
import { formatDenial, formatProblem, printable, validateAnnotations, type AnnotationProblem } from '../annotations/validate.js';
import type { Config } from '../config/schema.js';
import { ingressClassOf, isWatchedNamespace } from '../stamping/resolve.js';
import type { ClusterView } from './cluster-view.js';
import { ingressShapeProblem } from './ingress-shape.js';
import { allowed, denied, review, type AdmissionRequest, type AdmissionReviewOut } from './review.js';
import { crossObjectFindings, type IngressFindings } from './validate-ingress-cross.js';

export type { IngressFindings };

/** Ours or a misspelling of ours: the same keys the webhook's matchCondition and the validator care about. */
const hasOurAnnotations = (ingress: V1Ingress) =>
  Object.keys(ingress.metadata?.annotations ?? {}).some((k) => k.startsWith(PREFIX) || inspectUnknownKey(k) !== undefined);

/** `namespace/name`; an Ingress created with generateName has no name yet. */
export function ingressRef(ingress: V1Ingress): string {
  const m = ingress.metadata;
  const name = m?.name || (m?.generateName ? `${m.generateName}(generated)` : '(unnamed)');
  return printable(`${m?.namespace ?? 'default'}/${name}`);
}

/**
 * Why HydraRoute leaves this Ingress alone, or undefined when it acts on it. Such an
 * Ingress is never denied: another team's controller owns it, or HydraRoute was told
 * not to look at its namespace. It gets a warning instead, so a wrong class or a
 * forgotten namespace is visible at apply time.
 */
function notOursReason(ingress: V1Ingress, config: Config): string | undefined {
  const cls = ingressClassOf(ingress);
  if (cls !== undefined && cls !== config.general.ingress_class) {
    return `its ingress class is ${JSON.stringify(cls)}, not "${config.general.ingress_class}"`;
  }
  if (!isWatchedNamespace(config, ingress.metadata?.namespace)) return 'HydraRoute does not watch its namespace (general.watch_namespaces)';
  return undefined;
}

/** Everything wrong with one Ingress; pure except for reads through `cluster`. */
export function inspectIngress(ingress: V1Ingress, config: Config, cluster: ClusterView): IngressFindings {
  const findings: IngressFindings = { problems: [], warnings: [] };
  if (!hasOurAnnotations(ingress)) return findings;
  const ref = ingressRef(ingress);
  const skip = notOursReason(ingress, config);
  if (skip) {
    findings.warnings.push(`HydraRoute: Ingress ${ref} is ignored: ${skip}; its hydra-route.ai annotations have no effect`);
    return findings;
  }
  const verdict = validateAnnotations(ingress.metadata?.annotations, config);
  findings.problems.push(...verdict.problems);
  const enabledKey = Object.keys(ingress.metadata?.annotations ?? {}).includes(`${PREFIX}enabled`);
  if (!enabledKey && verdict.problems.length === 0) {
    findings.warnings.push(`HydraRoute: Ingress ${ref} has hydra-route.ai annotations but no ${PREFIX}enabled: "true", so they have no effect`);
  }
  crossObjectFindings(ingress, verdict, config, cluster, findings);
  return findings;
}

const signature = (p: AnnotationProblem) => formatProblem(p);

/**
 * UPDATE ratchets, as Kubernetes does for CRD validation: a problem the stored object
 * (oldObject) already had does not block an unrelated change such as a new TLS host or
 * a controller's label; it is repeated as a warning instead. A problem the update
 * introduces (a changed value, new bounds that now conflict, enabling) denies it.
 */
function ratchet(findings: IngressFindings, old: V1Ingress, ref: string, config: Config, cluster: ClusterView): IngressFindings {
  if (ingressShapeProblem(old)) return findings;
  const before = new Set(inspectIngress(withNamespace(old, old.metadata?.namespace), config, cluster).problems.map(signature));
  const kept = findings.problems.filter((p) => before.has(signature(p)));
  return {
    problems: findings.problems.filter((p) => !before.has(signature(p))),
    warnings: [...findings.warnings, ...kept.map((p) => `HydraRoute: not changed by this update but still to fix in ${ref}: ${formatProblem(p)}`)],
  };
}

/** A copy that carries its namespace: the request's namespace is authoritative on the wire. */
function withNamespace(object: Record<string, unknown> | V1Ingress, namespace: string | undefined): V1Ingress {
  const ingress = object as V1Ingress;
  return { ...ingress, metadata: { ...ingress.metadata, namespace: namespace ?? ingress.metadata?.namespace ?? 'default' } };
}

const isIngressKind = (req: AdmissionRequest) =>
  req.kind.kind === 'Ingress' && (req.kind.group === 'networking.k8s.io' || req.kind.group === 'extensions');

/** The validating webhook's answer for one request. Reads only; `dryRun` needs nothing else. */
export function reviewIngress(req: AdmissionRequest, config: Config, cluster: ClusterView): AdmissionReviewOut {
  if (!isIngressKind(req) || (req.operation !== 'CREATE' && req.operation !== 'UPDATE') || !req.object) return allowed(req.uid);
  const shape = ingressShapeProblem(req.object);
  if (shape) return review({ uid: req.uid, allowed: false, status: { code: 400, reason: 'BadRequest', message: `HydraRoute: ${shape}` } });
  const ingress = withNamespace(req.object, req.namespace);
  // Finalizers being removed from an Ingress on its way out must never be blocked.
  if (ingress.metadata?.deletionTimestamp) return allowed(req.uid);
  const ref = ingressRef(ingress);
  let findings = inspectIngress(ingress, config, cluster);
  if (req.operation === 'UPDATE' && req.oldObject && findings.problems.length > 0) {
    findings = ratchet(findings, withNamespace(req.oldObject, req.namespace), ref, config, cluster);
  }
  if (findings.problems.length === 0) return allowed(req.uid, findings.warnings);
  return denied(req.uid, formatDenial(`Ingress ${ref}`, findings.problems), findings.warnings);
}
