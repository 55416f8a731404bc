import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/local/processes.js';
import { packageRoot } from '../../src/local/paths.js';
import { localCluster } from './kube.js';

/** One extra `hydra-route serve` process for a test, as the product's ServiceAccount. */
export interface ServeProcess {
  child: ChildProcess;
  identity: string;
  health: number;
  metrics: number;
  logFile: string;
  configFile: string;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  log(): Promise<Array<Record<string, any>>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServeStart {
  identity: string;
  configYaml: string;
  leaseName: string;
  extraArgs?: string[];
  /** Reuse a config file (to keep editing the same one across restarts). */
  configFile?: string;
  /**
   * Run as the product's ServiceAccount (deploy/base RBAC). Its Role grants only the Lease
   * `hydra-route-leader`, which the harness's own instance holds; tests that elect among
   * their own instances on another Lease run as admin instead.
   */
  asServiceAccount?: boolean;
}

export async function startServe(o: ServeStart): Promise<ServeProcess> {
  const state = localCluster();
  const dir = mkdtempSync(join(tmpdir(), `hr-serve-${o.identity}-`));
  const configFile = o.configFile ?? join(dir, 'config.yaml');
  if (!o.configFile) writeFileSync(configFile, o.configYaml);
  const [webhook, metrics, health] = [await freePort(), await freePort(), await freePort()];
  const logFile = join(dir, 'serve.log');
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [
    join(packageRoot(), 'dist/src/cli/main.js'), 'serve', '--config', configFile,
    '--kubeconfig', o.asServiceAccount ? join(state.dir, 'kubeconfig-hydra-route-controller') : state.kubeconfig,
    '--tls-cert-file', join(state.dir, 'webhook', 'tls.crt'), '--tls-key-file', join(state.dir, 'webhook', 'tls.key'),
    '--webhook-port', String(webhook), '--metrics-port', String(metrics), '--health-port', String(health),
    '--bind-address', '127.0.0.1', '--namespace', 'hydra-route-system', '--identity', o.identity, '--lease-name', o.leaseName,
    ...(o.extraArgs ?? []),
  ]);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve ${o.identity} exited with ${child.exitCode}; log: ${logFile}`);
    const ok = await fetch(`http://127.0.0.1:${health}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`serve ${o.identity} not ready after 30s; log: ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child, identity: o.identity, health, metrics, logFile, configFile,
    async metric(name, labels = {}) {
      const text = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(name)) continue;
        const m = /^([^{\s]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        const labelText = m[2] ?? '';
        if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(m[3]);
      }
      return sum;
    },
    async log() {
      const { readFile } = await import('node:fs/promises');
      return (await readFile(logFile, 'utf8')).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A configuration for test instances: own ingress class and namespace, so the harness's instance leaves them alone. */
export function instanceConfig(o: { ingressClass: string; namespace: string; extra?: string }): string {
  const state = localCluster();
  const prometheus = `http://127.0.0.1:${(state.ports as Record<string, number>).prometheus}`;
  return `metrics:
  collection_interval: 2s
  prometheus_url: "${prometheus}"
  nginx_metrics_url: ""
  request_rate_window: 10s
  bandwidth_monitoring: {measurement_interval: 5s}
scaling:
  evaluation_interval: 1s
  cooldown: {scale_up_cooldown: 2s, scale_down_cooldown: 4s}
  prediction: {prediction_horizon: 5s}
general:
  log_level: debug
  ingress_class: ${o.ingressClass}
  watch_namespaces: ["${o.namespace}"]
  leader_election: {lease_duration: 4s, renew_deadline: 3s, retry_period: 1s}
  health_check: {interval: 2s, timeout: 1s}
${o.extra ?? ''}`;
}
