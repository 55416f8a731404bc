import type { KubeClients } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import { WebhookBundleWriter } from './ca-bundle-writer.js';
import { FileTls } from './file-source.js';
import { serviceDnsNames, type KeyPair } from './pki.js';
import { SecretStore } from './secret-store.js';
import { SelfManagedTls } from './self-managed.js';

export interface TlsSettings {
  certFile?: string;
  keyFile?: string;
  /** The webhook Service's name; its short, namespaced and cluster-local names go into the certificate. */
  service: string;
  /** Extra names or IP addresses, e.g. 127.0.0.1 when the API server calls a URL on loopback. */
  extraSans: string[];
  validityMs: number;
  renewBeforeMs: number;
  activationDelayMs: number;
  syncIntervalMs: number;
}

export const TLS_DEFAULTS = {
  service: 'hydra-route-webhook',
  validityMs: 365 * 86_400_000,
  // A third of the lifetime: months of warning if renewal keeps failing.
  renewBeforeMs: 120 * 86_400_000,
  // API servers see a webhook configuration change through a watch, within a second or so.
  activationDelayMs: 10_000,
  syncIntervalMs: 30_000,
} as const;

/** The certificate the webhook serves, and how it changes while running. */
export interface ServingTls {
  mode: 'files' | 'self-managed';
  pair: KeyPair;
  onChange(listener: (pair: KeyPair) => void): void;
  stop(): void;
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

/** Splits extra SANs into DNS names and IP addresses. */
export function servingNames(service: string, namespace: string, extra: string[]) {
  return {
    dnsNames: [...serviceDnsNames(service, namespace), ...extra.filter((s) => !IP.test(s))],
    ipAddresses: extra.filter((s) => IP.test(s)),
  };
}

/** Files given: serve them and reload on change (no Secret, no caBundle). Otherwise: self-managed. */
export async function startServingTls(s: TlsSettings, namespace: string, kube: KubeClients, log: Logger): Promise<ServingTls> {
  if (s.certFile && s.keyFile) {
    const files = new FileTls(s.certFile, s.keyFile, log);
    files.start();
    log.info({ certFile: s.certFile }, 'serving the certificate files given; self-managed TLS is off');
    return { mode: 'files', pair: files.pair, onChange: (l) => files.onChange(l), stop: () => files.stop() };
  }
  const managed = new SelfManagedTls({
    store: new SecretStore(kube.core, namespace),
    bundles: new WebhookBundleWriter(kube.admission),
    names: servingNames(s.service, namespace, s.extraSans),
    policy: { validityMs: s.validityMs, renewBeforeMs: s.renewBeforeMs, activationDelayMs: s.activationDelayMs },
    syncIntervalMs: s.syncIntervalMs,
    log,
  });
  const pair = await managed.start();
  return { mode: 'self-managed', pair, onChange: (l) => managed.onChange(l), stop: () => managed.stop() };
}
