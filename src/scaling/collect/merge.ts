import { SIGNALS, type Signal } from '../../config/schema.js';
import type { Sample } from '../types.js';
import { missingText, type SourceName } from './failure.js';
import type { SourceResult } from './prometheus-source.js';
import { PER_REPLICA, type QueryName } from './queries.js';

/** What one source answered for one pass, in order of preference. */
export interface Attempt {
  source: SourceName;
  result: SourceResult;
}

function pick(name: QueryName, attempts: Attempt[]): { value?: number; why: string[] } {
  const why: string[] = [];
  for (const { source, result } of attempts) {
    const value = result.values[name];
    if (value !== undefined) return { value, why };
    const failure = result.failures[name];
    if (failure) why.push(missingText(source, failure));
  }
  return { why: why.length > 0 ? why : ['no source measures it'] };
}

/**
 * One Sample from the sources' answers: the first source with a value wins; a signal no
 * source measured is missing with every source's reason. Totals become per-replica here.
 */
export function mergeSample(
  t: number,
  attempts: Attempt[],
  disabled: (signal: Signal) => string | undefined,
  knownReplicas?: number,
): Sample {
  const sample: Sample = { t, values: {}, missing: {} };
  const replicas = knownReplicas !== undefined ? { value: knownReplicas, why: [] } : pick('replicas', attempts);
  if (replicas.value !== undefined) sample.replicas = replicas.value;
  for (const signal of SIGNALS) {
    const off = disabled(signal);
    if (off) {
      sample.missing[signal] = off;
      continue;
    }
    const { value, why } = pick(signal, attempts);
    if (value === undefined) sample.missing[signal] = why.join('; ');
    else if (!PER_REPLICA.has(signal)) sample.values[signal] = value;
    else if (replicas.value === undefined) sample.missing[signal] = `replicas unknown: ${replicas.why.join('; ')}`;
    else if (replicas.value <= 0) sample.missing[signal] = 'no ready replicas: per-replica value undefined';
    else sample.values[signal] = value / replicas.value;
  }
  return sample;
}
