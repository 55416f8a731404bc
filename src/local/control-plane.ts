import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createCertificateAuthority, createSignedCertificate, createSigningKey, type KeyPair } from '../tls/pki.js';
import { freePort, isAlive, startDetached, stopProcess, waitFor } from './processes.js';
import { localDir, packageRoot } from './paths.js';

/** What `local up` started, so that `local down` stops exactly that. */
export interface LocalState {
  dir: string;
  kubeconfig: string;
  apiserverUrl: string;
  ports: { etcd: number; etcdPeer: number; apiserver: number };
  pids: Record<string, number>;
}

export type Progress = (message: string) => void;

const stateFile = (dir: string) => join(dir, 'state.json');

export function readState(dir = localDir()): LocalState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as LocalState;
  } catch {
    return undefined;
  }
}

export function writeState(state: LocalState): void {
  writeFileSync(stateFile(state.dir), JSON.stringify(state, null, 2));
}

/** Builds (first time) or finds kube-apiserver and etcd; returns their folder. */
export function controlPlaneBinaries(progress: Progress): string {
  const script = join(packageRoot(), 'test', 'controlplane', 'build.sh');
  progress('locating kube-apiserver and etcd (the first build compiles them with Go; later runs use the cache)');
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `building the control plane failed (exit ${r.status}); see the step named above. ` +
        'To use ready binaries instead, set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd.',
    );
  }
  return r.stdout.trim().split('\n').pop() as string;
}

interface Pki {
  ca: KeyPair;
  apiserver: KeyPair;
  admin: KeyPair;
  sa: { publicKey: string; privateKey: string };
}

function writePki(dir: string): Pki {
  const ca = createCertificateAuthority('hydra-route-local-ca', 30);
  const pki: Pki = {
    ca,
    apiserver: createSignedCertificate(ca, {
      commonName: 'kube-apiserver',
      dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
      ipAddresses: ['127.0.0.1', '10.0.0.1'],
      days: 30,
      usage: 'server',
    }),
    admin: createSignedCertificate(ca, { commonName: 'admin', organizations: ['system:masters'], days: 30, usage: 'client' }),
    sa: createSigningKey(),
  };
  mkdirSync(join(dir, 'pki'), { recursive: true, mode: 0o700 });
  const files: Record<string, string> = {
    'ca.crt': ca.cert, 'ca.key': ca.key, 'apiserver.crt': pki.apiserver.cert, 'apiserver.key': pki.apiserver.key,
    'admin.crt': pki.admin.cert, 'admin.key': pki.admin.key, 'sa.pub': pki.sa.publicKey, 'sa.key': pki.sa.privateKey,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'pki', name), text, { mode: 0o600 });
  return pki;
}

function kubeconfigText(server: string, pki: Pki): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: hydra-route-local',
    'clusters:', '- name: hydra-route-local', '  cluster:', `    server: ${server}`, `    certificate-authority-data: ${b64(pki.ca.cert)}`,
    'users:', '- name: admin', '  user:', `    client-certificate-data: ${b64(pki.admin.cert)}`, `    client-key-data: ${b64(pki.admin.key)}`,
    'contexts:', '- name: hydra-route-local', '  context:', '    cluster: hydra-route-local', '    user: admin', '',
  ].join('\n');
}

/** GET `path` on the API server as admin; resolves to the HTTP status. */
function apiStatus(url: string, pki: Pki, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Starts etcd and kube-apiserver on loopback and writes the admin kubeconfig. */
export async function startControlPlane(dir: string, progress: Progress): Promise<LocalState> {
  const bin = controlPlaneBinaries(progress);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const pki = writePki(dir);
  const ports = { etcd: await freePort(), etcdPeer: await freePort(), apiserver: await freePort() };
  const state: LocalState = {
    dir, kubeconfig: join(dir, 'kubeconfig'), apiserverUrl: `https://127.0.0.1:${ports.apiserver}`, ports, pids: {},
  };
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  const client = `http://127.0.0.1:${ports.etcd}`;
  progress(`starting etcd on ${client}`);
  state.pids.etcd = startDetached(join(bin, 'etcd'), [
    '--name=default', `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=default=${peer}`,
    '--unsafe-no-fsync=true', '--log-level=warn',
  ], join(dir, 'logs', 'etcd.log'));
  writeState(state);
  await waitFor('etcd', async () => (await fetch(`${client}/health`)).ok, 30_000, () => isAlive(state.pids.etcd as number));

  progress(`starting kube-apiserver on ${state.apiserverUrl}`);
  const p = (f: string) => join(dir, 'pki', f);
  state.pids.apiserver = startDetached(join(bin, 'kube-apiserver'), [
    `--etcd-servers=${client}`, '--bind-address=127.0.0.1', `--secure-port=${ports.apiserver}`, '--advertise-address=127.0.0.1',
    `--tls-cert-file=${p('apiserver.crt')}`, `--tls-private-key-file=${p('apiserver.key')}`, `--client-ca-file=${p('ca.crt')}`,
    `--service-account-key-file=${p('sa.pub')}`, `--service-account-signing-key-file=${p('sa.key')}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC', `--cert-dir=${join(dir, 'apiserver-certs')}`, '--allow-privileged=true',
    '--enable-priority-and-fairness=false', '--event-ttl=1h', '--endpoint-reconciler-type=none',
  ], join(dir, 'logs', 'kube-apiserver.log'));
  writeState(state);
  await waitFor(
    `kube-apiserver (log: ${join(dir, 'logs', 'kube-apiserver.log')})`,
    async () => (await apiStatus(state.apiserverUrl, pki, '/readyz')) === 200,
    90_000,
    () => isAlive(state.pids.apiserver as number),
  );
  writeFileSync(state.kubeconfig, kubeconfigText(state.apiserverUrl, pki), { mode: 0o600 });
  // The bootstrap controller creates the default namespaces shortly after /readyz.
  await waitFor('namespace "default"', async () => (await apiStatus(state.apiserverUrl, pki, '/api/v1/namespaces/default')) === 200, 30_000);
  return state;
}

/** Stops every process that `up` recorded and removes the state folder. */
export async function stopAll(dir: string, progress: Progress, keepFiles = false): Promise<void> {
  const state = readState(dir);
  if (!state) {
    progress(`nothing to stop: no ${stateFile(dir)}`);
    return;
  }
  // Reverse start order: the product first, the API server and etcd last.
  for (const [name, pid] of Object.entries(state.pids).reverse()) {
    if (isAlive(pid)) {
      progress(`stopping ${name} (pid ${pid})`);
      await stopProcess(pid);
    }
  }
  if (keepFiles) rmSync(stateFile(dir), { force: true });
  else if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  progress('stopped');
}
