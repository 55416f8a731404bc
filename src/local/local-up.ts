import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { join } from 'node:path';
import type { V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { createKubeClients, statusCode, type KubeClients } from '../kube/client.js';
import { createCertificateAuthority, createSignedCertificate } from '../tls/pki.js';
import { readState, startControlPlane, stopAll, writeState, type LocalState, type Progress } from './control-plane.js';
import { DEFAULT_TRACE, localDir, packageRoot, tracePath } from './paths.js';
import { freePort, isAlive, startDetached, waitFor } from './processes.js';
import { startPrometheus } from './prometheus.js';

export const PRODUCT_NAMESPACE = 'hydra-route-system';

/** The configuration `local up` runs the product with: fast cycles so a demo shows decisions in minutes. */
export function localConfigYaml(prometheusUrl: string): string {
  return [
    'metrics:',
    '  collection_interval: 2s',
    `  prometheus_url: "${prometheusUrl}"`,
    '  request_rate_window: 10s',
    '  nginx_metrics_url: ""  # Prometheus has the ingress series here',
    '  bandwidth_monitoring: {measurement_interval: 5s}',
    'scaling:',
    '  evaluation_interval: 2s',
    '  cooldown: {scale_up_cooldown: 4s, scale_down_cooldown: 10s}',
    '  prediction: {prediction_horizon: 10s}',
    'general:',
    '  log_level: debug',
    '  leader_election: {lease_duration: 6s, renew_deadline: 4s, retry_period: 1s}',
    '  health_check: {interval: 5s, timeout: 2s}',
    '',
  ].join('\n');
}

/**
 * The two webhook configurations of webhook/, as installed on a cluster, with the Service
 * reference replaced by the URL of the locally running process (the API server calls it there).
 */
function webhookObjects(url: string, caBundle: string): [V1ValidatingWebhookConfiguration, V1MutatingWebhookConfiguration] {
  const load = <T extends { webhooks?: Array<{ clientConfig: { service?: { path?: string } } }> }>(file: string): T => {
    const obj = parse(readFileSync(join(packageRoot(), 'webhook', file), 'utf8')) as T;
    for (const w of obj.webhooks ?? []) w.clientConfig = { url: `${url}${w.clientConfig.service?.path ?? ''}`, caBundle } as never;
    return obj;
  };
  return [load<V1ValidatingWebhookConfiguration>('validating.yaml'), load<V1MutatingWebhookConfiguration>('mutating.yaml')];
}

async function registerWebhooks(kube: KubeClients, url: string, caPem: string): Promise<void> {
  const [validating, mutating] = webhookObjects(url, Buffer.from(caPem).toString('base64'));
  await kube.admission.createValidatingWebhookConfiguration({ body: validating });
  await kube.admission.createMutatingWebhookConfiguration({ body: mutating });
}

/** True once the API server calls our validating webhook (a bad Ingress, server-side dry run, is denied). */
async function webhookAnswers(kube: KubeClients): Promise<boolean> {
  try {
    await kube.networking.createNamespacedIngress({
      namespace: 'default',
      dryRun: 'All',
      body: {
        metadata: { name: 'hydra-route-probe', annotations: { 'hydra-route.ai/enabled': 'maybe' } },
        spec: { defaultBackend: { service: { name: 'probe', port: { number: 80 } } } },
      },
    });
    return false;
  } catch (err) {
    return statusCode(err) === 403 && String((err as { body?: unknown }).body).includes('hydra-route.ai/enabled');
  }
}

/** Creates the objects of deploy/base files, as `kubectl apply` would on an empty cluster. */
async function installIdentity(kube: KubeClients, files: string[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kube.kc);
  for (const file of files) {
    const text = readFileSync(join(packageRoot(), 'deploy', 'base', file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as KubernetesObject | null;
      if (obj) await api.create(obj);
    }
  }
}

export const SERVICE_ACCOUNT = 'hydra-route-controller';

/** A kubeconfig with a bound token of the product's ServiceAccount (TokenRequest API, 24 h). */
async function serviceAccountKubeconfig(kube: KubeClients, state: LocalState, path: string): Promise<string> {
  const tr = await kube.core.createNamespacedServiceAccountToken({
    name: SERVICE_ACCOUNT, namespace: PRODUCT_NAMESPACE, body: { spec: { audiences: [], expirationSeconds: 86_400 } },
  });
  const admin = parse(readFileSync(state.kubeconfig, 'utf8')) as { clusters: unknown[] };
  const config = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'hydra-route-controller', clusters: admin.clusters,
    users: [{ name: SERVICE_ACCOUNT, user: { token: tr.status?.token } }],
    contexts: [{ name: 'hydra-route-controller', context: { cluster: 'hydra-route-local', user: SERVICE_ACCOUNT, namespace: PRODUCT_NAMESPACE } }],
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
  return path;
}

function cli(): string[] {
  return [process.execPath, join(packageRoot(), 'dist', 'src', 'cli', 'main.js')];
}

/** `hydra-route local up`: control plane, product, Prometheus and replay exporter; returns once all answer. */
export async function localUp(progress: Progress): Promise<LocalState> {
  const dir = localDir();
  const existing = readState(dir);
  if (existing && Object.values(existing.pids).every(isAlive)) {
    progress('already up');
    return existing;
  }
  if (existing) {
    const dead = Object.entries(existing.pids).filter(([, pid]) => !isAlive(pid)).map(([name, pid]) => `${name} (pid ${pid})`);
    progress(`${dead.join(', ')} no longer running; starting a new local control plane (objects of the old one are lost)`);
    await stopAll(dir, progress);
  }
  mkdirSync(dir, { recursive: true });
  // Interrupted (Ctrl-C, a closed terminal): stop what was started instead of leaving it running.
  let stopping = false;
  const interrupted = (signal: NodeJS.Signals) => {
    stopping = true;
    progress(`${signal} received; stopping what was started`);
    void stopAll(dir, progress).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted).once('SIGHUP', interrupted);
  try {
    return await startEverything(dir, progress);
  } catch (err) {
    if (stopping) return new Promise<never>(() => undefined); // the signal handler exits
    progress(`local up failed: ${(err as Error).message}; stopping what was started (logs kept in ${join(dir, 'logs')})`);
    await stopAll(dir, progress, true);
    throw err;
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted).off('SIGHUP', interrupted);
  }
}

async function startEverything(dir: string, progress: Progress): Promise<LocalState> {
  const state = await startControlPlane(dir, progress);
  const kube = createKubeClients(state.kubeconfig);
  progress('installing the namespace, ServiceAccount and RBAC of deploy/base; the product runs as that ServiceAccount');
  await installIdentity(kube, ['namespace.yaml', 'serviceaccount.yaml', 'rbac.yaml']);
  const productKubeconfig = await serviceAccountKubeconfig(kube, state, join(dir, 'kubeconfig-hydra-route-controller'));

  const ports = { webhook: await freePort(), metrics: await freePort(), health: await freePort(), exporter: await freePort(), prometheus: await freePort() };
  Object.assign(state.ports, ports);
  const [node, main] = cli() as [string, string];

  progress(`starting the trace-replay exporter on 127.0.0.1:${ports.exporter}`);
  state.pids.exporter = startDetached(node, [main, 'local', 'exporter', '--kubeconfig', state.kubeconfig, '--port', String(ports.exporter), '--trace', tracePath(DEFAULT_TRACE)], join(dir, 'logs', 'exporter.log'));
  writeState(state);
  await waitFor('replay exporter', async () => (await fetch(`http://127.0.0.1:${ports.exporter}/metrics`)).ok, 30_000, () => isAlive(state.pids.exporter as number));

  progress(`starting Prometheus on 127.0.0.1:${ports.prometheus} (scrapes every 1s)`);
  state.pids.prometheus = await startPrometheus({
    dir: join(dir, 'prometheus'), port: ports.prometheus, scrapeIntervalSec: 1,
    targets: [`127.0.0.1:${ports.exporter}`, `127.0.0.1:${ports.metrics}`],
  });
  writeState(state);

  const ca = createCertificateAuthority('hydra-route-webhook-local-ca', 30);
  const serving = createSignedCertificate(ca, { commonName: 'hydra-route-webhook', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], days: 30, usage: 'server' });
  mkdirSync(join(dir, 'webhook'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'webhook', 'tls.crt'), serving.cert, { mode: 0o600 });
  writeFileSync(join(dir, 'webhook', 'tls.key'), serving.key, { mode: 0o600 });
  writeFileSync(join(dir, 'webhook', 'ca.crt'), ca.cert, { mode: 0o600 });
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, localConfigYaml(`http://127.0.0.1:${ports.prometheus}`));

  progress(`starting hydra-route serve (webhook https://127.0.0.1:${ports.webhook}, metrics :${ports.metrics}, health :${ports.health})`);
  state.pids.serve = startDetached(node, [
    main, 'serve', '--config', configPath, '--kubeconfig', productKubeconfig,
    '--tls-cert-file', join(dir, 'webhook', 'tls.crt'), '--tls-key-file', join(dir, 'webhook', 'tls.key'),
    '--webhook-port', String(ports.webhook), '--metrics-port', String(ports.metrics), '--health-port', String(ports.health),
    '--bind-address', '127.0.0.1', '--namespace', PRODUCT_NAMESPACE, '--identity', 'local-serve-0',
  ], join(dir, 'logs', 'serve.log'));
  writeState(state);
  await waitFor(`hydra-route serve (log: ${join(dir, 'logs', 'serve.log')})`, async () => (await fetch(`http://127.0.0.1:${ports.health}/readyz`)).ok, 60_000, () => isAlive(state.pids.serve as number));

  progress('registering the validating and mutating webhooks (caBundle from a node-forge CA)');
  await registerWebhooks(kube, `https://127.0.0.1:${ports.webhook}`, ca.cert);
  await waitFor('the API server calling the validating webhook', () => webhookAnswers(kube), 30_000);
  writeState(state);
  return state;
}

export async function localDown(progress: Progress): Promise<void> {
  await stopAll(localDir(), progress);
}
