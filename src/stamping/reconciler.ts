import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { INGRESS_ANNOTATION, LAST_DECISION_ANNOTATION, MANAGED_LABEL, STAMP_ANNOTATION_KEYS, hasStamps, type Stamps } from '../annotations/stamps.js';
import type { Config } from '../config/schema.js';
import type { ClusterCache } from '../kube/cluster-cache.js';
import { statusCode } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import type { ProductMetrics } from '../telemetry/registry.js';
import { desiredStamps, ingressClassOf, isWatchedNamespace } from './resolve.js';
import { formatProblem, validateAnnotations } from '../annotations/validate.js';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * The merge patch that puts `stamps` on a Deployment, or, when undefined, removes every
 * stamp and the scaler's `last-decision` (the Deployment is no longer managed at all).
 */
export function stampMergePatch(stamps: Stamps | undefined): object {
  if (stamps) return { metadata: { labels: stamps.labels, annotations: stamps.annotations } };
  return {
    metadata: {
      labels: { [MANAGED_LABEL]: null },
      annotations: Object.fromEntries([...STAMP_ANNOTATION_KEYS, LAST_DECISION_ANNOTATION].map((k) => [k, null])),
    },
  };
}

const carriesStamps = (d: V1Deployment) => d.metadata?.labels?.[MANAGED_LABEL] !== undefined;

/**
 * Keeps the stamps on existing Deployments in line with the Ingresses: stamps when an
 * Ingress is enabled or changed, unstamps when it is disabled or deleted. Work is done per
 * namespace, only for namespaces in which a watched object changed.
 */
export class StampReconciler {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly cache: ClusterCache,
    private readonly config: () => Config,
    private readonly log: Logger,
    private readonly metrics: ProductMetrics,
    private readonly debounceMs = 100,
  ) {
    cache.onChange((_kind, obj) => this.enqueue(obj.metadata?.namespace));
  }

  enqueue(namespace: string | undefined): void {
    if (!namespace) return;
    this.dirty.add(namespace);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const namespaces = [...this.dirty];
      this.dirty.clear();
      this.running = this.running.then(() => this.reconcileAll(namespaces));
    }, this.debounceMs);
  }

  /** Re-checks every namespace that has Deployments (after a config reload, for example). */
  resyncAll(): void {
    for (const d of this.cache.deployments.list()) this.enqueue(d.metadata?.namespace);
  }

  private async reconcileAll(namespaces: string[]): Promise<void> {
    for (const ns of namespaces) {
      try {
        await this.reconcileNamespace(ns);
      } catch (err) {
        this.log.error({ err, namespace: ns }, 'stamp reconcile failed; retrying in 5s');
        setTimeout(() => this.enqueue(ns), 5000).unref();
      }
    }
  }

  async reconcileNamespace(namespace: string): Promise<void> {
    const config = this.config();
    // Outside general.watch_namespaces nothing is touched, stamps included.
    if (!isWatchedNamespace(config, namespace)) return;
    const deployments = this.cache.deployments.list(namespace);
    const want = desiredStamps(this.cache.ingresses.list(namespace), this.cache.services.list(namespace), deployments, config);
    for (const d of deployments) {
      const name = d.metadata?.name as string;
      const stamps = want.get(name);
      if (stamps ? hasStamps(d.metadata, stamps) : !carriesStamps(d) || this.ownedElsewhere(d)) continue;
      if (!stamps) this.explainUnstamp(d, config);
      await this.patch(namespace, name, stamps);
    }
  }

  /** Says why a Deployment loses its stamps, so that nobody has to guess (a reload can cause it). */
  private explainUnstamp(d: V1Deployment, config: Config): void {
    const ref = d.metadata?.annotations?.[INGRESS_ANNOTATION] ?? '';
    const [ns, name] = ref.split('/');
    const ingress = name ? this.cache.ingresses.get(name, ns) : undefined;
    let why = `Ingress ${ref} no longer exists`;
    if (ingress) {
      const verdict = validateAnnotations(ingress.metadata?.annotations, config);
      why = !verdict.enabled
        ? `Ingress ${ref} is not enabled`
        : verdict.problems.length > 0
          ? `Ingress ${ref} is invalid under the current configuration: ${verdict.problems.map(formatProblem).join('; ')}`
          : `Ingress ${ref} no longer routes to this Deployment`;
    }
    this.log.warn({ namespace: d.metadata?.namespace, name: d.metadata?.name, ingress: ref, reason: why }, 'unstamping deployment: it will no longer be scaled');
  }

  /**
   * True when the stamps come from an Ingress of another ingress class: that Ingress, and
   * what it stamps, belong to whatever serves that class (another HydraRoute instance).
   */
  private ownedElsewhere(d: V1Deployment): boolean {
    const ref = d.metadata?.annotations?.[INGRESS_ANNOTATION];
    const [ns, name] = (ref ?? '').split('/');
    const ingress = name ? this.cache.ingresses.get(name, ns) : undefined;
    const cls = ingress ? ingressClassOf(ingress) : undefined;
    return cls !== undefined && cls !== this.config().general.ingress_class;
  }

  private async patch(namespace: string, name: string, stamps: Stamps | undefined): Promise<void> {
    const result = stamps ? 'stamped' : 'unstamped';
    try {
      await this.cache.kube.apps.patchNamespacedDeployment(
        { name, namespace, body: stampMergePatch(stamps), fieldManager: 'hydra-route' },
        MERGE_PATCH,
      );
      this.metrics.stampPatches.inc({ result });
      this.log.info({ namespace, name, ingress: stamps?.annotations['hydra-route.ai/ingress'] }, `deployment ${result}`);
    } catch (err) {
      if (statusCode(err) === 404) return; // deleted meanwhile: nothing to stamp
      this.metrics.stampPatches.inc({ result: 'error' });
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
