import { mkdirSync, rmSync } from 'node:fs';
import { formatFrames, topFrames, type Frame } from '../lib/profile.js';
import { startChild } from '../lib/proc.js';
import { reviewBodies } from './objects.js';

/**
 * The webhook alone under saturating load in a server process run with `node --cpu-prof`;
 * returns the functions with the most self time. Kept separate from the measured runs because
 * the profiler itself slows the server down.
 */
export async function profileWebhook(dir: string, seconds: number, apps: number): Promise<Frame[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = startChild(new URL('./server-child.js', import.meta.url), { cpu: 0, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const load = startChild(new URL('./load-child.js', import.meta.url), { cpu: 1 });
  try {
    await Promise.all([server.next('ready'), load.next('ready')]);
    const ports = await server.ask<{ webhook: number }>({ type: 'start' }, 'ports');
    const requests = reviewBodies(apps);
    await load.ask({ type: 'saturate', url: `https://127.0.0.1:${ports.webhook}`, requests, seconds, connections: 10 }, 'result', 600_000);
  } finally {
    await Promise.all([server.stop(), load.stop()]);
  }
  return topFrames(dir);
}

export { formatFrames };
