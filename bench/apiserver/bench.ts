import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKubeClients } from '../../src/kube/client.js';
import { readState } from '../../src/local/control-plane.js';
import { localDir } from '../../src/local/paths.js';
import { delta, readCounts, show, total, type Counts } from './metrics.js';
import { changeIngresses, createApps, stampedCount } from './objects.js';

const NS = 'bench-apiserver';
/** `local up` runs the scaler every 2 s (evaluation_interval in its config). */
const CYCLE_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(fileURLToPath(new URL('../..', import.meta.url)), 'src/cli/main.js'), ...args], { stdio: ['ignore', 'inherit', 'inherit'] }).status;

/** Completed scaler cycles and per-target collects, from the product's own /metrics. */
async function productCounters(port: number): Promise<{ cycles: number; collects: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, "m"))?.[1] ?? 0);
  return { cycles: read('hydra_route_scaler_cycle_duration_seconds_count'), collects: read('hydra_route_metrics_collection_duration_seconds_count') };
}

export interface ApiWindow {
  targets: number;
  changed: number;
  cycles: number;
  collects: number;
  perCycle: number;
  byResource: Record<string, number>;
}

/**
 * The real product (`local up`: etcd, kube-apiserver, `hydra-route serve` with its informers,
 * reconciler and leader-elected scaler) with N enabled Ingress → Service → Deployment chains;
 * apiserver_request_total is read before and after a window of scaler cycles, once with no
 * object changing and once with k Ingresses changed at the start of the window.
 */
export async function benchApiserver(sizes: number[], changed: number, cycles: number, print: (line: string) => void): Promise<ApiWindow[]> {
  if (cli(['local', 'up']) !== 0) throw new Error('local up failed; see above');
  const out: ApiWindow[] = [];
  try {
    const state = readState(localDir());
    if (!state) throw new Error('local up left no state.json');
    const kube = createKubeClients(state.kubeconfig);
    const counts = () => readCounts(state.apiserverUrl, state.dir);
    const metricsPort = (state.ports as unknown as Record<string, number>).metrics as number;
    let have = 0;
    let max = 20;
    for (const n of sizes) {
      await createApps(kube, NS, have, n);
      have = n;
      for (let i = 0; i < 60 && (await stampedCount(kube, NS)) < n; i++) await sleep(1000);
      await sleep(3 * CYCLE_MS); // the first cycle of new targets backfills from Prometheus; let that pass
      const window = async (k: number) => {
        const before: Counts = await counts();
        const p0 = await productCounters(metricsPort);
        if (k > 0) await changeIngresses(kube, NS, k, (max += 1));
        await sleep(cycles * CYCLE_MS);
        const d = delta(before, await counts());
        const p1 = await productCounters(metricsPort);
        // A cycle over many targets outlasts the interval: count the cycles that really ran.
        const ran = Math.max(1, p1.cycles - p0.cycles);
        const w: ApiWindow = { targets: n, changed: k, cycles: ran, collects: p1.collects - p0.collects, perCycle: total(d) / ran, byResource: Object.fromEntries(d) };
        out.push(w);
        print(`  N=${n}, ${k} Ingresses changed: ${w.perCycle.toFixed(1)} requests per cycle (${ran} cycles, ${w.collects} target collects in ${(cycles * CYCLE_MS) / 1000} s): ${show(d, ran)}`);
      };
      await window(0);
      await window(changed);
    }
  } finally {
    cli(['local', 'down']);
  }
  return out;
}
