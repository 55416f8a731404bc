import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeClients } from '../../src/kube/client.js';
import { statusCode } from '../../src/kube/client.js';
import { deployment, ingress, service } from '../admission/objects.js';

/** Creates Deployment+Service+Ingress chains [from, to) in `namespace` (enabled for scaling). */
export async function createApps(kube: KubeClients, namespace: string, from: number, to: number): Promise<void> {
  try {
    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
  } catch (err) {
    if (statusCode(err) !== 409) throw err;
  }
  const withNs = <T extends { metadata?: { namespace?: string; creationTimestamp?: Date } }>(o: T): T => {
    o.metadata = { ...o.metadata, namespace };
    delete o.metadata.creationTimestamp;
    return o;
  };
  for (let i = from; i < to; i++) {
    await kube.apps.createNamespacedDeployment({ namespace, body: withNs(deployment(i)) });
    await kube.core.createNamespacedService({ namespace, body: withNs(service(i)) });
    await kube.networking.createNamespacedIngress({ namespace, body: withNs(ingress(i)) });
  }
}

/** Managed (stamped) Deployments in `namespace`, as the reconciler leaves them. */
export async function stampedCount(kube: KubeClients, namespace: string): Promise<number> {
  const list = await kube.apps.listNamespacedDeployment({ namespace, labelSelector: 'hydra-route.ai/managed=true' });
  return list.items.length;
}

/** Changes max-replicas on Ingresses [0, k): the reconciler must re-stamp exactly those Deployments. */
export async function changeIngresses(kube: KubeClients, namespace: string, k: number, maxReplicas: number): Promise<void> {
  for (let i = 0; i < k; i++) {
    await kube.networking.patchNamespacedIngress(
      { namespace, name: `app-${i}`, body: { metadata: { annotations: { 'hydra-route.ai/max-replicas': String(maxReplicas) } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}
