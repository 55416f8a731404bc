import type { Sample } from '../../src/scaling/types.js';

export const STEP_MS = 30_000;
export const DAY_MS = 86_400_000;

/** Small deterministic PRNG (mulberry32): every run sees the same samples. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One target's sample at time t: a daily cycle with a per-target phase and size, noise, and
 * the other six signals derived from request rate the way a web service behaves. Per-replica
 * units as in docs/ARCHITECTURE.md.
 */
export function sampleAt(target: number, t: number, random: () => number, replicas = 4): Sample {
  const phase = (target * 0.6180339887) % 1;
  const base = 40 + (target % 17) * 10;
  const day = Math.sin(2 * Math.PI * (t / DAY_MS + phase));
  const rate = Math.max(0, base * (1 + 0.6 * day) * (1 + 0.1 * (random() - 0.5)));
  const perReplica = rate / replicas;
  return {
    t,
    values: {
      request_rate: perReplica,
      cpu_utilization: 8 + perReplica * 0.9,
      memory_utilization: 35 + perReplica * 0.1,
      network_bandwidth: perReplica * 0.05,
      io_bandwidth: perReplica * 0.01,
      response_time: 80 + perReplica * 1.5,
      error_rate: 0.2 + random() * 0.3,
    },
    missing: {},
    replicas,
  };
}

/** 24 h of 30 s samples ending at `end` (2,880 samples), oldest first. */
export function dayOfSamples(target: number, end: number, windowMs = DAY_MS, stepMs = STEP_MS): Sample[] {
  const random = rng(target + 1);
  const n = Math.floor(windowMs / stepMs);
  const out: Sample[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleAt(target, end - (n - 1 - i) * stepMs, random);
  return out;
}
