import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';

/** Read-only view of the cluster that admission decisions consult (backed by watch caches). */
export interface ClusterView {
  ingresses(namespace: string): readonly V1Ingress[];
  services(namespace: string): readonly V1Service[];
  deployments(namespace: string): readonly V1Deployment[];
}

/** A view of nothing: for `lint`, where no cluster is at hand. */
export const EMPTY_CLUSTER: ClusterView = { ingresses: () => [], services: () => [], deployments: () => [] };
