import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the folder with package.json), found from this compiled file. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the hydra-route package root');
    dir = up;
  }
  return dir;
}

/** The local control plane's state folder; the admin kubeconfig is always `<dir>/kubeconfig`. */
export function localDir(): string {
  return resolve(process.env.HYDRA_ROUTE_LOCAL_DIR ?? join(packageRoot(), '.hydra-route', 'local'));
}

export const tracePath = (name: string) => join(packageRoot(), 'traces', name);
export const DEFAULT_TRACE = 'nasa_http_1995_per_minute.csv';
