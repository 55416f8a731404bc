import type { V1Ingress } from '@kubernetes/client-node';
import { PREFIX } from '../annotations/catalogue.js';
import { formatDenial, validateAnnotations, type AnnotationProblem } from '../annotations/validate.js';
import type { Config } from '../config/schema.js';
import { backendServices, ingressClassOf, refOf, scalingIngress, selects } from '../stamping/resolve.js';
import type { ClusterView } from './cluster-view.js';
import { allowed, denied, type AdmissionRequest, type AdmissionReviewOut } from './review.js';

export interface IngressFindings {
  problems: AnnotationProblem[];
  warnings: string[];
}

const hasOurAnnotations = (ingress: V1Ingress) =>
  Object.keys(ingress.metadata?.annotations ?? {}).some((k) => k.toLowerCase().startsWith(PREFIX));

/** Problems that need other objects: backends, the target Service, other Ingresses. */
function crossObjectFindings(ingress: V1Ingress, config: Config, cluster: ClusterView, findings: IngressFindings): void {
  const ns = ingress.metadata?.namespace ?? 'default';
  const verdict = validateAnnotations(ingress.metadata?.annotations, config);
  if (!verdict.enabled) return;
  const backends = backendServices(ingress);
  if (!verdict.target && backends.length > 1) {
    findings.problems.push({
      key: `${PREFIX}target`,
      value: '',
      rule: `is required when the Ingress routes to several Services (${backends.join(', ')})`,
      fix: `add ${PREFIX}target: "<one of ${backends.join(', ')}>" to choose the Service whose Deployment is scaled`,
    });
    return;
  }
  const serviceName = verdict.target ?? backends[0];
  if (!serviceName) {
    findings.problems.push({
      key: `${PREFIX}enabled`,
      value: 'true',
      rule: 'needs a backend Service to scale, and the Ingress has none',
      fix: `add a backend Service, or set ${PREFIX}target`,
    });
    return;
  }
  const service = cluster.services(ns).find((s) => s.metadata?.name === serviceName);
  if (!service) {
    findings.warnings.push(
      `HydraRoute: Service ${ns}/${serviceName} does not exist yet; its Deployment is stamped when the Service appears`,
    );
    return;
  }
  const mine = scalingIngress(ingress, config);
  if (!mine || verdict.problems.length > 0) return;
  const targets = cluster.deployments(ns).filter((d) => selects(service, d));
  for (const other of cluster.ingresses(ns)) {
    if (other.metadata?.name === ingress.metadata?.name) continue;
    const theirs = scalingIngress(other, config);
    if (!theirs) continue;
    const theirService = cluster.services(ns).find((s) => s.metadata?.name === theirs.service);
    const shared = theirService ? targets.filter((d) => selects(theirService, d)) : [];
    const a = mine.stamps.annotations;
    const b = theirs.stamps.annotations;
    const differs = a[`${PREFIX}min-replicas`] !== b[`${PREFIX}min-replicas`] || a[`${PREFIX}max-replicas`] !== b[`${PREFIX}max-replicas`];
    if (shared.length > 0 && differs) {
      findings.problems.push({
        key: `${PREFIX}min-replicas/max-replicas`,
        value: `${a[`${PREFIX}min-replicas`]}..${a[`${PREFIX}max-replicas`]}`,
        rule: `Deployment ${refOf(shared[0]!)} is already scaled by Ingress ${refOf(other)} with bounds ${b[`${PREFIX}min-replicas`]}..${b[`${PREFIX}max-replicas`]}`,
        fix: `use the same bounds as ${refOf(other)}, or disable HydraRoute on one of the two Ingresses`,
      });
    }
  }
}

/** Everything wrong with one Ingress; pure except for reads through `cluster`. */
export function inspectIngress(ingress: V1Ingress, config: Config, cluster: ClusterView): IngressFindings {
  const findings: IngressFindings = { problems: [], warnings: [] };
  const cls = ingressClassOf(ingress);
  if (cls !== undefined && cls !== config.general.ingress_class) {
    if (hasOurAnnotations(ingress)) {
      findings.warnings.push(
        `HydraRoute: ingress class "${cls}" is not "${config.general.ingress_class}"; its hydra-route.ai annotations are ignored`,
      );
    }
    return findings;
  }
  findings.problems.push(...validateAnnotations(ingress.metadata?.annotations, config).problems);
  crossObjectFindings(ingress, config, cluster, findings);
  return findings;
}

/** The validating webhook's answer for one request. */
export function reviewIngress(req: AdmissionRequest, config: Config, cluster: ClusterView): AdmissionReviewOut {
  const isIngress = req.kind.kind === 'Ingress' && (req.kind.group === 'networking.k8s.io' || req.kind.group === '');
  if (!isIngress || (req.operation !== 'CREATE' && req.operation !== 'UPDATE') || !req.object) return allowed(req.uid);
  const ingress = req.object as V1Ingress;
  ingress.metadata = { ...ingress.metadata, namespace: ingress.metadata?.namespace ?? req.namespace };
  const { problems, warnings } = inspectIngress(ingress, config, cluster);
  if (problems.length === 0) return allowed(req.uid, warnings);
  return denied(req.uid, formatDenial(`Ingress ${refOf(ingress)}`, problems), warnings);
}
