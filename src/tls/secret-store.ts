import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { statusCode } from '../kube/client.js';
import type { TlsMaterial } from './material.js';

export const TLS_SECRET_NAME = 'hydra-route-webhook-tls';
export const ACTIVATE_AT_ANNOTATION = 'hydra-route.ai/activate-at';

/** The Secret as last read: its material (undefined when absent or unreadable) and version for updates. */
export interface StoredMaterial {
  exists: boolean;
  resourceVersion?: string;
  material?: TlsMaterial;
}

/** Where the material lives. The Kubernetes Secret in production; a fake in unit tests. */
export interface MaterialStore {
  readonly where: string;
  read(): Promise<StoredMaterial>;
  /** false when another writer got there first (create: it exists; update: it changed). */
  create(material: TlsMaterial): Promise<boolean>;
  update(material: TlsMaterial, resourceVersion: string): Promise<boolean>;
}

const text = (data: Record<string, string> | undefined, key: string) => {
  const b64 = data?.[key];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
};
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The material in a Secret, or undefined when a field is missing (checking its content is assess()'s job). */
export function decodeSecret(secret: V1Secret): TlsMaterial | undefined {
  const d = secret.data;
  const [caCert, caKey, cert, key] = ['ca.crt', 'ca.key', 'tls.crt', 'tls.key'].map((k) => text(d, k));
  if (!caCert || !caKey || !cert || !key) return undefined;
  const at = Date.parse(secret.metadata?.annotations?.[ACTIVATE_AT_ANNOTATION] ?? '');
  return {
    ca: { cert: caCert, key: caKey },
    serving: { cert, key },
    previousCaCert: text(d, 'ca-previous.crt'),
    activateAt: new Date(Number.isNaN(at) ? 0 : at),
  };
}

export function encodeSecret(namespace: string, material: TlsMaterial, resourceVersion?: string): V1Secret {
  const data: Record<string, string> = {
    'ca.crt': b64(material.ca.cert), 'ca.key': b64(material.ca.key),
    'tls.crt': b64(material.serving.cert), 'tls.key': b64(material.serving.key),
  };
  if (material.previousCaCert) data['ca-previous.crt'] = b64(material.previousCaCert);
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
    metadata: {
      name: TLS_SECRET_NAME, namespace, resourceVersion,
      labels: { 'app.kubernetes.io/name': 'hydra-route', 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/part-of': 'hydra-route' },
      annotations: { [ACTIVATE_AT_ANNOTATION]: material.activateAt.toISOString() },
    },
    data,
  };
}

/** The Secret `hydra-route-webhook-tls`: get, create and update only (what the Role grants). */
export class SecretStore implements MaterialStore {
  readonly where: string;

  constructor(private readonly core: CoreV1Api, private readonly namespace: string) {
    this.where = `${namespace}/${TLS_SECRET_NAME}`;
  }

  async read(): Promise<StoredMaterial> {
    try {
      const s = await this.core.readNamespacedSecret({ name: TLS_SECRET_NAME, namespace: this.namespace });
      return { exists: true, resourceVersion: s.metadata?.resourceVersion, material: decodeSecret(s) };
    } catch (err) {
      if (statusCode(err) === 404) return { exists: false };
      throw err;
    }
  }

  async create(material: TlsMaterial): Promise<boolean> {
    try {
      await this.core.createNamespacedSecret({ namespace: this.namespace, body: encodeSecret(this.namespace, material), fieldManager: 'hydra-route' });
      return true;
    } catch (err) {
      if (statusCode(err) === 409) return false; // another replica created it first
      throw err;
    }
  }

  async update(material: TlsMaterial, resourceVersion: string): Promise<boolean> {
    try {
      const body = encodeSecret(this.namespace, material, resourceVersion);
      await this.core.replaceNamespacedSecret({ name: TLS_SECRET_NAME, namespace: this.namespace, body, fieldManager: 'hydra-route' });
      return true;
    } catch (err) {
      // 409: changed since we read it; 404: deleted meanwhile. Either way: read again.
      if (statusCode(err) === 409 || statusCode(err) === 404) return false;
      throw err;
    }
  }
}
