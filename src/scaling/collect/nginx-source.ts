import type { TargetKey } from '../types.js';
import { CollectFailure, checkFinite, toFailure } from './failure.js';
import { parseExposition, type ExpoSample } from './exposition.js';
import { histogramQuantile } from './histogram.js';
import type { FetchLike } from './prometheus-api.js';
import type { SourceResult } from './prometheus-source.js';
import { targetKey, type CollectTarget } from './target.js';

const REQUESTS = 'nginx_ingress_controller_requests';
const BUCKETS = 'nginx_ingress_controller_request_duration_seconds_bucket';

interface Snapshot {
  t: number;
  /** Counter value per series (all labels) that belongs to the target. */
  counters: Map<string, number>;
}

export interface NginxSourceOptions {
  url: string;
  timeoutMs: number;
  fetch?: FetchLike;
  /** One scrape serves every target collected within this many ms. */
  shareMs?: number;
}

const seriesKey = (s: ExpoSample) => `${s.name}${JSON.stringify(s.labels)}`;

/** How much a counter grew; a value below the previous one means it restarted from 0. */
export function counterDelta(previous: number | undefined, current: number): number {
  if (previous === undefined) return current; // a series created since the last scrape
  return current >= previous ? current - previous : current;
}

/**
 * ingress-nginx's own /metrics, scraped directly where there is no Prometheus. Rates
 * come from two successive scrapes for the same target; state is per target.
 * Assumes the URL reaches one controller: behind a multi-replica Service each scrape
 * may hit another pod and look like a reset. Values are totals (not per replica).
 */
export class NginxScrapeSource {
  private readonly previous = new Map<TargetKey, Snapshot>();
  private shared: { t: number; samples: Promise<ExpoSample[]> } | undefined;
  private readonly fetchImpl: FetchLike;

  constructor(private readonly options: NginxSourceOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async collect(target: CollectTarget, nowMs: number): Promise<SourceResult> {
    const names = ['request_rate', 'response_time', 'error_rate'] as const;
    const out: SourceResult = { values: {}, failures: {} };
    const fail = (f: CollectFailure) => names.forEach((n) => (out.failures[n] = f));
    let counters: Map<string, number>;
    try {
      counters = this.select(target, await this.scrape(nowMs));
    } catch (err) {
      fail(toFailure(err));
      return out;
    }
    const key = targetKey(target);
    const before = this.previous.get(key);
    this.previous.set(key, { t: nowMs, counters });
    if (![...counters.keys()].some((k) => k.startsWith(`${REQUESTS}{`))) {
      fail(new CollectFailure('empty', `no ${REQUESTS} series for ingress ${target.namespace}/${target.ingress} service ${target.service}`));
    } else if (!before || nowMs <= before.t) {
      fail(new CollectFailure('warming_up', 'a rate needs a second scrape'));
    } else {
      this.rates(counters, before, (nowMs - before.t) / 1000, out);
    }
    return out;
  }

  private rates(now: Map<string, number>, before: Snapshot, seconds: number, out: SourceResult): void {
    let all = 0;
    let errors = 0;
    const byLe = new Map<number, number>();
    for (const [key, value] of now) {
      const delta = counterDelta(before.counters.get(key), value);
      const labels = JSON.parse(key.slice(key.indexOf('{'))) as Record<string, string>;
      if (key.startsWith(`${REQUESTS}{`)) {
        all += delta;
        if (/^5\d\d$/.test(labels.status ?? '')) errors += delta;
      } else {
        const le = Number(labels.le === '+Inf' ? Infinity : labels.le);
        byLe.set(le, (byLe.get(le) ?? 0) + delta);
      }
    }
    const attempt = (name: 'request_rate' | 'response_time' | 'error_rate', compute: () => number) => {
      try {
        out.values[name] = checkFinite(compute(), name);
      } catch (err) {
        out.failures[name] = toFailure(err);
      }
    };
    attempt('request_rate', () => all / seconds);
    attempt('error_rate', () => (all === 0 ? NaN : (100 * errors) / all));
    attempt('response_time', () => {
      if (byLe.size === 0) throw new CollectFailure('empty', `no ${BUCKETS} series for the target`);
      return 1000 * histogramQuantile(0.95, [...byLe].map(([le, count]) => ({ le, count })));
    });
  }

  /** The target's counter series; NaN counters are left out (they carry no count). */
  private select(target: CollectTarget, samples: ExpoSample[]): Map<string, number> {
    const mine = new Map<string, number>();
    for (const s of samples) {
      if (s.name !== REQUESTS && s.name !== BUCKETS) continue;
      const l = s.labels;
      if (l.namespace !== target.namespace || l.ingress !== target.ingress || l.service !== target.service) continue;
      if (Number.isFinite(s.value)) mine.set(seriesKey(s), s.value);
    }
    return mine;
  }

  private scrape(nowMs: number): Promise<ExpoSample[]> {
    const share = this.options.shareMs ?? 1000;
    if (this.shared && nowMs - this.shared.t < share && nowMs >= this.shared.t) return this.shared.samples;
    const samples = this.fetchText().then(parseExposition);
    this.shared = { t: nowMs, samples };
    samples.catch(() => (this.shared = undefined));
    return samples;
  }

  private async fetchText(): Promise<string> {
    const base = new URL(this.options.url);
    if (base.pathname === '/' || base.pathname === '') base.pathname = '/metrics';
    const res = await this.fetchImpl(base.toString(), { signal: AbortSignal.timeout(this.options.timeoutMs) });
    const text = await res.text();
    if (res.status >= 500) throw new CollectFailure('http_5xx', `HTTP ${res.status} from ${base}`);
    if (res.status >= 400) throw new CollectFailure('http_4xx', `HTTP ${res.status} from ${base}`);
    return text;
  }
}
