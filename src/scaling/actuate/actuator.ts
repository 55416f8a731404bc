import { PatchStrategy, setHeaderOptions, type CoreV1Event } from '@kubernetes/client-node';
import { LAST_DECISION_ANNOTATION } from '../../annotations/stamps.js';
import { statusCode, type KubeClients } from '../../kube/client.js';
import type { Decision } from '../types.js';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** What `hydra-route.ai/last-decision` holds (JSON). */
export interface LastDecision {
  time: string;
  from: number;
  to: number;
  action: Decision['action'];
  reason: string;
  confidence: number;
  dryRun: boolean;
  /** When replicas last really went up / down; cooldowns are measured from these across restarts. */
  lastScaleUp?: string;
  lastScaleDown?: string;
}

export function parseLastDecision(text: string | undefined): LastDecision | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as LastDecision;
    return typeof v === 'object' && v !== null && typeof v.time === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** One line for `kubectl get events`: from → to and why. */
export function eventMessage(d: Decision): string {
  const verb = d.action === 'scale_up' ? 'Scaled up' : 'Scaled down';
  const head = d.dryRun ? `Dry-run: would scale ${d.action === 'scale_up' ? 'up' : 'down'}` : verb;
  return `${head} from ${d.from} to ${d.to} replicas: ${d.reason}`;
}

export interface ActuateResult {
  applied: boolean;
  /** Replicas found on the scale subresource when they differ from the decision's `from`. */
  changedBy?: number;
}

/**
 * The only code that changes a cluster for a scaling decision: the scale subresource
 * (with the resourceVersion it read, so a concurrent change is never overwritten),
 * the `last-decision` annotation and the Event.
 */
export class Actuator {
  /** The last Event per target, to count repeats instead of adding new Events (as the kubelet does). */
  private readonly lastEvents = new Map<string, { name: string; similar: string; count: number }>();

  constructor(
    private readonly kube: KubeClients,
    private readonly identity: string,
  ) {}

  async scale(namespace: string, name: string, d: Decision): Promise<ActuateResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const scale = await this.kube.apps.readNamespacedDeploymentScale({ name, namespace });
      const current = scale.spec?.replicas ?? 0;
      if (current !== d.from) return { applied: false, changedBy: current };
      const body = { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: d.to } };
      try {
        await this.kube.apps.patchNamespacedDeploymentScale({ name, namespace, body, fieldManager: 'hydra-route' }, MERGE_PATCH);
        return { applied: true };
      } catch (err) {
        if (statusCode(err) !== 409) throw err; // 409: changed between read and write; read again
      }
    }
    return { applied: false };
  }

  async recordLastDecision(namespace: string, name: string, last: LastDecision): Promise<void> {
    const body = { metadata: { annotations: { [LAST_DECISION_ANNOTATION]: JSON.stringify(last) } } };
    await this.kube.apps.patchNamespacedDeployment({ name, namespace, body, fieldManager: 'hydra-route' }, MERGE_PATCH);
  }

  /**
   * An Event on the Deployment. A repeat of the same decision (`similar`: by default the
   * message; for scaling, the action with its from and to) raises the count of the last Event
   * and carries the newest message, as Kubernetes' event correlator does, instead of adding one.
   */
  async recordEvent(
    namespace: string, name: string, uid: string | undefined, message: string,
    type = 'Normal', reason = 'ScalingDecision', similar = message,
  ): Promise<void> {
    const key = `${namespace}/${name}/${reason}`;
    const now = new Date();
    const last = this.lastEvents.get(key);
    if (last && last.similar === similar) {
      last.count += 1;
      const body = { count: last.count, lastTimestamp: now.toISOString(), message };
      try {
        await this.kube.core.patchNamespacedEvent({ name: last.name, namespace, body }, MERGE_PATCH);
        return;
      } catch (err) {
        if (statusCode(err) !== 404) throw err; // expired (events live one hour): create anew
      }
    }
    const eventName = `${name}.${now.getTime().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
    const event: CoreV1Event = {
      metadata: { name: eventName, namespace },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace, uid },
      reason,
      type,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'hydra-route' },
      reportingComponent: 'hydra-route.ai/scaler',
      reportingInstance: this.identity,
    };
    await this.kube.core.createNamespacedEvent({ namespace, body: event });
    this.lastEvents.set(key, { name: eventName, similar, count: 1 });
  }
}
