import type { Logger } from '../telemetry/logger.js';
import type { BundleWriter } from './ca-bundle-writer.js';
import { assess, caBundle, checkServingPair, fingerprint, issue, type RenewalPolicy, type ServingNames, type TlsMaterial, type Verdict } from './material.js';
import type { KeyPair } from './pki.js';
import type { MaterialStore, StoredMaterial } from './secret-store.js';

export interface SelfManagedOptions {
  store: MaterialStore;
  bundles: BundleWriter;
  names: ServingNames;
  policy: RenewalPolicy;
  /** How often the Secret is read (renewal due? another replica rotated?) and the caBundle checked. */
  syncIntervalMs: number;
  log: Logger;
  now?: () => Date;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STARTUP_ATTEMPTS = 10;

/**
 * Self-managed webhook TLS. The Secret is the single source of truth: every replica reads
 * it, the first to find it missing, unusable or due writes a new one (create-if-absent or
 * update at the version it read, so concurrent writers settle on one), and every replica
 * derives the caBundle from it and serves its certificate once `activateAt` has passed.
 */
export class SelfManagedTls {
  private serving?: { pair: KeyPair; fingerprint: string };
  private pending?: { fingerprint: string; timer: NodeJS.Timeout };
  private loop?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners: Array<(pair: KeyPair) => void> = [];
  private readonly now: () => Date;

  constructor(private readonly o: SelfManagedOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** Settles the Secret and the caBundle, waits for a pending activation, returns the pair to serve. */
  async start(): Promise<KeyPair> {
    const material = await this.settleWithRetries();
    // A fresh process has no older certificate to keep serving, so it waits out the activation delay.
    const wait = material.activateAt.getTime() - this.now().getTime();
    if (wait > 0) {
      this.o.log.info({ secret: this.o.store.where, waitMs: wait }, 'waiting for the new CA to reach the API servers before serving');
      await sleep(wait);
    }
    this.activate(material);
    this.scheduleSync();
    return (this.serving as { pair: KeyPair }).pair;
  }

  /** Called with the new pair whenever the served certificate changes. */
  onChange(listener: (pair: KeyPair) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.stopped = true;
    if (this.loop) clearTimeout(this.loop);
    if (this.pending) clearTimeout(this.pending.timer);
  }

  private async settleWithRetries(): Promise<TlsMaterial> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.settle();
      } catch (err) {
        if (attempt >= STARTUP_ATTEMPTS) throw err;
        this.o.log.warn({ err, secret: this.o.store.where, attempt }, 'could not settle the webhook TLS Secret; retrying');
        await sleep(Math.min(500 * attempt, 3_000));
      }
    }
  }

  /** One pass: the Secret holds usable material (written by us or another replica), the caBundle trusts it. */
  async settle(): Promise<TlsMaterial> {
    const material = await this.reconcileSecret();
    const results = await this.o.bundles.ensure(caBundle(material, this.now()));
    for (const [config, result] of Object.entries(results)) {
      if (result === 'patched') this.o.log.info({ config }, 'wrote the CA bundle into the webhook configuration');
      if (result === 'absent') this.o.log.warn({ config }, 'webhook configuration not found; its caBundle is written once it exists');
    }
    return material;
  }

  private async reconcileSecret(): Promise<TlsMaterial> {
    const { store, names, policy, log } = this.o;
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await store.read();
      const now = this.now();
      const verdict: Verdict = stored.exists && !stored.material
        ? { action: 'replace', reason: 'corrupt: a field is missing' }
        : assess(stored.material, names, policy, now);
      if (verdict.action === 'keep') return stored.material as TlsMaterial;
      this.logVerdict(stored, verdict);
      const next = issue(names, policy, now, verdict.action === 'rotate' ? stored.material : undefined);
      const written = stored.exists ? await store.update(next, stored.resourceVersion ?? '') : await store.create(next);
      if (written) {
        log.info({ secret: store.where, fingerprint: fingerprint(next.serving.cert), activateAt: next.activateAt.toISOString() },
          'wrote a new CA and serving certificate');
        return next;
      }
      log.info({ secret: store.where }, 'another replica wrote the TLS Secret first; reading theirs');
    }
    throw new Error(`the TLS Secret ${store.where} kept changing under us; giving up this round`);
  }

  private logVerdict(stored: StoredMaterial, verdict: Exclude<Verdict, { action: 'keep' }>): void {
    const secret = this.o.store.where;
    const reason = verdict.reason;
    if (verdict.action === 'rotate') this.o.log.info({ secret, reason }, `renewing the webhook certificate in Secret ${secret}: ${reason}; the old CA stays trusted meanwhile`);
    else if (!stored.exists) this.o.log.info({ secret, reason }, `TLS Secret ${secret} is missing: creating a CA and serving certificate`);
    else this.o.log.warn({ secret, reason }, `TLS Secret ${secret} is unusable (${reason}): replacing it`);
  }

  private scheduleSync(): void {
    if (this.stopped) return;
    // unref: the servers keep the process alive; this loop alone should not.
    this.loop = setTimeout(() => void this.tick(), this.o.syncIntervalMs).unref();
  }

  private async tick(): Promise<void> {
    try {
      const material = await this.settle();
      this.activateWhenDue(material);
    } catch (err) {
      this.o.log.warn({ err, secret: this.o.store.where }, 'webhook TLS sync failed; serving the current certificate and retrying');
    }
    this.scheduleSync();
  }

  private activateWhenDue(material: TlsMaterial): void {
    const fp = fingerprint(material.serving.cert);
    if (fp === this.serving?.fingerprint || fp === this.pending?.fingerprint) return;
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
    const wait = material.activateAt.getTime() - this.now().getTime();
    if (wait <= 0) return this.activate(material);
    this.pending = { fingerprint: fp, timer: setTimeout(() => { this.pending = undefined; this.activate(material); }, wait).unref() };
  }

  private activate(material: TlsMaterial): void {
    if (this.stopped) return;
    const cert = checkServingPair(material.serving);
    this.serving = { pair: material.serving, fingerprint: cert.fingerprint256 };
    this.o.log.info({ fingerprint: cert.fingerprint256, notAfter: new Date(cert.validTo).toISOString() }, 'serving the webhook certificate');
    for (const listener of this.listeners) listener(material.serving);
  }
}
