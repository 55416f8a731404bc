import { CollectFailure, checkFinite, toFailure } from './failure.js';
import type { PrometheusApi, VectorPoint } from './prometheus-api.js';
import { renderQuery, type QueryName, type QueryParams } from './queries.js';
import type { CollectTarget } from './target.js';

/** Per query name: a value, or why there is none. */
export interface SourceResult {
  values: Partial<Record<QueryName, number>>;
  failures: Partial<Record<QueryName, CollectFailure>>;
}

/** Per query name: points by time (ms), or why the whole range failed. */
export interface RangeResult {
  series: Partial<Record<QueryName, Map<number, number>>>;
  failures: Partial<Record<QueryName, CollectFailure>>;
}

/** Exactly one finite number, as every signal query is meant to give. */
function single(points: VectorPoint[], name: QueryName): number {
  if (points.length === 0) throw new CollectFailure('empty', `no series for ${name} (a label matches nothing, or no data in the window)`);
  if (points.length > 1) throw new CollectFailure('multiple_series', `${points.length} series for ${name}; the query must aggregate to one`);
  return checkFinite((points[0] as VectorPoint).value, name);
}

export class PrometheusSource {
  constructor(
    private readonly api: PrometheusApi,
    private readonly queries: Record<QueryName, string>,
    private readonly params: QueryParams,
  ) {}

  query(target: CollectTarget, name: QueryName): string {
    return renderQuery(this.queries[name], target, this.params);
  }

  /** All named queries at `timeMs`, in parallel; one failing leaves the others. */
  async instant(target: CollectTarget, timeMs: number, names: readonly QueryName[]): Promise<SourceResult> {
    const out: SourceResult = { values: {}, failures: {} };
    await Promise.all(
      names.map(async (name) => {
        try {
          out.values[name] = single(await this.api.instant(this.query(target, name), timeMs), name);
        } catch (err) {
          out.failures[name] = toFailure(err);
        }
      }),
    );
    return out;
  }

  /**
   * Range queries for backfill. Points that are NaN or Inf are dropped (that step stays
   * missing); a query answering with several series fails as a whole.
   */
  async range(target: CollectTarget, fromMs: number, toMs: number, stepMs: number, names: readonly QueryName[]): Promise<RangeResult> {
    const out: RangeResult = { series: {}, failures: {} };
    await Promise.all(
      names.map(async (name) => {
        try {
          const series = await this.api.range(this.query(target, name), fromMs, toMs, stepMs);
          if (series.length === 0) throw new CollectFailure('empty', `no series for ${name} in the range`);
          if (series.length > 1) throw new CollectFailure('multiple_series', `${series.length} series for ${name}`);
          const byTime = new Map<number, number>();
          for (const [t, v] of series[0]?.points ?? []) if (Number.isFinite(v)) byTime.set(t, v);
          out.series[name] = byTime;
        } catch (err) {
          out.failures[name] = toFailure(err);
        }
      }),
    );
    return out;
  }
}
