import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runLint } from '../../src/lint/command.js';

const dir = mkdtempSync(join(tmpdir(), 'hydra-lint-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const main = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

async function lint(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runLint(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => stdin });
  return { code, stdout, stderr };
}

const ingressYaml = (name: string, annotations: string, backend = 'web') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
  annotations:
${annotations}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: ${backend}, port: {number: 80}}}
`;
const appYaml = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}}}
`;
const good = file('good.yaml', `${appYaml}---\n${ingressYaml('web', '    hydra-route.ai/enabled: "true"\n    hydra-route.ai/max-replicas: "5"')}`);
const bad = file('bad.yaml', `kind: ConfigMap\nmetadata: {name: c}\n---\n${ingressYaml('web', '    hydra-route.ai/enabled: "true"\n    hydraroute.ai/max-replicas: "5"\n    hydra-route.ai/min-replicas: "zero"')}`);

describe('hydra-route lint', () => {
  test('a clean file: exit 0 and a summary', async () => {
    const r = await lint([good]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /1 Ingress checked in 3 documents: 0 with problems, 0 with warnings/);
  });

  test('a bad file: exit 1, the webhook message with file and document index', async () => {
    const r = await lint([bad]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^${bad.replace(/[.]/g, '\\.')}: document 2: HydraRoute: Ingress shop/web has 2 problems with its hydra-route\\.ai annotations\\n`));
    assert.match(r.stdout, /  - hydraroute\.ai\/max-replicas="5": .*did you mean "hydra-route\.ai\/max-replicas"\?\n/);
    assert.match(r.stdout, /  - hydra-route\.ai\/min-replicas="zero": must be a whole number from 1 to 1000/);
  });

  test('unreadable input: exit 2, even beside a clean file; every input still reported', async () => {
    const broken = file('broken.yaml', 'kind: Ingress\nmetadata: {name: x\n');
    const r = await lint([good, broken, join(dir, 'missing.yaml'), dir]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /broken\.yaml: document 1: not valid YAML or JSON: .* at line \d+, column \d+$/m);
    assert.match(r.stdout, /missing\.yaml: cannot be read: no such file/);
    assert.match(r.stdout, /: cannot be read: is a directory/);
  });

  test('JSON, kind: List, and standard input', async () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { kind: 'Service', metadata: { name: 'a' }, spec: { selector: { app: 'a' } } },
      { kind: 'Ingress', metadata: { name: 'a', annotations: { 'hydra-route.ai/enabled': 'ture' } }, spec: { defaultBackend: { service: { name: 'a' } } } },
    ] });
    const r = await lint(['-'], list);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^<stdin>: document 1, item 2: HydraRoute: Ingress default\/a has 1 problem.*\n  - hydra-route\.ai\/enabled="ture": must be "true" or "false"/);
  });

  test('cross-object rules across the documents of kustomize output: the later Ingress is denied', async () => {
    const two = `${appYaml}---\n${ingressYaml('first', '    hydra-route.ai/enabled: "true"\n    hydra-route.ai/max-replicas: "4"')}---\n${ingressYaml('second', '    hydra-route.ai/enabled: "true"\n    hydra-route.ai/max-replicas: "8"')}`;
    const r = await lint(['-'], two);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /document 4: HydraRoute: Ingress shop\/second has 1 problem.*\n.*Deployment shop\/web is already scaled by Ingress shop\/first with bounds 1\.\.4/);
    assert.doesNotMatch(r.stdout, /document 3: HydraRoute/);
    assert.match(r.stdout, /document 3: Warning: HydraRoute: Ingress shop\/first holds Deployment shop\/web/);
  });

  test('a warning alone exits 0', async () => {
    const r = await lint(['-'], ingressYaml('web', '    hydra-route.ai/enabled: "true"', 'web') .replace('ingressClassName: nginx', 'ingressClassName: traefik'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /document 1: Warning: HydraRoute: Ingress shop\/web is ignored: its ingress class is "traefik"/);
  });

  test('input with no Kubernetes objects is unreadable (exit 2): a failed generator must not pass CI', async () => {
    const empty = await lint(['-'], '');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr + empty.stdout, /contains no Kubernetes objects/);
    const prose = await lint(['-'], 'hello world\n');
    assert.equal(prose.code, 2);
    assert.match(prose.stderr + prose.stdout, /document 1: is not a Kubernetes object/);
  });

  test('a malformed Ingress is a problem, not a crash', async () => {
    const r = await lint(['-'], 'kind: Ingress\nmetadata: {name: m, annotations: {hydra-route.ai/enabled: "true"}}\nspec: {rules: 7}\n');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /HydraRoute: Ingress\.spec\.rules must be a list/);
  });

  test('--output json: one object with results and summary', async () => {
    const r = await lint(['--output', 'json', good, bad]);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, false);
    assert.deepEqual(report.summary, { documents: 5, ingresses: 2, denied: 1, warned: 0, unreadable: 0 });
    const denied = report.results.find((x: { allowed: boolean }) => !x.allowed);
    assert.equal(denied.file, bad);
    assert.equal(denied.document, 2);
    assert.equal(denied.namespace, 'shop');
    assert.equal(denied.problems[1].key, 'hydra-route.ai/min-replicas');
    assert.equal(denied.problems[1].value, 'zero');
    assert.match(denied.problems[1].message, /must be a whole number/);
  });

  test('usage errors exit 2 with the usage', async () => {
    assert.equal((await lint([])).code, 2);
    const r = await lint(['--output', 'xml', good]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output must be text or json[\s\S]*Usage: hydra-route lint/);
  });

  test('the real binary: exit codes and stdin', () => {
    const run = (args: string[], input = '') => spawnSync(process.execPath, [main, 'lint', ...args], { input, encoding: 'utf8' });
    assert.equal(run([good]).status, 0);
    const r = run(['-'], `${ingressYaml('web', '    hydra-route.ai/enabled: "yes"')}`);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /<stdin>: document 1: .*\n  - hydra-route\.ai\/enabled="yes": .*did you mean "true"\?/);
    assert.equal(run(['-'], 'a: [').status, 2);
  });
});
