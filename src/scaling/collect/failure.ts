/**
 * Why a signal could not be measured. The reason is a small closed set so that the
 * error counter's `reason` label stays low-cardinality; the detail goes to the
 * Sample's `missing` text and to the log.
 */
export const FAILURE_REASONS = [
  'timeout', // no answer within the deadline
  'unreachable', // connection refused, DNS, reset
  'http_4xx',
  'http_5xx',
  'bad_response', // not the JSON / text the API promises (also a body cut short)
  'partial', // the server said the answer is incomplete (warnings)
  'query_error', // the server rejected the query
  'empty', // no series: a label that matches nothing, or no data in the window
  'nan',
  'inf',
  'multiple_series', // a query meant to give one number gave several
  'api_absent', // metrics.k8s.io not served (no metrics-server)
  'no_requests', // pods without resource requests: utilization is undefined
  'warming_up', // a rate needs two scrapes; not an error
  'disabled', // turned off in the configuration; not an error
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Reasons that are expected states rather than faults; they are not counted as errors. */
const NOT_ERRORS: ReadonlySet<FailureReason> = new Set(['warming_up', 'disabled']);

export function isError(reason: FailureReason): boolean {
  return !NOT_ERRORS.has(reason);
}

export type SourceName = 'prometheus' | 'nginx' | 'metrics_api';

export class CollectFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'CollectFailure';
  }
}

/** Maps anything thrown by fetch or a parser onto a failure reason. */
export function toFailure(err: unknown): CollectFailure {
  if (err instanceof CollectFailure) return err;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new CollectFailure('timeout', e.message ?? 'timed out');
  if (e?.name === 'SyntaxError' || e?.name === 'ExpositionError') return new CollectFailure('bad_response', e.message ?? 'malformed body');
  const cause = e?.cause?.code ?? e?.cause?.message;
  // undici reports a body cut short as "terminated" with a socket cause
  if (e?.message === 'terminated') return new CollectFailure('partial', `body cut short${cause ? ` (${cause})` : ''}`);
  return new CollectFailure('unreachable', cause ? `${e?.message ?? 'fetch failed'} (${cause})` : String(e?.message ?? err));
}

/** A finite number or the failure that explains why not. */
export function checkFinite(value: number, what: string): number {
  if (Number.isNaN(value)) throw new CollectFailure('nan', `${what} is NaN`);
  if (!Number.isFinite(value)) throw new CollectFailure('inf', `${what} is ${value > 0 ? '+Inf' : '-Inf'}`);
  return value;
}

/** Text stored in Sample.missing: which source, which reason, what exactly. */
export function missingText(source: SourceName, failure: CollectFailure): string {
  return `${source}: ${failure.reason}: ${failure.detail}`;
}
