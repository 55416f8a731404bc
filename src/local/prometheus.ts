import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isAlive, startDetached, stopProcess, waitFor } from './processes.js';

/** Where Debian's `prometheus` package puts the server, else whatever PATH has. */
export function findPrometheus(): string {
  for (const dir of ['/usr/bin', ...(process.env.PATH ?? '').split(':')]) {
    const p = join(dir, 'prometheus');
    if (dir && existsSync(p)) return p;
  }
  throw new Error('no prometheus binary found: install it with `apt-get install -y prometheus` (Debian) or put one on PATH');
}

export interface PrometheusOptions {
  dir: string;
  port: number;
  /** host:port of each scrape target (path /metrics). */
  targets: string[];
  scrapeIntervalSec: number;
}

/** Starts a real Prometheus server as a plain process; returns its pid once it answers. */
export async function startPrometheus(o: PrometheusOptions): Promise<number> {
  mkdirSync(join(o.dir, 'data'), { recursive: true });
  const configFile = join(o.dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      `  scrape_interval: ${o.scrapeIntervalSec}s`,
      `  evaluation_interval: ${o.scrapeIntervalSec}s`,
      'scrape_configs:',
      '  - job_name: hydra-route-local',
      '    static_configs:',
      `      - targets: [${o.targets.map((t) => `"${t}"`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const pid = startDetached(
    findPrometheus(),
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(o.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--web.enable-lifecycle',
    ],
    join(o.dir, 'prometheus.log'),
  );
  await waitFor(
    `prometheus on 127.0.0.1:${o.port} (log: ${join(o.dir, 'prometheus.log')})`,
    async () => (await fetch(`http://127.0.0.1:${o.port}/-/ready`)).ok,
    30_000,
    () => isAlive(pid),
  );
  return pid;
}

export interface RunningPrometheus {
  url: string;
  port: number;
  pid: number;
  /** SIGTERM (the TSDB closes its head, so a restart on the same dir keeps the data). */
  stop(): Promise<void>;
}

/**
 * startPrometheus for tests: picks a free loopback port when none is given and returns a
 * handle to stop it. Reuse `dir` to restart on the same data.
 */
export async function runPrometheus(o: {
  dir: string;
  port?: number;
  scrapeTargets: string[];
  scrapeIntervalSec: number;
}): Promise<RunningPrometheus> {
  const port = o.port ?? (await freePort());
  const pid = await startPrometheus({ dir: o.dir, port, targets: o.scrapeTargets, scrapeIntervalSec: o.scrapeIntervalSec });
  return { url: `http://127.0.0.1:${port}`, port, pid, stop: () => stopProcess(pid) };
}
