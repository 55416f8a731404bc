import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localDown, localUp } from '../local/local-up.js';
import { packageRoot } from '../local/paths.js';

const say = (text: string) => process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs kubectl against the local control plane and shows its output as a user would see it. */
function kubectl(kubeconfig: string, args: string[], show = true): { code: number; out: string } {
  const r = spawnSync('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  if (show) process.stdout.write(`$ kubectl ${args.join(' ')}\n${out}${out.endsWith('\n') ? '' : '\n'}(exit ${r.status})\n`);
  return { code: r.status ?? 1, out };
}

async function promValue(url: string, query: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
    const v = Number(body.data?.result?.[0]?.value[1]);
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `npm run demo`: the main job on real input, on the local control plane, then clean up. */
export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { seconds: { type: 'string', default: '120' }, keep: { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds);
  const examples = join(packageRoot(), 'examples');
  // Its own state folder: the demo never touches (or tears down) a `local up` of the user's.
  process.env.HYDRA_ROUTE_LOCAL_DIR ??= join(packageRoot(), '.hydra-route', 'demo');
  const cleanUp = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: cleaning up\n`);
    void localDown((m) => process.stdout.write(`[local] ${m}\n`)).finally(() => process.exit(130));
  };
  say('1. Local control plane: etcd, kube-apiserver, hydra-route serve, Prometheus, trace replay');
  const state = await localUp((m) => process.stdout.write(`[local] ${m}\n`));
  const kc = state.kubeconfig;
  if (!values.keep) process.once('SIGINT', cleanUp).once('SIGTERM', cleanUp).once('SIGHUP', cleanUp);
  const rows: Array<{ t: number; load?: number; replicas: number }> = [];
  try {
    kubectl(kc, ['create', 'namespace', 'demo']);
    say('2. The example app: Deployment, Service and an Ingress with hydra-route.ai annotations');
    kubectl(kc, ['apply', '-f', join(examples, 'shop.yaml')]);
    say('3. A bad Ingress is denied, with every problem named');
    const bad = kubectl(kc, ['apply', '-f', join(examples, 'bad-ingress.yaml')]);
    if (bad.code === 0) throw new Error('the bad Ingress was admitted');
    say('4. The Deployment carries the stamps (the effective settings)');
    await sleep(1500);
    kubectl(kc, ['get', 'deployment', 'shop', '-n', 'demo', '--show-labels']);
    kubectl(kc, ['get', 'deployment', 'shop', '-n', 'demo', '-o', 'go-template={{range $k, $v := .metadata.annotations}}{{if eq (slice $k 0 15) "hydra-route.ai/"}}{{$k}}={{$v}}{{"\\n"}}{{end}}{{end}}']);
    say(`5. Replaying the NASA trace for ${seconds}s (4 trace minutes a second); the scaler acts every 2s`);
    const prom = `http://127.0.0.1:${(state.ports as Record<string, number>).prometheus}`;
    const start = Date.now();
    while (Date.now() - start < seconds * 1000) {
      await sleep(5000);
      const got = kubectl(kc, ['get', 'deployment', 'shop', '-n', 'demo', '-o', 'jsonpath={.spec.replicas}'], false);
      if (got.code !== 0) throw new Error(`the local control plane stopped answering: ${got.out.trim()}`);
      const replicas = Number(got.out);
      const load = await promValue(prom, 'sum(hydra_route_replay_load_requests_per_second{namespace="demo"})');
      const t = Math.round((Date.now() - start) / 1000);
      rows.push({ t, load, replicas });
      const need = load === undefined ? '?' : Math.max(1, Math.ceil(load / 100));
      process.stdout.write(`t=${String(t).padStart(4)}s  load=${load === undefined ? '   ?' : load.toFixed(0).padStart(4)} req/s  pods at full load=${String(need).padStart(2)}  replicas=${replicas}\n`);
    }
    say('6. ScalingDecision Events');
    kubectl(kc, ['get', 'events', '-n', 'demo', '--field-selector', 'reason=ScalingDecision', '--sort-by=.lastTimestamp']);
    say('7. Summary');
    const changes = rows.filter((r, i) => i > 0 && r.replicas !== rows[i - 1]!.replicas).length;
    const short = rows.filter((r) => r.load !== undefined && r.replicas * 100 < r.load).length;
    process.stdout.write(
      `samples: ${rows.length}, replica changes seen: ${changes}, replicas ${Math.min(...rows.map((r) => r.replicas))}..${Math.max(...rows.map((r) => r.replicas))} (bounds 1..10), ` +
        `samples with load above ready capacity: ${short}\n`,
    );
    return 0;
  } finally {
    if (!values.keep) {
      say('8. Cleaning up');
      await localDown((m) => process.stdout.write(`[local] ${m}\n`));
    }
  }
}
