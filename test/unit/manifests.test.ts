// The install manifests (deploy/, webhook/) and the Dockerfile, checked for the
// properties that keep a cluster safe: webhook scoping, least-privilege RBAC, a locked
// down pod, and a ConfigMap that is the product's default configuration.
//
// The kustomizations are built here by a small reader of the features they use
// (resources, configMapGenerator, images), so that the test needs no kubectl. When
// kubectl is on PATH, its `kubectl kustomize` output is compared with the reader's,
// and the two variants (byo-certs, cert-manager), which use patches, are checked on
// kubectl's output; kubectl must be on PATH (CI has it).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

// dist/test/unit/manifests.test.js -> repository root
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NS = 'hydra-route-system';
const EXCLUDED = ['kube-system', 'kube-public', 'kube-node-lease', NS];

function parseDocs(path: string): Obj[] {
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
    assert.equal(doc.errors.length, 0, `${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as Obj | null;
    if (value !== null) out.push(value);
  }
  return out;
}

/** Builds a kustomization with the features deploy/ and webhook/ use; refuses any other. */
function build(dir: string): Obj[] {
  const abs = join(root, dir);
  const k = parse(readFileSync(join(abs, 'kustomization.yaml'), 'utf8')) as Obj;
  const known = new Set(['apiVersion', 'kind', 'resources', 'configMapGenerator', 'images']);
  for (const key of Object.keys(k)) assert.ok(known.has(key), `${dir}/kustomization.yaml: the test's reader does not know '${key}'`);
  let objs: Obj[] = [];
  for (const r of (k.resources ?? []) as string[]) {
    const path = join(abs, r);
    objs = objs.concat(statSync(path).isDirectory() ? build(join(dir, r)) : parseDocs(path));
  }
  for (const g of (k.configMapGenerator ?? []) as Obj[]) {
    assert.equal(g.options?.disableNameSuffixHash, true, `${g.name}: generated without a name hash`);
    const data: Record<string, string> = {};
    for (const f of g.files as string[]) {
      const [key, file] = f.includes('=') ? (f.split('=') as [string, string]) : [f.split('/').pop()!, f];
      data[key] = readFileSync(join(abs, file), 'utf8');
    }
    objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name, namespace: g.namespace, labels: g.options?.labels }, data });
  }
  for (const img of (k.images ?? []) as Obj[]) {
    for (const o of objs) {
      for (const c of (o.spec?.template?.spec?.containers ?? []) as Obj[]) {
        if (c.image === img.name || String(c.image).startsWith(`${img.name}:`)) c.image = `${img.newName ?? img.name}:${img.newTag}`;
      }
    }
  }
  return objs;
}

function find(objs: Obj[], kind: string, name: string): Obj {
  const hits = objs.filter((o) => o.kind === kind && o.metadata?.name === name);
  assert.equal(hits.length, 1, `expected exactly one ${kind} ${name}, found ${hits.length}`);
  return hits[0]!;
}

/** RBAC rules flattened into one line per (group, resource, name, verb). */
function atoms(rules: Obj[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    assert.equal(r.nonResourceURLs, undefined, 'no non-resource URLs');
    for (const g of r.apiGroups as string[])
      for (const res of r.resources as string[])
        for (const n of (r.resourceNames ?? ['*']) as string[])
          for (const v of r.verbs as string[]) out.push(`${g || 'core'} ${res} ${n} ${v}`);
  }
  return out.sort();
}

function expand(table: Array<[string, string, string, string]>): string[] {
  const out: string[] = [];
  for (const [g, res, n, verbs] of table) for (const v of verbs.split(',')) out.push(`${g} ${res} ${n} ${v}`);
  return out.sort();
}

