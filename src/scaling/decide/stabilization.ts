/** One past recommendation: at time `t` the signals asked for `replicas`. */
export interface Recommendation {
  t: number;
  replicas: number;
}

/**
 * Scale-down stabilization, as the HPA does it: a scale-down goes no lower than the highest
 * recommendation inside the window, so one quiet minute between busy ones does not remove
 * pods that the next minute needs back.
 */
export function stabilized(wanted: number, now: number, windowMs: number, recent: readonly Recommendation[]): number {
  let highest = wanted;
  for (const r of recent) if (now - r.t < windowMs && r.t <= now) highest = Math.max(highest, r.replicas);
  return highest;
}

/**
 * The recommendations one target keeps for its stabilization window. One instance per
 * target (keyed by namespace/name by the caller); old entries fall out as new ones arrive.
 */
export class RecommendationWindow {
  private items: Recommendation[] = [];

  constructor(private readonly windowMs: number) {}

  add(t: number, replicas: number | undefined): void {
    if (replicas === undefined) return;
    this.items.push({ t, replicas });
    const cutoff = t - this.windowMs;
    let drop = 0;
    while (drop < this.items.length && this.items[drop]!.t <= cutoff) drop++;
    if (drop > 0) this.items = this.items.slice(drop);
  }

  recent(): readonly Recommendation[] {
    return this.items;
  }
}
