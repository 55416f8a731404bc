/**
 * The Kubernetes HorizontalPodAutoscaler algorithm (autoscaling/v2, as documented), for one
 * utilisation metric whose target is "a pod at capacity":
 *  - desired = ceil(current × currentMetric / target), skipped within a 10% tolerance;
 *  - not-yet-ready pods count as 0% usage when scaling up, so pods already on their way
 *    are not asked for twice;
 *  - scale-down stabilization: the highest recommendation of the last 5 minutes;
 *  - default scale-up policies: add at most max(4 pods, 100% of current) per 15 s period;
 *    default scale-down policy: up to 100% per 15 s.
 */
export const HPA_TOLERANCE = 0.1;
export const HPA_SYNC_MS = 15_000;
export const HPA_STABILIZATION_MS = 300_000;

export interface HpaState {
  /** Recommendations of the stabilization window: [time, replicas]. */
  history: Array<[number, number]>;
}

export interface HpaInput {
  now: number;
  /** Replicas the Deployment has (spec). */
  current: number;
  ready: number;
  /** Load measured over the ready pods, in units of one pod's capacity (so 3.5 = 3.5 pods' worth). */
  usage: number;
  min: number;
  max: number;
  /** An extra lower bound on the recommendation (the Holt-Winters baseline's prediction). */
  floor?: number;
}

/** The raw recommendation before stabilization and rate limits. */
export function hpaRecommendation(current: number, ready: number, usage: number): number {
  if (ready <= 0) return current;
  const ratio = usage / ready;
  if (Math.abs(ratio - 1) <= HPA_TOLERANCE) return current;
  if (ratio > 1 && current > ready) {
    // Pods still starting are assumed idle: if they would absorb the excess, wait for them.
    const withStarting = usage / current;
    if (withStarting <= 1 + HPA_TOLERANCE) return current;
    return Math.ceil(withStarting * current);
  }
  return Math.ceil(ratio * ready);
}

/** One HPA sync: the replicas to set. Mutates `state.history`. */
export function hpaStep(state: HpaState, input: HpaInput): number {
  let desired = hpaRecommendation(input.current, input.ready, input.usage);
  if (input.floor !== undefined) desired = Math.max(desired, input.floor);
  desired = Math.min(input.max, Math.max(input.min, desired));
  state.history.push([input.now, desired]);
  while (state.history.length > 0 && input.now - state.history[0]![0] >= HPA_STABILIZATION_MS) state.history.shift();
  if (desired < input.current) desired = Math.min(input.current, Math.max(...state.history.map(([, r]) => r)));
  const upLimit = Math.max(input.current + 4, input.current * 2);
  return Math.min(desired, upLimit);
}
