/**
 * Pods of one simulated Deployment: each becomes ready `startupMs` after it is created.
 * Scaling down removes not-yet-ready pods first, as the ReplicaSet controller prefers.
 */
export class PodPool {
  /** Ready time of each pod, oldest first. */
  private readyAt: number[] = [];
  actions = 0;

  constructor(
    initial: number,
    private readonly startupMs: number,
  ) {
    this.readyAt = Array.from({ length: initial }, () => -Infinity);
  }

  get replicas(): number {
    return this.readyAt.length;
  }

  ready(now: number): number {
    let n = 0;
    for (const r of this.readyAt) if (r <= now) n++;
    return n;
  }

  scaleTo(replicas: number, now: number): void {
    if (replicas === this.readyAt.length) return;
    this.actions += 1;
    if (replicas > this.readyAt.length) {
      while (this.readyAt.length < replicas) this.readyAt.push(now + this.startupMs);
      return;
    }
    // Newest pods are the least ready: drop from the end.
    this.readyAt.sort((a, b) => a - b);
    this.readyAt.length = replicas;
  }
}
