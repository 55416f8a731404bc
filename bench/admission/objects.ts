import type { V1Deployment, V1Ingress, V1Service } from '@kubernetes/client-node';
import type { ClusterView } from '../../src/admission/cluster-view.js';

/**
 * A namespace the webhook consults while answering: `apps` Ingress → Service → Deployment
 * chains, so the validating webhook's cross-object checks (other Ingresses sharing a
 * Deployment) and the mutating webhook's stamp resolution do their real work.
 */
export const NAMESPACE = 'shop';

export function ingress(i: number, annotations: Record<string, string> = {}): V1Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: `app-${i}`,
      namespace: NAMESPACE,
      creationTimestamp: new Date(Date.UTC(2025, 0, 1, 0, i)),
      annotations: {
        'hydra-route.ai/enabled': 'true',
        'hydra-route.ai/min-replicas': '2',
        'hydra-route.ai/max-replicas': '12',
        'hydra-route.ai/scale-up-cooldown': '2m',
        'nginx.ingress.kubernetes.io/rewrite-target': '/',
        ...annotations,
      },
    },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: `app-${i}.example.test`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `app-${i}`, port: { number: 80 } } } }] } }],
    },
  };
}

export function service(i: number): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `app-${i}`, namespace: NAMESPACE },
    spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 as never }] },
  };
}

export function deployment(i: number): V1Deployment {
  const labels = { app: `app-${i}`, tier: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: NAMESPACE, labels: { ...labels }, annotations: { 'team.example/owner': 'payments' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: 'web',
            image: 'registry.example.test/app:1.4.2',
            ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
            env: [{ name: 'MODE', value: 'production' }, { name: 'LOG_LEVEL', value: 'info' }],
            readinessProbe: { httpGet: { path: '/healthz', port: 8080 as never }, periodSeconds: 5 },
          }],
        },
      },
    },
  };
}

/** A read-only view over `apps` chains in one namespace, as the watch caches would hold them. */
export function benchCluster(apps: number): ClusterView {
  const ing = Array.from({ length: apps }, (_, i) => ingress(i));
  const svc = Array.from({ length: apps }, (_, i) => service(i));
  const dep = Array.from({ length: apps }, (_, i) => deployment(i));
  return {
    ingresses: (ns) => (ns === NAMESPACE ? ing : []),
    services: (ns) => (ns === NAMESPACE ? svc : []),
    deployments: (ns) => (ns === NAMESPACE ? dep : []),
  };
}

const review = (kind: { group: string; version: string; kind: string }, resource: string, object: object, oldObject?: object) =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind,
      resource: { group: kind.group, version: kind.version, resource },
      requestKind: kind,
      requestResource: { group: kind.group, version: kind.version, resource },
      name: (object as { metadata: { name: string } }).metadata.name,
      namespace: NAMESPACE,
      operation: oldObject ? 'UPDATE' : 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: oldObject ?? null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: oldObject ? 'UpdateOptions' : 'CreateOptions', fieldManager: 'kubectl-client-side-apply' },
    },
  });

/**
 * The two bodies the API server sends most: an Ingress CREATE to /validate (a new app
 * joining, so every cross-object check runs) and a Deployment UPDATE to /mutate (a
 * re-apply of a scaled Deployment without its stamps, so a patch is computed).
 */
export function reviewBodies(apps: number): Array<{ path: string; body: string }> {
  const fresh = ingress(apps, { 'hydra-route.ai/max-replicas': '8' });
  const reapplied = deployment(1);
  return [
    { path: '/validate', body: review({ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }, 'ingresses', fresh) },
    { path: '/mutate', body: review({ group: 'apps', version: 'v1', kind: 'Deployment' }, 'deployments', reapplied, deployment(1)) },
  ];
}
