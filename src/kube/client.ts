import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  AdmissionregistrationV1Api,
} from '@kubernetes/client-node';

/** The typed API clients the product uses, made once from one KubeConfig. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  networking: NetworkingV1Api;
  autoscaling: AutoscalingV2Api;
  coordination: CoordinationV1Api;
  admission: AdmissionregistrationV1Api;
}

/** A kubeconfig that cannot be used; the CLI prints the message and exits 2. */
export class KubeconfigError extends Error {
  readonly code = 'HR_KUBECONFIG';
}

function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const kc = new KubeConfig();
  const source = kubeconfigPath ?? process.env.KUBECONFIG;
  const home = join(homedir(), '.kube', 'config');
  if (!source && !process.env.KUBERNETES_SERVICE_HOST && !existsSync(home)) {
    // client-node would otherwise fall back to http://localhost:8080 and fail on every call.
    throw new KubeconfigError('no Kubernetes cluster configured: pass --kubeconfig FILE, set KUBECONFIG, or run inside a cluster (service account)');
  }
  try {
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : (e.message.split('\n')[0] ?? 'unreadable');
    throw new KubeconfigError(`cannot use kubeconfig ${source ?? '~/.kube/config'}: ${why}`);
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeconfigError(
      `no Kubernetes cluster configured${source ? ` in ${source}` : ''}: pass --kubeconfig FILE, set KUBECONFIG, or run inside a cluster (service account)`,
    );
  }
  return kc;
}

/** From an explicit kubeconfig file, else $KUBECONFIG, ~/.kube/config or the in-cluster service account. */
export function createKubeClients(kubeconfigPath?: string): KubeClients {
  const kc = loadKubeConfig(kubeconfigPath);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    autoscaling: kc.makeApiClient(AutoscalingV2Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
  };
}

/** The HTTP status of a failed API call, if it carries one. */
export function statusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}
