import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Sample } from '../types.js';
import { collectMetrics, countError, type CollectMetrics } from './collect-metrics.js';
import { isError, toFailure } from './failure.js';
import { HistoryStore, type SignalHistory } from './history.js';
import { mergeSample, type Attempt } from './merge.js';
import { MetricsApiSource, type PodMetricsReader } from './metrics-api-source.js';
import { NginxScrapeSource } from './nginx-source.js';
import { PrometheusApi, type FetchLike } from './prometheus-api.js';
import { PrometheusSource, type SourceResult } from './prometheus-source.js';
import type { QueryName } from './queries.js';
import { rangeSamples } from './range-samples.js';
import { disabledBecause, enabledSignals, queryParams, queryTemplates, timeoutOf, type CollectorSettings } from './settings.js';
import { targetKey, type CollectTarget } from './target.js';

export interface CollectorDeps {
  logger: Logger;
  registry: Registry;
  fetch?: FetchLike;
  /** ms since epoch; injectable so tests and simulation control time. */
  clock?: () => number;
  /** metrics.k8s.io access; without it that source is off. */
  podMetrics?: PodMetricsReader;
}

/**
 * The collect stage: every signal for a target from Prometheus first, then the direct
 * ingress-nginx scrape and metrics.k8s.io for what Prometheus could not give; each
 * pass lands in the target's bounded history.
 */
export class MetricsCollector {
  private readonly prometheus?: PrometheusSource;
  private readonly nginx?: NginxScrapeSource;
  private readonly metricsApi?: MetricsApiSource;
  private readonly metrics: CollectMetrics;
  private readonly histories: HistoryStore;
  private readonly clock: () => number;
  private readonly logger: Logger;
  /** Per target, the signals missing at the last pass (to log a change once, not every cycle). */
  private readonly lastMissing = new Map<string, string>();

  constructor(
    private readonly settings: CollectorSettings,
    deps: CollectorDeps,
  ) {
    const timeoutMs = timeoutOf(settings);
    const fetchImpl = deps.fetch;
    if (settings.prometheusUrl) {
      const api = new PrometheusApi({ baseUrl: settings.prometheusUrl, timeoutMs, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
      this.prometheus = new PrometheusSource(api, queryTemplates(settings), queryParams(settings));
    }
    if (settings.nginxMetricsUrl && settings.enableCustomMetrics) {
      this.nginx = new NginxScrapeSource({ url: settings.nginxMetricsUrl, timeoutMs, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    }
    if (deps.podMetrics) this.metricsApi = new MetricsApiSource(deps.podMetrics, deps.clock);
    this.metrics = collectMetrics(deps.registry);
    this.histories = new HistoryStore(settings.retentionMs, settings.collectionIntervalMs);
    this.clock = deps.clock ?? Date.now;
    this.logger = deps.logger.child({ component: 'collect' });
  }

  /** One pass for one target; the Sample is also appended to its history. */
  async collect(target: CollectTarget, nowMs = this.clock()): Promise<Sample> {
    const stop = this.metrics.duration.startTimer();
    const names: QueryName[] = [...enabledSignals(this.settings), 'replicas'];
    const attempts = await Promise.all([
      this.prometheus && this.attempt('prometheus', () => this.prometheus!.instant(target, nowMs, names), names),
      this.nginx && this.attempt('nginx', () => this.nginx!.collect(target, nowMs), names),
    ]);
    // metrics.k8s.io only fills what Prometheus could not give: one API call per target
    // and pass costs the API server, and Prometheus already has the same cAdvisor data.
    const prom = attempts[0]?.result.values;
    if (this.metricsApi && (prom?.cpu_utilization === undefined || prom?.memory_utilization === undefined)) {
      attempts.push(await this.attempt('metrics_api', () => this.metricsApi!.collect(target), names));
    }
    const sample = mergeSample(nowMs, attempts.filter((a): a is Attempt => !!a), (s) => disabledBecause(this.settings, s), target.replicas);
    this.history(target).push(sample);
    stop();
    const missing = Object.entries(sample.missing).filter(([, why]) => !why.startsWith('disabled'));
    // Warn when the set of missing signals changes; the same outage every cycle goes to debug.
    const key = targetKey(target);
    const missingNames = missing.map(([s]) => s).join(',');
    const level = missingNames !== (this.lastMissing.get(key) ?? '') ? 'warn' : 'debug';
    this.lastMissing.set(key, missingNames);
    if (missing.length > 0) this.logger[level]({ target: key, missing: Object.fromEntries(missing) }, 'signals missing');
    else if (level === 'warn') this.logger.info({ target: key }, 'all signals collected again');
    this.logger.debug({ target: targetKey(target), sample }, 'collected');
    return sample;
  }

  /**
   * Samples from Prometheus range queries over [fromMs, toMs] every stepMs, merged into
   * the history so that a restarted process starts warm. Steps where nothing was
   * measured are left out. Without Prometheus there is nothing to backfill from.
   */
  async backfill(target: CollectTarget, fromMs: number, toMs: number, stepMs: number): Promise<Sample[]> {
    if (!this.prometheus) return [];
    const names: QueryName[] = [...enabledSignals(this.settings), 'replicas'];
    const { samples, failures } = await rangeSamples(this.prometheus, target, { fromMs, toMs, stepMs }, names, (s) =>
      disabledBecause(this.settings, s),
    );
    for (const f of failures) if (isError(f.reason)) countError(this.metrics, 'prometheus', f.reason);
    const added = this.history(target).load(samples);
    this.logger.info({ target: targetKey(target), samples: samples.length, added, fromMs, toMs, stepMs }, 'history backfilled');
    return samples;
  }

  history(target: CollectTarget): SignalHistory {
    return this.histories.of(targetKey(target));
  }

  forget(target: CollectTarget): void {
    this.histories.drop(targetKey(target));
    this.lastMissing.delete(targetKey(target));
  }

  /** Runs one source, counting each failed query as an error of that source. */
  private async attempt(source: Attempt['source'], run: () => Promise<SourceResult>, names: QueryName[]): Promise<Attempt> {
    let result: SourceResult;
    try {
      result = await run();
    } catch (err) {
      const failure = toFailure(err); // sources catch their own; this is the safety net
      result = { values: {}, failures: Object.fromEntries(names.map((n) => [n, failure])) };
    }
    for (const failure of Object.values(result.failures)) {
      if (failure && isError(failure.reason)) countError(this.metrics, source, failure.reason);
    }
    return { source, result };
  }
}
