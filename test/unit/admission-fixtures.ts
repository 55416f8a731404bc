// Shared builders for admission unit tests (not a test file itself).
import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import type { ClusterView } from '../../src/admission/cluster-view.js';

export function ingress(name: string, annotations: Record<string, string>, opts: { ns?: string; backends?: string[]; cls?: string; created?: string } = {}): V1Ingress {
  const backends = opts.backends ?? ['web'];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: opts.ns ?? 'shop', annotations, ...(opts.created ? { creationTimestamp: opts.created as unknown as Date } : {}) },
    spec: {
      ...(opts.cls === undefined ? { ingressClassName: 'nginx' } : opts.cls === '' ? {} : { ingressClassName: opts.cls }),
      rules: [{ host: 'x.example', http: { paths: backends.map((b, i) => ({ path: `/${i}`, pathType: 'Prefix', backend: { service: { name: b, port: { number: 80 } } } })) } }],
    },
  };
}

export const service = (name: string, ns = 'shop', selector: Record<string, string> | null = { app: name }): V1Service =>
  ({ kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: selector ?? undefined } });

export const deployment = (name: string, ns = 'shop', labels: Record<string, string> = { app: name }): V1Deployment =>
  ({ kind: 'Deployment', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } } as V1Deployment);

export function cluster(objects: { ingresses?: V1Ingress[]; services?: V1Service[]; deployments?: V1Deployment[] }): ClusterView {
  const inNs = <T extends { metadata?: { namespace?: string } }>(list: T[] | undefined) => (ns: string) => (list ?? []).filter((o) => o.metadata?.namespace === ns);
  return { ingresses: inNs(objects.ingresses), services: inNs(objects.services), deployments: inNs(objects.deployments) };
}

export function ingressReview(annotations: Record<string, string>, opts: { uid?: string; operation?: string; object?: unknown; oldObject?: unknown; dryRun?: boolean } = {}) {
  const object = opts.object ?? ingress('web', annotations);
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: opts.uid ?? 'uid-1',
      kind: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
      resource: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
      operation: opts.operation ?? 'CREATE',
      namespace: 'shop',
      name: 'web',
      object,
      oldObject: opts.oldObject ?? null,
      dryRun: opts.dryRun ?? false,
    },
  };
}
