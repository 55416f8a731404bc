import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import { PREFIX } from '../annotations/catalogue.js';
import { INGRESS_ANNOTATION } from '../annotations/stamps.js';
import type { AnnotationProblem, AnnotationVerdict } from '../annotations/validate.js';
import type { Config } from '../config/schema.js';
import { backendServices, refOf, scalingIngress, selects, type ScalingIngress } from '../stamping/resolve.js';
import type { ClusterView } from './cluster-view.js';

export interface IngressFindings {
  problems: AnnotationProblem[];
  warnings: string[];
}

const MIN = `${PREFIX}min-replicas`;
const MAX = `${PREFIX}max-replicas`;
const bounds = (s: ScalingIngress) => `${s.stamps.annotations[MIN]}..${s.stamps.annotations[MAX]}`;

/** Names for a message: at most ten, then how many more (an Ingress may list thousands of backends). */
const names = (list: string[]) => (list.length <= 10 ? list.join(', ') : `${list.slice(0, 10).join(', ')} and ${list.length - 10} more`);

/** The effective settings in which two claims on one Deployment differ, as `key a≠b` (ingress ref left out). */
function differences(mine: ScalingIngress, theirs: ScalingIngress): string[] {
  const a = mine.stamps.annotations;
  const b = theirs.stamps.annotations;
  return Object.keys(a)
    .filter((k) => k !== INGRESS_ANNOTATION && a[k] !== b[k])
    .map((k) => `${k.slice(PREFIX.length)} ${a[k]}≠${b[k]}`);
}
const created = (o: V1Ingress) => Date.parse(String(o.metadata?.creationTimestamp ?? ''));

/**
 * Whether `other` holds a Deployment that `mine` also claims. The older Ingress holds it,
 * as in the reconciler (stamping/resolve.ts desiredStamps): by creation time, ties by name.
 * An Ingress being created is newer than every stored one. Lint's objects carry no
 * timestamps; there the earlier document holds, which is the order `kubectl apply` creates them.
 */
function holds(other: V1Ingress, mine: V1Ingress, list: readonly V1Ingress[]): boolean {
  const stored = list.some((o) => o.metadata?.name === mine.metadata?.name);
  if (!stored) return true;
  const a = created(other);
  const b = created(mine);
  if (!Number.isNaN(a) && !Number.isNaN(b)) return a !== b ? a < b : refOf(other) < refOf(mine);
  if (Number.isNaN(a) !== Number.isNaN(b)) return Number.isNaN(b);
  return list.indexOf(other) < list.findIndex((o) => o.metadata?.name === mine.metadata?.name);
}

/**
 * Two enabled Ingresses scaling one Deployment with different effective settings (bounds,
 * dry-run, model, cooldowns, ...): only one set can be stamped, so the other would be ignored
 * without anyone being told.
 */
function conflictFindings(mine: ScalingIngress, service: V1Service, cluster: ClusterView, ns: string, findings: IngressFindings, config: Config): void {
  const targets = cluster.deployments(ns).filter((d) => selects(service, d));
  const list = cluster.ingresses(ns);
  for (const other of list) {
    if (other.metadata?.name === mine.ingress.metadata?.name) continue;
    const theirs = scalingIngress(other, config);
    if (!theirs) continue;
    const theirService = cluster.services(ns).find((s) => s.metadata?.name === theirs.service);
    const shared: V1Deployment[] = theirService ? targets.filter((d) => selects(theirService, d)) : [];
    const diff = differences(mine, theirs);
    if (shared.length === 0 || diff.length === 0) continue;
    const deployment = `Deployment ${refOf(shared[0] as V1Deployment)}`;
    const boundsOnly = diff.every((d) => /^(min|max)-replicas /.test(d));
    if (holds(other, mine.ingress, list)) {
      findings.problems.push({
        key: boundsOnly ? `${MIN}, ${MAX}` : diff.map((d) => PREFIX + d.split(' ')[0]).join(', '),
        value: boundsOnly ? bounds(mine) : diff.map((d) => d.split(' ')[1]?.split('≠')[0]).join(', '),
        rule: boundsOnly
          ? `${deployment} is already scaled by Ingress ${refOf(other)} with bounds ${bounds(theirs)}`
          : `${deployment} is already scaled by Ingress ${refOf(other)} with other settings (here≠there: ${diff.join('; ')})`,
        fix: `use the same ${boundsOnly ? 'bounds' : 'settings'} as ${refOf(other)}, or set ${PREFIX}enabled: "false" on one of the two Ingresses`,
      });
    } else {
      const what = boundsOnly ? `with bounds ${bounds(theirs)}` : `with other settings (here≠there: ${diff.join('; ')})`;
      findings.warnings.push(`HydraRoute: Ingress ${refOf(mine.ingress)} holds ${deployment}; Ingress ${refOf(other)} claims it too ${what} and is ignored`);
    }
  }
}

/** Which Service an enabled Ingress scales, or the problem that prevents knowing. */
function chooseService(ingress: V1Ingress, verdict: AnnotationVerdict, findings: IngressFindings): string | undefined {
  const backends = backendServices(ingress);
  if (verdict.target !== undefined) {
    if (backends.length === 0 || backends.includes(verdict.target)) return verdict.target;
    findings.problems.push({
      key: `${PREFIX}target`,
      value: verdict.target,
      rule: `must name one of this Ingress's backend Services (${names(backends)})`,
      fix: `set it to one of ${names(backends)}`,
    });
    return undefined;
  }
  if (backends.length === 1) return backends[0];
  findings.problems.push(
    backends.length > 1
      ? {
          key: `${PREFIX}target`, value: '',
          rule: `is required when the Ingress routes to several Services (${names(backends)})`,
          fix: `add ${PREFIX}target: "<one of ${names(backends)}>" to choose the Service whose Deployment is scaled`,
        }
      : {
          key: `${PREFIX}enabled`, value: 'true',
          rule: 'needs a backend Service to scale, and the Ingress has none',
          fix: `add a backend Service (spec.defaultBackend or spec.rules[].http.paths[].backend)`,
        },
  );
  return undefined;
}

/** Problems and warnings that need other objects: backends, the target Service, other Ingresses. */
export function crossObjectFindings(ingress: V1Ingress, verdict: AnnotationVerdict, config: Config, cluster: ClusterView, findings: IngressFindings): void {
  if (!verdict.enabled) return;
  const ns = ingress.metadata?.namespace ?? 'default';
  const serviceName = chooseService(ingress, verdict, findings);
  if (!serviceName || verdict.problems.length > 0 || findings.problems.length > 0) return;
  const service = cluster.services(ns).find((s) => s.metadata?.name === serviceName);
  if (!service) {
    if (!cluster.partial) {
      findings.warnings.push(`HydraRoute: Service ${ns}/${serviceName} does not exist yet; its Deployment is stamped when the Service appears`);
    }
    return;
  }
  if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) {
    findings.warnings.push(`HydraRoute: Service ${ns}/${serviceName} has no selector, so HydraRoute cannot find a Deployment to scale`);
    return;
  }
  const targets = cluster.deployments(ns).filter((d) => selects(service, d));
  if (targets.length === 0 && !cluster.partial) {
    findings.warnings.push(`HydraRoute: Service ${ns}/${serviceName} selects no Deployment yet; it is stamped when one appears`);
  }
  const mine = scalingIngress(ingress, config);
  if (mine) conflictFindings(mine, service, cluster, ns, findings, config);
}
