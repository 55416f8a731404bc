import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** Requests the API server has answered, keyed `VERB group/resource[/subresource]` (from apiserver_request_total). */
export type Counts = Map<string, number>;

/** Reads the API server's own /metrics as the local admin (client certificate of `local up`). */
export function readCounts(apiserverUrl: string, stateDir: string): Promise<Counts> {
  const pki = (f: string) => readFileSync(join(stateDir, 'pki', f));
  const url = new URL('/metrics', apiserverUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { cert: pki('admin.crt'), key: pki('admin.key'), ca: pki('ca.crt'), timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(parseCounts(text)) : reject(new Error(`/metrics: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

export function parseCounts(text: string): Counts {
  const out: Counts = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries([...line.slice(24, close).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const value = Number(line.slice(close + 1).trim());
    const resource = `${labels.group ? `${labels.group}/` : ''}${labels.resource ?? '?'}${labels.subresource ? `/${labels.subresource}` : ''}`;
    const key = `${labels.verb} ${resource}`;
    out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}

/** after − before, without long-running WATCH requests (counted when a watch ends, not per use). */
export function delta(before: Counts, after: Counts): Counts {
  const out: Counts = new Map();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d > 0 && !k.startsWith('WATCH')) out.set(k, d);
  }
  return out;
}

export const total = (c: Counts) => [...c.values()].reduce((a, b) => a + b, 0);

export const show = (c: Counts, per = 1) =>
  [...c.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / per).toFixed(1)}`).join(', ') || 'none';
