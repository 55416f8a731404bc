import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';

/** Read-only view of the cluster that admission decisions consult (backed by watch caches). */
export interface ClusterView {
  ingresses(namespace: string): readonly V1Ingress[];
  services(namespace: string): readonly V1Service[];
  deployments(namespace: string): readonly V1Deployment[];
  /**
   * True when the view holds only some of the cluster (lint's input files): an object
   * missing from it may well exist, so absence is not worth a warning.
   */
  readonly partial?: boolean;
}

/** A view of nothing: for `lint`, where no cluster is at hand. */
export const EMPTY_CLUSTER: ClusterView = { ingresses: () => [], services: () => [], deployments: () => [], partial: true };

type Any = { kind?: unknown; metadata?: { namespace?: unknown } };

/**
 * A partial view made of loose objects (lint's documents), in the order given; objects
 * without a namespace are in `defaultNamespace`, as kubectl would create them.
 */
export function viewOfObjects(objects: readonly unknown[], defaultNamespace = 'default'): ClusterView {
  const byKind = (kind: string) => (ns: string) =>
    objects.filter((o): o is Any => {
      const obj = o as Any;
      const own = typeof obj?.metadata?.namespace === 'string' ? obj.metadata.namespace : defaultNamespace;
      return typeof o === 'object' && o !== null && obj.kind === kind && own === ns;
    });
  return {
    ingresses: byKind('Ingress') as (ns: string) => V1Ingress[],
    services: byKind('Service') as (ns: string) => V1Service[],
    deployments: byKind('Deployment') as (ns: string) => V1Deployment[],
    partial: true,
  };
}
