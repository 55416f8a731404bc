import { join } from 'node:path';
import { writeState } from '../../src/local/control-plane.js';
import { isAlive, stopProcess } from '../../src/local/processes.js';
import { startPrometheus } from '../../src/local/prometheus.js';
import { localCluster } from './kube.js';

/** Stops the harness's Prometheus (a real outage: the process is gone). */
export async function stopHarnessPrometheus(): Promise<void> {
  const state = localCluster();
  if (state.pids.prometheus) await stopProcess(state.pids.prometheus);
}

/** Starts it again on the same port and data folder, so its history survives; no-op while it runs. */
export async function restartHarnessPrometheus(): Promise<void> {
  const state = localCluster();
  if (state.pids.prometheus && isAlive(state.pids.prometheus)) return;
  const ports = state.ports as Record<string, number>;
  state.pids.prometheus = await startPrometheus({
    dir: join(state.dir, 'prometheus'), port: ports.prometheus as number, scrapeIntervalSec: 1,
    targets: [`127.0.0.1:${ports.exporter}`, `127.0.0.1:${ports.metrics}`],
  });
  writeState(state);
}
