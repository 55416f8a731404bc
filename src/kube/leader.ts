import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from '../telemetry/logger.js';
import type { KubeClients } from './client.js';
import { statusCode } from './client.js';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  now?: () => number;
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does it:
 * acquire when the Lease is free or expired, renew every retry period, and stop acting
 * when a renewal has not succeeded within the renew deadline.
 */
export class LeaderElector {
  private leading = false;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly clients: KubeClients,
    private readonly options: LeaderElectionOptions,
    private readonly log: Logger,
  ) {
    this.now = options.now ?? Date.now;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs);
  }

  private async tick(): Promise<void> {
    try {
      if (await this.tryAcquireOrRenew()) {
        this.lastRenew = this.now();
        this.setLeading(true);
      } else if (!this.leading || this.now() - this.lastRenew > this.options.renewDeadlineMs) {
        this.setLeading(false);
      }
    } catch (err) {
      this.log.warn({ err, lease: this.options.name }, 'lease update failed');
      if (this.leading && this.now() - this.lastRenew > this.options.renewDeadlineMs) this.setLeading(false);
    }
    this.schedule();
  }

  private setLeading(value: boolean): void {
    if (value === this.leading) return;
    this.leading = value;
    this.log.info({ lease: this.options.name, identity: this.options.identity }, value ? 'became leader' : 'lost leadership');
    if (value) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }

  private spec(transitions: number, acquired?: Date) {
    const now = new V1MicroTime(this.now());
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
      acquireTime: acquired ? new V1MicroTime(new Date(acquired).getTime()) : now,
      renewTime: now,
      leaseTransitions: transitions,
    };
  }

  /** True when this process holds the Lease after the call. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const api = this.clients.coordination;
    let lease: V1Lease;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
      try {
        await api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: this.spec(0) } });
        return true;
      } catch (createErr) {
        if (statusCode(createErr) === 409) return false; // another replica created it first
        throw createErr;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity;
    const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const expired = renewed + (spec.leaseDurationSeconds ?? 0) * 1000 < this.now();
    if (holder && holder !== identity && !expired) return false;
    const mine = holder === identity;
    lease.spec = this.spec((spec.leaseTransitions ?? 0) + (mine ? 0 : 1), mine ? spec.acquireTime : undefined);
    try {
      await api.replaceNamespacedLease({ name, namespace, body: lease }); // resourceVersion guards the race
      return true;
    } catch (err) {
      if (statusCode(err) === 409) return false;
      throw err;
    }
  }

  /** Stops electing and gives the Lease up, so that another replica takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const { name, namespace } = this.options;
      const lease = await this.clients.coordination.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      lease.spec.holderIdentity = undefined;
      lease.spec.leaseDurationSeconds = 1;
      await this.clients.coordination.replaceNamespacedLease({ name, namespace, body: lease });
    } catch (err) {
      this.log.warn({ err }, 'could not release the lease; it expires on its own');
    }
  }
}
