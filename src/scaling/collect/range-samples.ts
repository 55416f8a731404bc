import type { Signal } from '../../config/schema.js';
import type { Sample } from '../types.js';
import type { CollectFailure } from './failure.js';
import { mergeSample } from './merge.js';
import type { PrometheusSource, RangeResult } from './prometheus-source.js';
import type { QueryName } from './queries.js';
import type { CollectTarget } from './target.js';

export interface Range {
  fromMs: number;
  toMs: number;
  stepMs: number;
}

// Prometheus refuses range queries of more than 11,000 points per series.
const MAX_POINTS = 10_000;

/** Splits a long range into chunks Prometheus accepts, aligned on the same step grid. */
function chunks({ fromMs, toMs, stepMs }: Range): Range[] {
  const out: Range[] = [];
  for (let start = fromMs; start <= toMs; start += MAX_POINTS * stepMs) {
    out.push({ fromMs: start, toMs: Math.min(toMs, start + (MAX_POINTS - 1) * stepMs), stepMs });
  }
  return out;
}

/** Samples per step from range queries; steps where no signal has a value are dropped. */
export async function rangeSamples(
  source: PrometheusSource,
  target: CollectTarget,
  range: Range,
  names: QueryName[],
  disabled: (signal: Signal) => string | undefined,
): Promise<{ samples: Sample[]; failures: CollectFailure[] }> {
  const samples: Sample[] = [];
  const failures: CollectFailure[] = [];
  for (const chunk of chunks(range)) {
    const result: RangeResult = await source.range(target, chunk.fromMs, chunk.toMs, chunk.stepMs, names);
    failures.push(...(Object.values(result.failures) as CollectFailure[]));
    for (let t = chunk.fromMs; t <= chunk.toMs; t += chunk.stepMs) {
      const values: Partial<Record<QueryName, number>> = {};
      const missing: Partial<Record<QueryName, CollectFailure>> = { ...result.failures };
      for (const name of names) {
        const v = result.series[name]?.get(t);
        if (v !== undefined) values[name] = v;
      }
      const sample = mergeSample(t, [{ source: 'prometheus', result: { values, failures: missing } }], disabled);
      for (const name of names) {
        if (name !== 'replicas' && sample.missing[name] === 'no source measures it') sample.missing[name] = 'prometheus: empty: no point at this step';
      }
      if (Object.keys(sample.values).length > 0) samples.push(sample);
    }
  }
  return { samples, failures };
}
