import { spawn } from 'node:child_process';
import { readState } from '../../src/local/control-plane.js';
import { localDir } from '../../src/local/paths.js';

/** The running local control plane (`hydra-route local up`, started by test/run.mjs). */
export function localCluster() {
  const state = readState(localDir());
  if (!state) {
    throw new Error(`no local control plane at ${localDir()}: run the end-to-end tests through \`npm test\` or start one with \`hydra-route local up\``);
  }
  return state;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against the local control plane. */
export function kubectl(args: string[], stdin?: string): Promise<Run> {
  const { kubeconfig } = localCluster();
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export async function getJson<T = Record<string, any>>(args: string[]): Promise<T> {
  return JSON.parse(await kubectlOk([...args, '-o', 'json'])) as T;
}

/** Polls until `check` returns a value other than undefined/false, or fails naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** A fresh namespace for one test file; deleted by the returned function. */
export async function testNamespace(prefix: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `${prefix}-${Date.now().toString(36)}`;
  await kubectlOk(['create', 'namespace', name]);
  return { name, remove: async () => void (await kubectl(['delete', 'namespace', name, '--wait=false'])) };
}

/** A Deployment + Service pair named `name`, with optional replay annotations for the exporter. */
export function appManifest(ns: string, name: string, replay: Record<string, string> = {}, replicas = 1): string {
  const annotations = Object.entries(replay).map(([k, v]) => `    replay.hydra-route.ai/${k}: "${v}"`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
${annotations ? `  annotations:\n${annotations}\n` : ''}spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: registry.k8s.io/pause:3.10}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: {app: ${name}}, ports: [{port: 80}]}
`;
}

/** An Ingress routing to Service `service` with the given hydra-route.ai annotations. */
export function ingressManifest(ns: string, name: string, service: string, annotations: Record<string, string>, ingressClass = 'nginx'): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}
${lines ? `  annotations:\n${lines}\n` : ''}spec:
  ingressClassName: ${ingressClass}
  defaultBackend: {service: {name: ${service}, port: {number: 80}}}
`;
}
