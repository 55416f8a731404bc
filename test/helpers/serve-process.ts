import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import { createKubeClients, statusCode } from '../../src/kube/client.js';
import { packageRoot } from '../../src/local/paths.js';
import { freePort, isAlive, startDetached, stopProcess, waitFor } from '../../src/local/processes.js';
import { decodeSecret } from '../../src/tls/secret-store.js';
import type { TlsMaterial } from '../../src/tls/material.js';
import { localCluster } from './kube.js';

export const SYSTEM_NS = 'hydra-route-system';
const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export const kube = () => createKubeClients(localCluster().kubeconfig);

/** A `hydra-route serve` started by a test, on free loopback ports. */
export interface ServeProcess {
  identity: string;
  pid: number;
  webhookPort: number;
  logFile: string;
  stop(): Promise<void>;
  log(): string;
}

/**
 * Starts `serve` against the local control plane as the product's ServiceAccount (deploy/base
 * RBAC: so self-managed TLS is shown to need no more than it grants); resolves once /readyz
 * answers (the webhook listens).
 */
export async function startServe(identity: string, extraArgs: string[]): Promise<ServeProcess> {
  const state = localCluster();
  const [webhookPort, metricsPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const logFile = join(state.dir, 'logs', `serve-${identity}.log`);
  // The log file is appended to across runs: this process's lines start here.
  const offset = existsSync(logFile) ? statSync(logFile).size : 0;
  const pid = startDetached(process.execPath, [
    join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), 'serve', '--config', join(state.dir, 'config.yaml'),
    '--kubeconfig', join(state.dir, 'kubeconfig-hydra-route-controller'), '--webhook-port', String(webhookPort), '--metrics-port', String(metricsPort),
    '--health-port', String(healthPort), '--bind-address', '127.0.0.1', '--namespace', SYSTEM_NS, '--identity', identity,
    ...extraArgs,
  ], logFile);
  const proc: ServeProcess = {
    identity, pid, webhookPort, logFile,
    stop: () => stopProcess(pid, 5_000),
    log: () => readFileSync(logFile).subarray(offset).toString('utf8'),
  };
  await waitFor(`serve ${identity} (log ${logFile})`, async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok, 60_000, () => isAlive(pid));
  return proc;
}

type Configs = { webhooks?: Array<{ clientConfig: { url?: string; caBundle?: string } }> };

/** Points both webhook configurations at `baseUrl` (keeping each path) and, if given, sets their caBundle. */
export async function pointWebhooks(baseUrl: string, caPem?: string): Promise<void> {
  const k = kube();
  const ops = (c: Configs) => (c.webhooks ?? []).flatMap((w, i) => {
    const path = new URL(w.clientConfig.url as string).pathname;
    const out: object[] = [{ op: 'replace', path: `/webhooks/${i}/clientConfig/url`, value: `${baseUrl}${path}` }];
    if (caPem) out.push({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: Buffer.from(caPem).toString('base64') });
    return out;
  });
  const v = await k.admission.readValidatingWebhookConfiguration({ name: 'hydra-route-validating' });
  await k.admission.patchValidatingWebhookConfiguration({ name: 'hydra-route-validating', body: ops(v as Configs) }, JSON_PATCH);
  const m = await k.admission.readMutatingWebhookConfiguration({ name: 'hydra-route-mutating' });
  await k.admission.patchMutatingWebhookConfiguration({ name: 'hydra-route-mutating', body: ops(m as Configs) }, JSON_PATCH);
}

/** Back to the harness's own `serve` (certificate files made by `local up`), for the tests that follow. */
export async function restoreHarnessWebhooks(): Promise<void> {
  const state = localCluster() as ReturnType<typeof localCluster> & { ports: Record<string, number> };
  await pointWebhooks(`https://127.0.0.1:${state.ports.webhook}`, readFileSync(join(state.dir, 'webhook', 'ca.crt'), 'utf8'));
}

/** The caBundle (PEM) of the validating webhook, as the API server uses it. */
export async function validatingCaBundle(): Promise<string> {
  const v = await kube().admission.readValidatingWebhookConfiguration({ name: 'hydra-route-validating' });
  return Buffer.from(v.webhooks?.[0]?.clientConfig.caBundle ?? '', 'base64').toString('utf8');
}

/** The material in Secret hydra-route-webhook-tls, with its resourceVersion; undefined when absent. */
export async function readTlsSecret(): Promise<{ material?: TlsMaterial; resourceVersion?: string; uid?: string } | undefined> {
  try {
    const s = await kube().core.readNamespacedSecret({ name: 'hydra-route-webhook-tls', namespace: SYSTEM_NS });
    return { material: decodeSecret(s), resourceVersion: s.metadata?.resourceVersion, uid: s.metadata?.uid };
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw err;
  }
}

export async function deleteTlsSecret(): Promise<void> {
  try {
    await kube().core.deleteNamespacedSecret({ name: 'hydra-route-webhook-tls', namespace: SYSTEM_NS });
  } catch (err) {
    if (statusCode(err) !== 404) throw err;
  }
}

/** Opens a TLS connection to 127.0.0.1:port; resolves with the negotiated protocol and the server certificate's fingerprint. */
export function tlsHandshake(port: number, extra: ConnectionOptions = {}): Promise<{ protocol: string | null; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...extra }, () => {
      const result = { protocol: socket.getProtocol(), fingerprint: socket.getPeerCertificate().fingerprint256 };
      socket.end();
      resolve(result);
    });
    socket.once('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('TLS handshake timed out')));
  });
}
