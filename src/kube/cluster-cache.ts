import { makeInformer, type Informer, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import type { V1Deployment, V1Ingress, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Logger } from '../telemetry/logger.js';
import type { KubeClients } from './client.js';

type Watched<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * Watch-backed caches of the objects the product reads (Ingresses, Services, Deployments).
 * Every component reads from here instead of listing the API server each time, so API
 * load grows with changes, not with the number of objects.
 */
export class ClusterCache {
  readonly ingresses: Watched<V1Ingress>;
  readonly services: Watched<V1Service>;
  readonly deployments: Watched<V1Deployment>;
  /** HorizontalPodAutoscalers: a Deployment that one targets is left to it. */
  readonly hpas: Watched<V2HorizontalPodAutoscaler>;
  private stopped = false;
  private readonly listeners: Array<(kind: string, obj: KubernetesObject) => void> = [];

  constructor(
    private readonly clients: KubeClients,
    private readonly log: Logger,
  ) {
    const { kc, networking, core, apps, autoscaling } = clients;
    this.ingresses = makeInformer(kc, '/apis/networking.k8s.io/v1/ingresses', () => networking.listIngressForAllNamespaces());
    this.services = makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
    this.deployments = makeInformer(kc, '/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces());
    this.hpas = makeInformer(kc, '/apis/autoscaling/v2/horizontalpodautoscalers', () =>
      autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
    );
    this.wire('Ingress', this.ingresses);
    this.wire('Service', this.services);
    this.wire('Deployment', this.deployments);
  }

  /** Called for every add, update and delete of a watched object. */
  onChange(listener: (kind: string, obj: KubernetesObject) => void): void {
    this.listeners.push(listener);
  }

  private wire<T extends KubernetesObject>(kind: string, informer: Watched<T>): void {
    const emit = (obj: T) => {
      for (const l of this.listeners) l(kind, obj);
    };
    informer.on('add', emit);
    informer.on('update', emit);
    informer.on('delete', emit);
    informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      // The informer stops on a watch error; restart it after a pause (the API server may be restarting).
      this.log.warn({ err, kind }, 'watch failed; restarting in 2s');
      setTimeout(() => {
        if (!this.stopped) informer.start().catch((e: unknown) => this.log.warn({ err: e, kind }, 'watch restart failed'));
      }, 2000).unref();
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.ingresses.start(), this.services.start(), this.deployments.start(), this.hpas.start()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.ingresses.stop(), this.services.stop(), this.deployments.stop(), this.hpas.stop()]);
  }

  /** The HPA that scales Deployment `namespace/name`, if there is one. */
  hpaFor(namespace: string, name: string): V2HorizontalPodAutoscaler | undefined {
    return this.hpas
      .list(namespace)
      .find((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
  }

  get kube(): KubeClients {
    return this.clients;
  }
}