// The exact permissions of hydra-route-controller: group, resource, resourceName (* = any), verbs.
const CLUSTER_RULES: Array<[string, string, string, string]> = [
  ['networking.k8s.io', 'ingresses', '*', 'get,list,watch'],
  ['core', 'services', '*', 'get,list,watch'],
  ['apps', 'deployments', '*', 'get,list,watch,patch'],
  ['apps', 'deployments/scale', '*', 'get,update,patch'],
  ['autoscaling', 'horizontalpodautoscalers', '*', 'get,list,watch'],
  ['core', 'events', '*', 'create,patch'],
  ['events.k8s.io', 'events', '*', 'create,patch'],
  ['metrics.k8s.io', 'pods', '*', 'get,list'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'hydra-route-validating', 'get,patch'],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'hydra-route-mutating', 'get,patch'],
];
const NAMESPACE_RULES: Array<[string, string, string, string]> = [
  ['coordination.k8s.io', 'leases', 'hydra-route-leader', 'get,update'],
  // create cannot be limited by resourceNames (a create request has no name in its URL).
  ['coordination.k8s.io', 'leases', '*', 'create'],
  ['core', 'secrets', 'hydra-route-webhook-tls', 'get,update'],
  ['core', 'secrets', '*', 'create'],
];
const SELF_MANAGED_TLS = new Set([
  'core secrets hydra-route-webhook-tls get', 'core secrets hydra-route-webhook-tls update', 'core secrets * create',
  'admissionregistration.k8s.io validatingwebhookconfigurations hydra-route-validating get',
  'admissionregistration.k8s.io validatingwebhookconfigurations hydra-route-validating patch',
  'admissionregistration.k8s.io mutatingwebhookconfigurations hydra-route-mutating get',
  'admissionregistration.k8s.io mutatingwebhookconfigurations hydra-route-mutating patch',
]);

/** Does a namespaceSelector (matchExpressions only) select a namespace with these labels? */
function selects(selector: Obj, labels: Record<string, string>): boolean {
  assert.equal(selector.matchLabels, undefined);
  return (selector.matchExpressions as Obj[]).every((e) => {
    const v = labels[e.key as string];
    switch (e.operator) {
      case 'In': return v !== undefined && (e.values as string[]).includes(v);
      case 'NotIn': return v === undefined || !(e.values as string[]).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: throw new Error(`operator ${e.operator}`);
    }
  });
}

