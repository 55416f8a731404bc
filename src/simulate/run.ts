import type { Trace } from './trace.js';
import { HoltWintersPolicy, HpaPolicy, HydraPolicy, OraclePolicy, type Policy, type SimParams } from './policies.js';

/** One row of the result table; the JSON output is an array of these. */
export interface PolicyResult {
  policy: string;
  /** Requests that arrived beyond ready capacity, as a share of all requests. */
  overCapacityShare: number;
  violationMinutes: number;
  replicaHours: number;
  scalingActions: number;
}

/** Per-minute ready capacity and replicas of each policy, for the chart. */
export interface Timeline {
  replicas: Record<string, Uint16Array>;
  ready: Record<string, Uint16Array>;
}

export interface SimOutcome {
  results: PolicyResult[];
  timeline: Timeline;
  hydra: { trains: number; trainMs: number; stepMs: number; finalConfidence: number };
}

const TICK_MS = 15_000;
const TICKS = 60_000 / TICK_MS;

function makePolicies(trace: Trace, p: SimParams): [HydraPolicy, Policy[]] {
  const hydra = new HydraPolicy(p);
  return [hydra, [hydra, new HpaPolicy(p), new HoltWintersPolicy(p), new OraclePolicy(trace.load, p)]];
}

/**
 * Plays the trace in simulated time. Every 15 s tick each policy whose interval is due
 * looks at the last full minute's load and may scale; then the tick's requests (a quarter
 * of the minute's) meet the ready capacity of each policy.
 */
export function simulate(trace: Trace, p: SimParams, progress?: (done: number) => void): SimOutcome {
  const [hydra, policies] = makePolicies(trace, p);
  const n = trace.load.length;
  const acc = policies.map(() => ({ over: 0, violTicks: 0, podTicks: 0 }));
  const timeline: Timeline = { replicas: {}, ready: {} };
  for (const pol of policies) {
    timeline.replicas[pol.name] = new Uint16Array(n);
    timeline.ready[pol.name] = new Uint16Array(n);
  }
  const nextAt = policies.map(() => -Infinity);
  let total = 0;
  let hydraMs = 0;
  for (let m = 0; m < n; m++) {
    const load = trace.load[m] as number;
    total += load;
    const prev = m > 0 ? m - 1 : 0;
    for (let k = 0; k < TICKS; k++) {
      const now = (trace.t[m] as number) + k * TICK_MS;
      const view = { now, lastLoad: trace.load[prev] as number, lastMinuteT: trace.t[prev] as number, newMinute: k === 0, row: m };
      policies.forEach((pol, i) => {
        const started = pol === hydra ? performance.now() : 0;
        if (k === 0) pol.observe?.(view);
        if (now >= (nextAt[i] as number)) {
          pol.step(view);
          nextAt[i] = now + pol.intervalMs;
        }
        if (pol === hydra) hydraMs += performance.now() - started;
      });
      policies.forEach((pol, i) => account(acc[i]!, pol, now, load / TICKS, p.capacityPerPod / TICKS));
    }
    policies.forEach((pol) => {
      timeline.replicas[pol.name]![m] = pol.pods.replicas;
      timeline.ready[pol.name]![m] = pol.pods.ready(trace.t[m] as number);
    });
    if (progress && m % 5000 === 0) progress(m / n);
  }
  const results = policies.map((pol, i) => ({
    policy: pol.name,
    overCapacityShare: total > 0 ? acc[i]!.over / total : 0,
    violationMinutes: acc[i]!.violTicks / TICKS,
    replicaHours: acc[i]!.podTicks / TICKS / 60,
    scalingActions: pol.pods.actions,
  }));
  const hydraInfo = { trains: hydra.trains, trainMs: hydra.trainMs, stepMs: hydraMs - hydra.trainMs, finalConfidence: hydra.predictor.confidence() };
  return { results, timeline, hydra: hydraInfo };
}

function account(a: { over: number; violTicks: number; podTicks: number }, pol: Policy, now: number, load: number, capPerPod: number): void {
  const cap = pol.pods.ready(now) * capPerPod;
  if (load > cap + 1e-9) {
    a.over += load - cap;
    a.violTicks += 1;
  }
  a.podTicks += pol.pods.replicas;
}
