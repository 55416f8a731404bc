import { VersionApi, type KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../config/schema.js';
import type { Logger } from './logger.js';

interface CheckState {
  failures: number;
  lastError?: string;
}

export interface HealthReport {
  ready: boolean;
  reason?: string;
  checks: Record<string, { ok: boolean; consecutiveFailures: number; lastError?: string }>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref())]);

/**
 * Checks the API server and the metric source every `general.health_check.interval`.
 * After `failure_threshold` failures in a row of the API server, /readyz says not ready.
 * A failing Prometheus only shows in the report: taking the webhook out of service
 * because metrics are down would block users' applies for no gain, and the scaler
 * already refuses to scale down on missing data.
 */
export class HealthChecker {
  private readonly state: Record<'apiserver' | 'prometheus', CheckState> = { apiserver: { failures: 0 }, prometheus: { failures: 0 } };
  private timer: NodeJS.Timeout | undefined;
  private readonly version: VersionApi;

  constructor(kc: KubeConfig, private readonly config: () => Config, private readonly log: Logger) {
    this.version = kc.makeApiClient(VersionApi);
  }

  start(): void {
    const loop = async () => {
      await this.checkOnce();
      this.timer = setTimeout(() => void loop(), this.config().general.health_check.interval);
      this.timer.unref();
    };
    void loop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  async checkOnce(): Promise<void> {
    const { timeout } = this.config().general.health_check;
    const url = this.config().metrics.prometheus_url;
    await Promise.all([
      this.record('apiserver', () => withTimeout(this.version.getCode(), timeout, 'API server /version')),
      url
        ? this.record('prometheus', async () => {
            const res = await fetch(`${url.replace(/\/$/, '')}/-/ready`, { signal: AbortSignal.timeout(timeout) });
            if (!res.ok) throw new Error(`Prometheus /-/ready answered HTTP ${res.status}`);
          })
        : Promise.resolve(),
    ]);
  }

  private async record(name: keyof HealthChecker['state'], check: () => Promise<unknown>): Promise<void> {
    const s = this.state[name];
    try {
      await check();
      if (s.failures >= this.config().general.health_check.failure_threshold) this.log.info({ check: name }, 'health check recovered');
      s.failures = 0;
      s.lastError = undefined;
    } catch (err) {
      s.failures += 1;
      s.lastError = (err as Error).message;
      this.log.warn({ check: name, consecutiveFailures: s.failures, err }, 'health check failed');
    }
  }

  report(): HealthReport {
    const threshold = this.config().general.health_check.failure_threshold;
    const checks = Object.fromEntries(
      Object.entries(this.state).map(([k, s]) => [k, { ok: s.failures === 0, consecutiveFailures: s.failures, ...(s.lastError ? { lastError: s.lastError } : {}) }]),
    );
    const api = this.state.apiserver;
    return api.failures >= threshold
      ? { ready: false, reason: `API server unreachable ${api.failures} times in a row: ${api.lastError}`, checks }
      : { ready: true, checks };
  }
}