function kustomize(dir: string): Obj[] | string {
  const r = spawnSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8' });
  if (r.error) return `kubectl is not on PATH (${r.error.message})`;
  assert.equal(r.status, 0, `kubectl kustomize ${dir}: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj).filter((o) => o !== null);
}

const key = (o: Obj) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const byKey = (objs: Obj[]) => Object.fromEntries(objs.map((o) => [key(o), o]));

const objs = build('deploy');
const deployment = find(objs, 'Deployment', 'hydra-route-controller');
const pod = deployment.spec.template.spec as Obj;
const container = (pod.containers as Obj[])[0]!;
const containerPort = (p: string | number) =>
  typeof p === 'number' ? p : ((container.ports as Obj[]).find((x) => x.name === p)?.containerPort as number | undefined);

describe('deploy/ installs', () => {
  test('exactly the expected objects', () => {
    assert.deepEqual(objs.map(key).sort(), [
      'ClusterRole//hydra-route-controller',
      'ClusterRoleBinding//hydra-route-controller',
      `ConfigMap/${NS}/hydra-route-config`,
      `Deployment/${NS}/hydra-route-controller`,
      'MutatingWebhookConfiguration//hydra-route-mutating',
      'Namespace//hydra-route-system',
      `PodDisruptionBudget/${NS}/hydra-route-controller`,
      `Role/${NS}/hydra-route-controller`,
      `RoleBinding/${NS}/hydra-route-controller`,
      `Service/${NS}/hydra-route-metrics`,
      `Service/${NS}/hydra-route-webhook`,
      `ServiceAccount/${NS}/hydra-route-controller`,
      'ValidatingWebhookConfiguration//hydra-route-validating',
    ]);
  });

  test('the same objects as kubectl kustomize deploy/', () => {
    const rendered = kustomize('deploy');
    if (typeof rendered === 'string') assert.fail(`kubectl kustomize is needed for this check: ${rendered}`);
    assert.deepEqual(byKey(rendered), byKey(objs));
  });

  test('every object labelled part-of hydra-route', () => {
    for (const o of objs) assert.equal(o.metadata.labels?.['app.kubernetes.io/part-of'], 'hydra-route', key(o));
  });

  test('namespace enforces the restricted Pod Security Standard', () => {
    assert.equal(find(objs, 'Namespace', NS).metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
  });
});

describe('webhook configurations', () => {
  const validating = find(objs, 'ValidatingWebhookConfiguration', 'hydra-route-validating');
  const mutating = find(objs, 'MutatingWebhookConfiguration', 'hydra-route-mutating');
  const all: Array<[string, Obj]> = [
    ...(validating.webhooks as Obj[]).map((w) => ['validating', w] as [string, Obj]),
    ...(mutating.webhooks as Obj[]).map((w) => ['mutating', w] as [string, Obj]),
  ];

  test('one webhook each, with fully qualified names', () => {
    assert.deepEqual(all.map(([, w]) => w.name), ['ingresses.validate.hydra-route.ai', 'deployments.mutate.hydra-route.ai']);
  });

  test('safe settings on both', () => {
    for (const [which, w] of all) {
      assert.equal(w.sideEffects, 'None', which);
      assert.deepEqual(w.admissionReviewVersions, ['v1'], which);
      assert.equal(w.matchPolicy, 'Equivalent', which);
      assert.ok(Number.isInteger(w.timeoutSeconds) && w.timeoutSeconds >= 1 && w.timeoutSeconds <= 5, `${which}: timeoutSeconds ${w.timeoutSeconds}`);
      assert.equal(w.objectSelector, undefined, which);
    }
  });

  test('namespaceSelector leaves out kube-system, kube-public, kube-node-lease and hydra-route-system', () => {
    for (const [which, w] of all) {
      assert.deepEqual(w.namespaceSelector, {
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: EXCLUDED }],
      }, which);
      for (const ns of EXCLUDED) assert.equal(selects(w.namespaceSelector, { 'kubernetes.io/metadata.name': ns }), false, `${which} ${ns}`);
      for (const ns of ['default', 'shop', 'kube-systems'])
        assert.equal(selects(w.namespaceSelector, { 'kubernetes.io/metadata.name': ns }), true, `${which} ${ns}`);
    }
  });

  test('rules: Ingress and Deployment CREATE/UPDATE, v1, no subresources', () => {
    assert.deepEqual(validating.webhooks[0].rules, [
      { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'], scope: 'Namespaced' },
    ]);
    assert.deepEqual(mutating.webhooks[0].rules, [
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'], scope: 'Namespaced' },
    ]);
  });

  test('call the hydra-route-webhook Service on /validate and /mutate, caBundle left to run time', () => {
    const svc = (path: string) => ({ service: { name: 'hydra-route-webhook', namespace: NS, path, port: 443 } });
    assert.deepEqual(validating.webhooks[0].clientConfig, svc('/validate'));
    assert.deepEqual(mutating.webhooks[0].clientConfig, svc('/mutate'));
  });

  test('failurePolicy: validating Fail only for Ingresses with hydra-route.ai annotations; mutating Ignore', () => {
    const v = validating.webhooks[0] as Obj;
    assert.equal(v.failurePolicy, 'Fail');
    assert.equal(v.matchConditions.length, 1);
    const expr = String(v.matchConditions[0].expression).replace(/\s+/g, ' ');
    assert.equal(expr, "has(object.metadata.annotations) && object.metadata.annotations.exists(k, k.lowerAscii().contains('hydra') && !k.lowerAscii().startsWith('hydra.ory.sh/'))");
    assert.equal(mutating.webhooks[0].failurePolicy, 'Ignore');
    assert.equal(mutating.webhooks[0].reinvocationPolicy, 'Never');
    // The choice is explained where it is made.
    for (const f of ['webhook/validating.yaml', 'webhook/mutating.yaml'])
      assert.match(readFileSync(join(root, f), 'utf8'), /# failurePolicy (Fail|Ignore)/, f);
  });
});

describe('Deployment hydra-route-controller', () => {
  test('two replicas, its ServiceAccount, a rolling update that keeps both endpoints', () => {
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(pod.serviceAccountName, 'hydra-route-controller');
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels as Record<string, string>))
      assert.equal(deployment.spec.template.metadata.labels[k], v);
  });

  test('one container: image, args, ports', () => {
    assert.equal((pod.containers as Obj[]).length, 1);
    assert.equal(pod.initContainers, undefined);
    assert.equal(container.image, 'hydra-route:0.1.0');
    assert.deepEqual(container.args, ['serve', '--config', '/etc/hydra-route/config.yaml']);
    assert.equal(container.command, undefined, 'the image ENTRYPOINT runs');
    assert.deepEqual((container.ports as Obj[]).map((p) => [p.name, p.containerPort]), [['webhook', 8443], ['metrics', 8080], ['health', 8081]]);
  });

  test('restrictive securityContext', () => {
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(pod.hostNetwork ?? false, false);
    assert.equal(pod.hostPID ?? false, false);
    const sc = container.securityContext as Obj;
    assert.equal(sc.runAsNonRoot, true);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.privileged, false);
    assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
    assert.equal(sc.seccompProfile.type, 'RuntimeDefault');
  });

  test('probes on :8081 (/healthz, /readyz)', () => {
    for (const [probe, path] of [['startupProbe', '/healthz'], ['livenessProbe', '/healthz'], ['readinessProbe', '/readyz']] as const) {
      const p = container[probe] as Obj;
      assert.ok(p, probe);
      assert.equal(p.httpGet.path, path, probe);
      assert.equal(containerPort(p.httpGet.port), 8081, probe);
      assert.equal(p.httpGet.scheme ?? 'HTTP', 'HTTP', probe);
    }
  });

  test('requests and limits for CPU and memory, limits >= requests', () => {
    const cpu = (s: string) => (s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s));
    const mem = (s: string) => Number(s.replace(/Mi$/, '')) * (s.endsWith('Mi') ? 1 : NaN);
    const { requests, limits } = container.resources as Obj;
    assert.ok(cpu(limits.cpu) >= cpu(requests.cpu) && cpu(requests.cpu) > 0);
    assert.ok(mem(limits.memory) >= mem(requests.memory) && mem(requests.memory) > 0);
  });

  test('topology spread over nodes and zones, matching its own pods', () => {
    const spread = pod.topologySpreadConstraints as Obj[];
    assert.deepEqual(spread.map((s) => s.topologyKey).sort(), ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const s of spread) assert.deepEqual(s.labelSelector.matchLabels, deployment.spec.selector.matchLabels);
  });

  test('graceful termination: preStop pause inside the grace period', () => {
    assert.equal(pod.terminationGracePeriodSeconds, 30);
    assert.ok(container.lifecycle.preStop.sleep.seconds < pod.terminationGracePeriodSeconds);
  });

  test('config from ConfigMap hydra-route-config at /etc/hydra-route (no subPath: live reload), /tmp an emptyDir', () => {
    const mounts = container.volumeMounts as Obj[];
    const volumes = pod.volumes as Obj[];
    const config = mounts.find((m) => m.mountPath === '/etc/hydra-route')!;
    assert.ok(config);
    assert.equal(config.subPath, undefined);
    assert.equal(config.readOnly, true);
    assert.deepEqual(volumes.find((v) => v.name === config.name)?.configMap, { name: 'hydra-route-config' });
    const tmp = mounts.find((m) => m.mountPath === '/tmp')!;
    assert.ok(volumes.find((v) => v.name === tmp.name)?.emptyDir);
    for (const m of mounts) if (m !== tmp) assert.equal(m.readOnly, true, m.mountPath);
    for (const v of volumes) assert.equal(v.hostPath, undefined);
  });

  test('downward API: POD_NAME and POD_NAMESPACE', () => {
    const env = Object.fromEntries((container.env as Obj[]).map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]));
    assert.deepEqual(env, { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace' });
  });
});

describe('ConfigMap, Services, PodDisruptionBudget', () => {
  const defaults = readFileSync(join(root, 'config/default-config.yaml'), 'utf8');

  test('hydra-route-config holds config/default-config.yaml, byte for byte', () => {
    assert.equal(readFileSync(join(root, 'deploy/base/default-config.yaml'), 'utf8'), defaults,
      'deploy/base/default-config.yaml differs from config/default-config.yaml: cp config/default-config.yaml deploy/base/default-config.yaml');
    const cm = find(objs, 'ConfigMap', 'hydra-route-config');
    assert.equal(cm.metadata.namespace, NS);
    assert.deepEqual(Object.keys(cm.data), ['config.yaml']);
    assert.equal(cm.data['config.yaml'], defaults);
  });

  test('hydra-route-webhook: 443 -> 8443, selecting the controller pods', () => {
    const svc = find(objs, 'Service', 'hydra-route-webhook');
    assert.equal(svc.metadata.namespace, NS);
    assert.equal(svc.spec.ports.length, 1);
    assert.equal(svc.spec.ports[0].port, 443);
    assert.equal(containerPort(svc.spec.ports[0].targetPort), 8443);
    assert.deepEqual(svc.spec.selector, deployment.spec.selector.matchLabels);
  });

  test('hydra-route-metrics: 8080 -> 8080', () => {
    const svc = find(objs, 'Service', 'hydra-route-metrics');
    assert.equal(svc.spec.ports[0].port, 8080);
    assert.equal(containerPort(svc.spec.ports[0].targetPort), 8080);
    assert.deepEqual(svc.spec.selector, deployment.spec.selector.matchLabels);
  });

  test('PodDisruptionBudget keeps one of the two replicas', () => {
    const pdb = find(objs, 'PodDisruptionBudget', 'hydra-route-controller');
    assert.equal(pdb.spec.minAvailable, 1);
    assert.ok(pdb.spec.minAvailable < deployment.spec.replicas);
    assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
  });
});

describe('RBAC', () => {
  const sa = { kind: 'ServiceAccount', name: 'hydra-route-controller', namespace: NS };

  test('ClusterRole: exactly the table', () => {
    assert.deepEqual(atoms(find(objs, 'ClusterRole', 'hydra-route-controller').rules), expand(CLUSTER_RULES));
  });

  test('Role in hydra-route-system: exactly the table', () => {
    const role = find(objs, 'Role', 'hydra-route-controller');
    assert.equal(role.metadata.namespace, NS);
    assert.deepEqual(atoms(role.rules), expand(NAMESPACE_RULES));
  });

  test('no wildcards, no escalation verbs, no secrets outside the Role', () => {
    for (const kind of ['ClusterRole', 'Role']) {
      for (const a of atoms(find(objs, kind, 'hydra-route-controller').rules)) {
        const [g, res, , verb] = a.split(' ');
        assert.ok(g !== '*' && res !== '*' && verb !== '*', a);
        assert.ok(!['escalate', 'bind', 'impersonate', 'deletecollection', 'delete'].includes(verb!), a);
        if (kind === 'ClusterRole') assert.notEqual(res, 'secrets', a);
      }
    }
  });

  test('bindings give the roles to the ServiceAccount and to nobody else', () => {
    const crb = find(objs, 'ClusterRoleBinding', 'hydra-route-controller');
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'hydra-route-controller' });
    assert.deepEqual(crb.subjects, [sa]);
    const rb = find(objs, 'RoleBinding', 'hydra-route-controller');
    assert.equal(rb.metadata.namespace, NS);
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'hydra-route-controller' });
    assert.deepEqual(rb.subjects, [sa]);
    assert.equal(objs.filter((o) => /Binding$/.test(o.kind)).length, 2);
  });
});

describe('variants (rendered by kubectl kustomize)', () => {
  for (const variant of ['byo-certs', 'cert-manager']) {
    test(`deploy/${variant}: mounts hydra-route-webhook-cert, passes its files, drops self-managed TLS permissions`, () => {
      const rendered = kustomize(`deploy/${variant}`);
      if (typeof rendered === 'string') assert.fail(`kubectl kustomize is needed for this check: ${rendered}`);
      const d = find(rendered, 'Deployment', 'hydra-route-controller');
      const c = d.spec.template.spec.containers[0] as Obj;
      assert.deepEqual(c.args, ['serve', '--config', '/etc/hydra-route/config.yaml',
        '--tls-cert-file=/etc/hydra-route-tls/tls.crt', '--tls-key-file=/etc/hydra-route-tls/tls.key']);
      const mount = (c.volumeMounts as Obj[]).find((m) => m.mountPath === '/etc/hydra-route-tls')!;
      assert.equal(mount.readOnly, true);
      const vol = (d.spec.template.spec.volumes as Obj[]).find((v) => v.name === mount.name)!;
      assert.equal(vol.secret.secretName, 'hydra-route-webhook-cert');
      const granted = [
        ...atoms(find(rendered, 'ClusterRole', 'hydra-route-controller').rules),
        ...atoms(find(rendered, 'Role', 'hydra-route-controller').rules),
      ].sort();
      const expected = [...expand(CLUSTER_RULES), ...expand(NAMESPACE_RULES)].filter((a) => !SELF_MANAGED_TLS.has(a)).sort();
      assert.deepEqual(granted, expected);
      // Everything else is the default install, unchanged.
      const base = byKey(objs);
      for (const o of rendered) {
        if (['Deployment', 'ClusterRole', 'Role', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].includes(o.kind)) continue;
        if (o.apiVersion === 'cert-manager.io/v1') continue;
        assert.deepEqual(o, base[key(o)], key(o));
      }
      const webhookConfigs = rendered.filter((o) => /WebhookConfiguration$/.test(o.kind));
      assert.equal(webhookConfigs.length, 2);
      for (const w of webhookConfigs) {
        const { metadata: m1, ...rest1 } = w;
        const { metadata: m2, ...rest2 } = base[key(w)]!;
        assert.deepEqual(rest1, rest2, key(w));
        const inject = m1.annotations?.['cert-manager.io/inject-ca-from'];
        assert.equal(inject, variant === 'cert-manager' ? `${NS}/hydra-route-webhook` : undefined, key(w));
        assert.deepEqual(m1.labels, m2.labels);
      }
    });
  }

  test('deploy/cert-manager: the serving Certificate behind inject-ca-from', () => {
    const rendered = kustomize('deploy/cert-manager');
    if (typeof rendered === 'string') assert.fail(`kubectl kustomize is needed for this check: ${rendered}`);
    const cert = find(rendered, 'Certificate', 'hydra-route-webhook');
    assert.equal(cert.metadata.namespace, NS);
    assert.equal(cert.spec.secretName, 'hydra-route-webhook-cert');
    assert.deepEqual(cert.spec.dnsNames, [
      'hydra-route-webhook', `hydra-route-webhook.${NS}`, `hydra-route-webhook.${NS}.svc`, `hydra-route-webhook.${NS}.svc.cluster.local`,
    ]);
    assert.ok(cert.spec.usages.includes('server auth'));
    const issuer = find(rendered, 'Issuer', cert.spec.issuerRef.name);
    assert.equal(issuer.metadata.namespace, NS);
    const ca = find(rendered, 'Certificate', 'hydra-route-ca');
    assert.equal(ca.spec.isCA, true);
    assert.equal(issuer.spec.ca.secretName, ca.spec.secretName);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => !l.startsWith('#'));
  const froms = lines.filter((l) => l.startsWith('FROM '));

  test('multi-stage on a Node.js LTS slim image', () => {
    assert.equal(froms.length, 2);
    for (const f of froms) assert.match(f, /^FROM node:(22|24)-[a-z]+-slim AS \w+$/);
  });

  test('runtime: production dependencies only, non-root numeric user, entry point and default command', () => {
    const runtime = text.slice(text.lastIndexOf('\nFROM '));
    assert.match(runtime, /npm ci --omit=dev\b[^\n]*--ignore-scripts/);
    assert.match(runtime, /^USER [1-9]\d*:[1-9]\d*$/m);
    assert.match(runtime, /^ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(runtime);
    assert.ok(cmd);
    assert.deepEqual(JSON.parse(cmd[1]!), container.args, 'CMD and the Deployment args agree');
  });

  test('.dockerignore keeps node_modules, dist, certs and .git out of the context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.equal(ignore.find((l) => l && !l.startsWith('#')), '*', 'an allowlist starts by ignoring everything');
    const allowed = ignore.filter((l) => l.startsWith('!'));
    for (const a of allowed) assert.ok(!/node_modules|dist|certs|\.git/.test(a), a);
    for (const a of allowed) assert.ok(existsSync(join(root, a.slice(1))), `${a}: no such path`);
  });
});
