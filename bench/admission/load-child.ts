// Child process: the load generators, kept off the server's core (see bench/lib/proc.ts).
import { serveParent } from '../lib/proc.js';
import { saturate } from './saturate.js';
import { paced } from './paced.js';

interface Job {
  type: string;
  url: string;
  requests: Array<{ path: string; body: string }>;
  seconds: number;
  connections: number;
  rate: number;
}

serveParent(async (msg) => {
  const o = msg as unknown as Job;
  if (o.type === 'saturate') return { type: 'result', result: await saturate(o.url, o.requests, o.seconds, o.connections) };
  if (o.type === 'paced') return { type: 'result', result: await paced(o.url, o.requests, o.rate, o.seconds) };
  return undefined;
});
process.send?.({ type: 'ready' });
